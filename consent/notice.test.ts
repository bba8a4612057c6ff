import { describe, expect, it } from 'vitest';
import { label } from '../policies/labels.ts';
import { LANGUAGES, type DataCategory, type Language } from '../policies/index.ts';
import { NRW_SUPERVISORY_AUTHORITY } from '../tenants/index.ts';
import { consentNotice, noticeHash, type ConsentNotice, type NoticeInput } from './notice.ts';

const immigration = {
  id: 'abh-koeln',
  name: 'Stadt Köln, Ausländerbehörde',
  agencyType: 'immigration_office',
  address: 'Willy-Brandt-Platz 3, 50679 Köln',
  dpoContact: 'datenschutz@stadt-koeln.de',
} as const;
const jobcenter = {
  id: 'jc-koeln',
  name: 'Jobcenter Köln',
  agencyType: 'jobcenter',
  address: 'Luxemburger Straße 121, 50939 Köln',
  dpoContact: 'jobcenter-koeln.datenschutz@jobcenter-ge.de',
  retentionDays: 365,
} as const;
const social = {
  id: 'sozialamt-koeln',
  name: 'Sozialamt Köln',
  agencyType: 'social_office',
  address: 'Ottmar-Pohl-Platz 1, 51103 Köln',
  dpoContact: 'datenschutz@stadt-koeln.de',
  retentionDays: 730,
} as const;

function input(overrides: Partial<NoticeInput> = {}): NoticeInput {
  return {
    language: 'de',
    senders: [immigration],
    recipients: [jobcenter, social],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission', 'language_skills'],
    validUntil: '2027-03-31T21:59:59Z',
    special: false,
    supervisoryAuthority: NRW_SUPERVISORY_AUTHORITY,
    ...overrides,
  };
}

const withHealth = (overrides: Partial<NoticeInput> = {}) =>
  input({ categories: ['residence_status', 'health'], special: true, ...overrides });

const DATE_31_MARCH_2027: Readonly<Record<Language, string>> = {
  de: '31.03.2027',
  'de-x-ls': '31. März 2027',
  en: '31 March 2027',
  ar: '31.03.2027',
  uk: '31.03.2027',
  fa: '31.03.2027',
  tr: '31.03.2027',
};

const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

describe('consentNotice', () => {
  it.each(LANGUAGES)('in %s names every office, category, the purpose and the date', (language) => {
    const notice = consentNotice(input({ language }));
    expect(notice.language).toBe(language);
    for (const party of [immigration, jobcenter, social]) {
      expect(notice.text).toContain(party.name);
      expect(notice.text).toContain(label('agencyType', party.agencyType, language).name);
    }
    for (const category of input().categories) {
      const { name, description } = label('category', category, language);
      expect(notice.text).toContain(`${name}: ${description}`);
    }
    const purpose = label('purpose', 'labour_market_integration', language);
    expect(notice.text).toContain(`${purpose.name}: ${purpose.description}`);
    expect(notice.text).toContain(DATE_31_MARCH_2027[language]);
    // No category, purpose or office that was not asked for.
    expect(notice.text).not.toContain(label('category', 'health', language).name + ':');
    expect(notice.text).not.toContain(label('purpose', 'case_management', language).name);
  });

  it.each(LANGUAGES)('in %s produces every section, headed and non-empty', (language) => {
    const plain = consentNotice(input({ language }));
    const special = consentNotice(withHealth({ language }));
    // parties, data, purpose, duration, retention, voluntary, withdrawal, controllers,
    // complaint, legal basis; plus health.
    expect(plain.sections).toHaveLength(10);
    expect(special.sections).toHaveLength(11);
    for (const notice of [plain, special]) {
      expect(notice.title.trim()).not.toBe('');
      const headings = notice.sections.map((s) => s.heading);
      expect(new Set(headings).size).toBe(headings.length);
      for (const { heading, body } of notice.sections) {
        expect(heading.trim()).not.toBe('');
        expect(body.trim()).not.toBe('');
      }
    }
    expect(plain.sections[3]?.body).toContain(DATE_31_MARCH_2027[language]);
  });

  it.each(LANGUAGES)('in %s joins title and sections into the text', (language) => {
    const notice = consentNotice(withHealth({ language }));
    const expected = [notice.title, ...notice.sections.map((s) => `${s.heading}\n${s.body}`)];
    expect(notice.text).toBe(expected.join('\n\n'));
    expect(notice.text).toBe(notice.text.normalize('NFC'));
    expect(notice.text).not.toMatch(/\s$/);
  });

  it('tells the person in plain German that consent is voluntary and can be withdrawn', () => {
    const { text } = consentNotice(input());
    expect(text).toContain('freiwillig');
    expect(text).toContain('Wenn Sie nein sagen, hat das keine Nachteile für Ihren Antrag.');
    expect(text).toContain('Sie können Ihre Einwilligung jederzeit zurücknehmen.');
    expect(text).toContain('Das gilt sofort.');
    expect(text).toContain('Nachrichten, die noch nicht beim Amt angekommen sind');
    expect(text).toContain('Ihre Einwilligung gilt bis zum 31.03.2027. Dann endet sie von selbst.');
    expect(text).toContain('Art. 6 Abs. 1 lit. a DSGVO');
  });

  it('adds the health paragraph and Art. 9(2)(a) only when special', () => {
    for (const language of LANGUAGES) {
      const plain = consentNotice(input({ language }));
      const special = consentNotice(withHealth({ language }));
      const extra = special.sections.filter(
        (s) => !plain.sections.some((p) => p.heading === s.heading),
      );
      expect(extra, language).toHaveLength(1);
      expect(special.sections[2], language).toBe(extra[0]);
      const legalPlain = plain.sections.at(-1)?.body ?? '';
      const legalSpecial = special.sections.at(-1)?.body ?? '';
      expect(legalPlain.split('\n'), language).toHaveLength(1);
      expect(legalSpecial.split('\n'), language).toHaveLength(2);
      expect(legalSpecial.startsWith(`${legalPlain}\n`), language).toBe(true);
    }
    const de = consentNotice(withHealth()).text;
    expect(de).toContain('Art. 9 Abs. 2 lit. a DSGVO');
    expect(de).toContain('ausdrücklich');
    expect(consentNotice(input()).text).not.toContain('Art. 9');
    expect(consentNotice(withHealth({ language: 'en' })).text).toContain('Art. 9(2)(a) GDPR');
    expect(consentNotice(input({ language: 'en' })).text).not.toContain('Art. 9');
  });

  it('refuses health among the categories without the special flag', () => {
    expect(() => consentNotice(withHealth({ special: false }))).toThrow(/health/);
  });

  it('writes Arabic and Persian in Arabic script and isolates office names there', () => {
    for (const language of ['ar', 'fa'] as const) {
      const { text } = consentNotice(input({ language }));
      expect(text.replace(/[^\p{Script=Arabic}]/gu, '').length).toBeGreaterThan(200);
      expect(text).toContain(`\u2068${jobcenter.name}\u2069`);
    }
    for (const language of ['de', 'de-x-ls', 'en', 'uk', 'tr'] as const) {
      const { text } = consentNotice(input({ language }));
      expect(text).not.toMatch(ARABIC_SCRIPT);
      expect(text).not.toMatch(/[\u2066-\u2069]/u);
    }
  });

  it('keeps offices and categories in the order given', () => {
    const forward = consentNotice(input()).text;
    const backward = consentNotice(
      input({
        recipients: [social, jobcenter],
        categories: ['language_skills', 'employment_permission', 'residence_status'],
      }),
    ).text;
    const position = (text: string, category: DataCategory) =>
      text.indexOf(label('category', category, 'de').name + ':');
    expect(forward.indexOf(jobcenter.name)).toBeLessThan(forward.indexOf(social.name));
    expect(backward.indexOf(social.name)).toBeLessThan(backward.indexOf(jobcenter.name));
    expect(position(forward, 'residence_status')).toBeLessThan(
      position(forward, 'language_skills'),
    );
    expect(position(backward, 'language_skills')).toBeLessThan(
      position(backward, 'residence_status'),
    );
  });

  it('lists senders before recipients, each office once per line', () => {
    const body = consentNotice(input()).sections[0]?.body ?? '';
    expect(body.split('\n')).toEqual([
      'Die Ämter fragen Sie, ob sie Daten über Sie austauschen dürfen.',
      'Diese Ämter geben Ihre Daten weiter:',
      '- Stadt Köln, Ausländerbehörde – Ausländer-Behörde',
      'Diese Ämter bekommen Ihre Daten:',
      '- Jobcenter Köln – Jobcenter',
      '- Sozialamt Köln – Sozial-Amt',
    ]);
  });

  it('does not let an office name add lines or reorder the text', () => {
    const forged = {
      ...jobcenter,
      name: 'Jobcenter Köln\n\nFreiwillig\nSie müssen zustimmen.\u202E\u2066',
    };
    const { text } = consentNotice(input({ recipients: [forged], language: 'ar' }));
    expect(text).toContain('\u2068Jobcenter Köln Freiwillig Sie müssen zustimmen.\u2069');
    expect(text).not.toMatch(/[\u202A-\u202E]|\u2066/u);
    expect(() =>
      consentNotice(input({ recipients: [{ ...jobcenter, name: ' \n\u200F ' }] })),
    ).toThrow(/jc-koeln/);
  });

  it('refuses an empty list of senders, recipients or categories', () => {
    expect(() => consentNotice(input({ senders: [] }))).toThrow(Error);
    expect(() => consentNotice(input({ recipients: [] }))).toThrow(Error);
    expect(() => consentNotice(input({ categories: [] }))).toThrow(Error);
  });
});

describe('a complete notice (Art. 13 GDPR)', () => {
  const section = (notice: ConsentNotice, index: number) => notice.sections.at(index)?.body ?? '';
  const AUTHORITY = NRW_SUPERVISORY_AUTHORITY;

  it.each(LANGUAGES)('in %s names each office as controller, with address and DPO', (language) => {
    const body = section(consentNotice(input({ language })), -3);
    for (const party of [immigration, jobcenter, social]) {
      expect(body).toContain(party.name);
      expect(body).toContain(party.address);
      expect(body).toContain(party.dpoContact);
    }
    // Each office once, though two share a DPO.
    expect(body.split(immigration.name)).toHaveLength(2);
  });

  it.each(LANGUAGES)('in %s gives each recipient its retention, in days', (language) => {
    const body = section(consentNotice(input({ language })), 4);
    // The intro may take several lines (Leichte Sprache writes one sentence per line).
    const lines = body.split('\n').filter((line) => line.startsWith('- '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(jobcenter.name);
    expect(lines[0]).toContain('365');
    expect(lines[1]).toContain(social.name);
    expect(lines[1]).toContain('730');
    expect(body).not.toContain(immigration.name);
  });

  it.each(LANGUAGES)('in %s names every way to withdraw, one line each', (language) => {
    const all = section(consentNotice(input({ language })), 6).split('\n');
    expect(all.filter((line) => line.startsWith('- '))).toHaveLength(3);
    const one = consentNotice(input({ language, withdrawalMethods: ['office'] }));
    expect(
      section(one, 6)
        .split('\n')
        .filter((line) => line.startsWith('- ')),
    ).toHaveLength(1);
  });

  it.each(LANGUAGES)('in %s names the supervisory authority with all its contacts', (language) => {
    const body = section(consentNotice(input({ language })), -2);
    for (const value of [AUTHORITY.name, AUTHORITY.address, AUTHORITY.email, AUTHORITY.url]) {
      expect(body).toContain(value);
    }
    const other = { ...AUTHORITY, name: 'Der Landesbeauftragte für den Datenschutz Niedersachsen' };
    expect(section(consentNotice(input({ language, supervisoryAuthority: other })), -2)).toContain(
      other.name,
    );
  });

  it.each(LANGUAGES)(
    'in %s says refusing has no disadvantage, with Art. 9 only for health',
    (language) => {
      const plain = consentNotice(input({ language }));
      const health = consentNotice(withHealth({ language }));
      expect(section(plain, 5)).toBe(section(health, 6));
      expect(section(plain, 5).length).toBeGreaterThan(80);
      expect(section(plain, -1)).toMatch(/6/);
      expect(section(plain, -1)).not.toMatch(/9/);
      expect(section(health, -1)).toMatch(/9/);
    },
  );

  it('in German says it in plain words', () => {
    const { text } = consentNotice(input());
    expect(text).toContain('- Jobcenter Köln: höchstens 365 Tage');
    expect(text).toContain('Im Portal mit Ihrem Widerrufs-Code.');
    expect(text).toContain('Im Portal mit Ihrem Ausweis (Online-Ausweis).');
    expect(text).toContain('Das Amt trägt es ein.');
    expect(text).toContain('  Adresse: Willy-Brandt-Platz 3, 50679 Köln');
    expect(text).toContain('  Datenschutz-Beauftragte: datenschutz@stadt-koeln.de');
    expect(text).toContain('Zuständig ist die Datenschutz-Aufsicht:');
    expect(text).toContain('E-Mail: poststelle@ldi.nrw.de');
  });

  it('says so where an office registered no address or DPO contact', () => {
    const bare = { id: 'jc-koeln', name: 'Jobcenter Köln', agencyType: 'jobcenter' } as const;
    const { text } = consentNotice(input({ recipients: [{ ...bare, retentionDays: 30 }] }));
    expect(text).toContain('  Adresse: hier nicht eingetragen. Bitte fragen Sie das Amt.');
    expect(text).toContain('  Datenschutz-Beauftragte: über die Adresse des Amts');
  });

  it('writes the number of days as each language needs it', () => {
    const days = (language: Language, retentionDays: number) =>
      section(consentNotice(input({ language, recipients: [{ ...jobcenter, retentionDays }] })), 4);
    expect(days('de', 1)).toContain('höchstens 1 Tag');
    expect(days('en', 1)).toContain('at most 1 day');
    expect(days('de-x-ls', 1)).toMatch(/höchstens 1 Tag$/);
    expect(days('de-x-ls', 90)).toMatch(/höchstens 90 Tage$/);
    expect(days('de-x-ls', 365)).toMatch(/höchstens 365 Tage, das ist ungefähr 1 Jahr$/);
    expect(days('de-x-ls', 730)).toMatch(/höchstens 730 Tage, das sind ungefähr 2 Jahre$/);
    expect(days('uk', 21)).toContain('21 день');
    expect(days('uk', 22)).toContain('22 дні');
    expect(days('uk', 12)).toContain('12 днів');
    expect(days('ar', 2)).toContain('يومان');
    expect(days('ar', 7)).toContain('7 أيام');
    expect(days('ar', 365)).toContain('365 يومًا');
    expect(days('ar', 100)).toContain('100 يوم ');
  });

  it('isolates addresses and contacts in Arabic and Persian', () => {
    for (const language of ['ar', 'fa'] as const) {
      const { text } = consentNotice(input({ language }));
      expect(text).toContain(`\u2068${immigration.address}\u2069`);
      expect(text).toContain(`\u2068${AUTHORITY.email}\u2069`);
    }
  });

  it('refuses a recipient without retention and an empty list of ways to withdraw', () => {
    const unretained = { id: jobcenter.id, name: jobcenter.name, agencyType: jobcenter.agencyType };
    expect(() => consentNotice(input({ recipients: [unretained] }))).toThrow(/jc-koeln/);
    expect(() => consentNotice(input({ withdrawalMethods: [] }))).toThrow(/withdraw/);
  });
});

describe('the date a notice shows', () => {
  const shown = (validUntil: string, language: Language = 'de') =>
    consentNotice(input({ validUntil, language })).sections[3]?.body ?? '';

  it.each([
    ['2027-03-31T21:59:59Z', 'de', 'bis zum 31.03.2027.'],
    ['2027-03-31T21:59:59Z', 'en', 'until 31 March 2027.'],
    ['2027-04-01T08:00:00Z', 'en', 'until 1 April 2027.'],
    ['2027-04-01T08:00:00Z', 'de', 'bis zum 01.04.2027.'],
    ['2027-04-01T08:00:00Z', 'de-x-ls', 'bis zum 1. April 2027.'],
    ['2027-12-09T12:00:00Z', 'de-x-ls', 'bis zum 9. Dezember 2027.'],
    ['2027-12-09T12:00:00.123456Z', 'tr', 'Onayınız 09.12.2027 tarihine'],
    ['2027-12-09T12:00:00Z', 'uk', 'діє до 09.12.2027.'],
    ['2027-12-09T12:00:00Z', 'ar', 'حتى 09.12.2027.'],
    ['2027-12-09T12:00:00Z', 'fa', 'تا تاریخ 09.12.2027 معتبر'],
  ] as const)('%s in %s reads "%s"', (validUntil, language, expected) => {
    expect(shown(validUntil, language)).toContain(expected);
  });

  it('is the UTC calendar date of the instant, whatever offset it was written with', () => {
    expect(shown('2027-04-01T00:30:00+02:00')).toContain('31.03.2027');
    expect(shown('2027-03-31T23:30:00-02:00')).toContain('01.04.2027');
    expect(shown('2027-03-31t10:00Z')).toContain('31.03.2027');
  });

  it('does not depend on the time zone of the host', () => {
    const before = process.env['TZ'];
    try {
      process.env['TZ'] = 'Pacific/Kiritimati';
      const east = consentNotice(input()).text;
      process.env['TZ'] = 'Pacific/Pago_Pago';
      const west = consentNotice(input()).text;
      expect(east).toBe(west);
      expect(east).toContain('31.03.2027');
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it.each(['tomorrow', '2027-03-31', '2027-02-30T10:00:00Z', '2027-03-31T24:00:00Z', ''])(
    'refuses %j as validUntil',
    (validUntil) => {
      expect(() => consentNotice(input({ validUntil }))).toThrow(/validUntil/);
    },
  );
});

describe('noticeHash', () => {
  const notice = (text: string): ConsentNotice => ({
    language: 'en',
    title: '',
    sections: [],
    text,
  });

  it('is the base64url SHA-256 of the UTF-8 text', async () => {
    expect(await noticeHash(notice('abc'))).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it.each(LANGUAGES)('is 43 base64url characters for a notice in %s', async (language) => {
    expect(await noticeHash(consentNotice(withHealth({ language })))).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
  });

  it('is the same for the same input, every time', async () => {
    const first = await noticeHash(consentNotice(input({ language: 'fa' })));
    const second = await noticeHash(consentNotice(input({ language: 'fa' })));
    expect(second).toBe(first);
  });

  it('treats a decomposed office name like the composed one', async () => {
    const decomposed = { ...jobcenter, name: jobcenter.name.normalize('NFD') };
    expect(decomposed.name).not.toBe(jobcenter.name);
    expect(await noticeHash(consentNotice(input({ recipients: [decomposed, social] })))).toBe(
      await noticeHash(consentNotice(input())),
    );
  });

  it('changes with categories, their order, language, date, purpose or offices', async () => {
    const hashes = await Promise.all(
      [
        input(),
        input({ categories: ['residence_status', 'employment_permission'] }),
        input({ categories: ['employment_permission', 'residence_status', 'language_skills'] }),
        input({ language: 'en' }),
        input({ language: 'de-x-ls' }),
        input({ validUntil: '2027-04-01T21:59:59Z' }),
        input({ purpose: 'case_management' }),
        input({ recipients: [jobcenter] }),
        input({ senders: [{ ...immigration, name: 'Kreis Lippe, Ausländerbehörde' }] }),
        input({ senders: [{ ...immigration, address: 'Am Markt 1, 50667 Köln' }] }),
        input({ senders: [{ ...immigration, dpoContact: 'dsb@stadt-koeln.de' }] }),
        input({ recipients: [{ ...jobcenter, retentionDays: 366 }, social] }),
        input({ supervisoryAuthority: { ...NRW_SUPERVISORY_AUTHORITY, email: 'a@b.de' } }),
        input({ withdrawalMethods: ['portal-withdrawal-code', 'office'] }),
        withHealth(),
      ].map((i) => noticeHash(consentNotice(i))),
    );
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
