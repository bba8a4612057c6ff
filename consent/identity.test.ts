import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PkiDeps } from '../certs/index.ts';
import { FixedClock } from '../core/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { pkiDeps, provisionedTenant } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { identityHash, IdentityInput, normaliseIdentity, normaliseName } from './identity.ts';
import { TenantHasher } from './secrets.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let pki: PkiDeps;
let hasher: TenantHasher;

beforeAll(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  pki = await pkiDeps(storage, clock);
  await provisionedTenant(pki, 'koeln');
  await provisionedTenant(pki, 'dortmund');
  hasher = new TenantHasher(storage.consents, pki.masterKey);
});
afterAll(() => {
  storage.close();
  dir.remove();
});

const person = (overrides: Partial<IdentityInput> = {}): IdentityInput => ({
  familyName: 'Yılmaz-Großmann',
  givenNames: 'Ayşe Zoë',
  birthDate: '1987-03-14',
  ...overrides,
});
const hashOf = (identity: IdentityInput, tenantId = 'koeln') =>
  identityHash({ hasher }, tenantId, identity);

describe('normaliseName', () => {
  it.each([
    ['upper case as on the card', 'MÜLLER', 'muller'],
    ['diacritics', 'Çağlar Özdemir', 'caglar ozdemir'],
    ['sharp s, small and capital', 'Straße STRAẞE', 'strasse strasse'],
    ['dotted and dotless i', 'İLKAY Yıldız', 'ilkay yildiz'],
    ['letters without a decomposition', 'Łukasz Søren Đorđe Æsa', 'lukasz soren dorde aesa'],
    ['full-width letters and ligatures (NFKC)', 'ＡＮＮＡ ﬁlip', 'anna filip'],
    ['hyphens and spaces, collapsed', '  Anna -  Maria\t–Luise ', 'anna maria luise'],
    ['typographic apostrophes', 'O’Brien Dʼarcy', "o'brien d'arcy"],
    ['a decomposed accent typed apart', 'Jose\u0301', 'jose'],
  ])('folds %s', (_, input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('does not equate transliterations: a missed match is safer than a loose one', () => {
    expect(normaliseName('Müller')).not.toBe(normaliseName('Mueller'));
    expect(normaliseName('Anna Maria')).not.toBe(normaliseName('Annamaria'));
  });

  const letter = fc.constantFrom(...'aAäÄbßẞçÇğıİłøéÉoOöÖuüÜzZ'.split(''), ' ', '-', '’', "'");
  const name = fc.array(letter, { maxLength: 30 }).map((cs) => cs.join(''));

  it('is idempotent and blind to case', () => {
    fc.assert(
      fc.property(name, (n) => {
        const once = normaliseName(n);
        expect(normaliseName(once)).toBe(once);
        expect(normaliseName(n.toUpperCase())).toBe(once);
        expect(normaliseName(n.toLowerCase())).toBe(once);
        expect(once).toMatch(/^(?:[a-z'](?:[a-z' ]*[a-z'])?)?$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseIdentity', () => {
  it('normalises both names and keeps the birth date', () => {
    expect(normaliseIdentity(person())).toEqual({
      familyName: 'yilmaz grossmann',
      givenNames: 'ayse zoe',
      birthDate: '1987-03-14',
    });
  });
});

describe('identityHash', () => {
  it('matches what an office typed with what the eID card says', async () => {
    const office = await hashOf(person());
    const card = await hashOf(
      person({ familyName: 'YILMAZ GROSSMANN', givenNames: 'AYSE ZOE', birthDate: '1987-03-14' }),
    );
    expect(card).toBe(office);
    expect(office).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs for another birth date, another name, another tenant', async () => {
    const base = await hashOf(person());
    expect(await hashOf(person({ birthDate: '1987-03-15' }))).not.toBe(base);
    expect(await hashOf(person({ givenNames: 'Ayşe' }))).not.toBe(base);
    expect(await hashOf(person({ familyName: 'Yılmaz' }))).not.toBe(base);
    expect(await hashOf(person(), 'dortmund')).not.toBe(base);
  });

  it('keeps the fields apart: moving a word between the names changes the hash', async () => {
    const a = await hashOf(person({ familyName: 'Ana Maria', givenNames: 'Luz' }));
    const b = await hashOf(person({ familyName: 'Ana', givenNames: 'Maria Luz' }));
    const c = await hashOf(person({ familyName: 'Luz', givenNames: 'Ana Maria' }));
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('hashes under its own secret: not the pseudonym or code hash of the same input', async () => {
    const input = 'identity:v1:["yilmaz grossmann","ayse zoe","1987-03-14"]';
    const own = await hasher.hash('koeln', 'identity', input);
    expect(await hashOf(person())).toBe(own);
    expect(await hasher.hash('koeln', 'pseudonym', input)).not.toBe(own);
    expect(await hasher.hash('koeln', 'codes', input)).not.toBe(own);
  });

  it('accepts an empty given name, as some eID cards carry none', async () => {
    const hash = await hashOf(person({ givenNames: '' }));
    expect(hash).not.toBe(await hashOf(person()));
    expect(IdentityInput.safeParse(person({ givenNames: '' })).success).toBe(true);
  });
});

describe('IdentityInput', () => {
  const refused = (input: unknown) => !IdentityInput.safeParse(input).success;

  it('accepts names of letters, spaces, hyphens and apostrophes', () => {
    expect(refused(person())).toBe(false);
    expect(refused(person({ familyName: "O'Brien-Núñez", givenNames: 'Marie-Luise' }))).toBe(false);
    expect(refused(person({ familyName: 'Авдєєва', givenNames: 'مريم' }))).toBe(false);
  });

  it.each([
    ['an empty family name', { familyName: '' }],
    ['a family name without letters', { familyName: ' - ' }],
    ['digits', { familyName: 'Müller2' }],
    ['a control character', { givenNames: 'Anna\u0000' }],
    ['a line feed', { familyName: 'Mül\nler' }],
    ['a right-to-left override', { familyName: 'Mül\u202eler' }],
    ['a zero-width space', { givenNames: 'An\u200bna' }],
    ['201 characters', { familyName: 'a'.repeat(201) }],
    ['a birth date that is no date', { birthDate: '1987-02-30x' }],
    ['a birth date with a time', { birthDate: '1987-03-14T00:00:00Z' }],
  ])('refuses %s', (_, overrides) => {
    expect(refused(person(overrides as Partial<IdentityInput>))).toBe(true);
  });

  it('refuses missing and extra fields', () => {
    expect(refused({ familyName: 'Müller', birthDate: '1987-03-14' })).toBe(true);
    expect(refused({ ...person(), nationality: 'DE' })).toBe(true);
  });
});
