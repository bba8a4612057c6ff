import { describe, expect, it } from 'vitest';
import type { PkiStore, Principal } from '../certs/index.ts';
import { loadPolicySet } from '../policies/index.ts';
import { NRW_SUPERVISORY_AUTHORITY, type Tenant, type TenantStore } from '../tenants/index.ts';
import { noticeFor, receiptParties, type NoticeDeps } from './notice-context.ts';
import { consentNotice, noticeHash } from './notice.ts';

const agency = (
  id: string,
  agencyType: Principal['agencyType'],
  extra: Partial<Principal> = {},
): Principal => ({
  tenantId: 'koeln',
  id,
  kind: 'agency',
  agencyType,
  displayName: `Name of ${id}`,
  encryptionKey: null,
  pgpPublicKey: null,
  webhookUrl: null,
  address: `Address of ${id}`,
  dpoContact: `dpo@${id}.example`,
  createdAt: '2026-11-25T10:00:00Z',
  ...extra,
});

const rule = (
  id: string,
  from: string,
  to: string,
  retentionDays: number,
  categories: string[],
) => ({
  id,
  purpose: 'labour_market_integration',
  from: [from],
  to: [to],
  categories,
  legalBasis: 'GDPR Art. 6(1)(a)',
  retentionDays,
  reason: 'a reason long enough to pass',
});

async function depsWith(
  tenant: Partial<Tenant> = {},
  principals: Principal[] = [
    agency('abh', 'immigration_office'),
    agency('so', 'social_office', { address: null, dpoContact: null }),
    agency('jc', 'jobcenter'),
    { ...agency('dpo', null), kind: 'dpo' },
  ],
): Promise<NoticeDeps> {
  const byId = new Map(principals.map((p) => [p.id, p]));
  const pki = {
    principal: (tenantId: string, id: string) =>
      Promise.resolve(tenantId === 'koeln' ? byId.get(id) : undefined),
  } as unknown as PkiStore;
  const tenants = {
    get: (id: string) =>
      Promise.resolve(
        id === 'koeln' ? { id, displayName: 'Köln', createdAt: '', ...tenant } : undefined,
      ),
  } as unknown as TenantStore;
  const policy = await loadPolicySet({
    version: 'test-1',
    rules: [
      rule('abh-jc', 'immigration_office', 'jobcenter', 365, ['residence_status']),
      rule('so-jc', 'social_office', 'jobcenter', 540, ['benefits']),
      rule('abh-so', 'immigration_office', 'social_office', 90, ['identity']),
    ],
  });
  return { pki, tenants, policy };
}

const terms = {
  senders: ['abh', 'so'],
  recipients: ['jc'],
  purpose: 'labour_market_integration',
  categories: ['residence_status', 'benefits'],
  validUntil: '2027-03-31T10:00:00Z',
};

describe('noticeFor', () => {
  it('names the registered offices, the longest retention a rule allows and the NRW authority', async () => {
    const { notice, hash } = await noticeFor(await depsWith(), 'koeln', terms, 'de');
    expect(notice.text).toContain('- Name of jc: höchstens 540 Tage');
    expect(notice.text).toContain('  Adresse: Address of abh');
    expect(notice.text).toContain('  Datenschutz-Beauftragte: dpo@jc.example');
    expect(notice.text).toContain('  Adresse: hier nicht eingetragen.');
    expect(notice.text).toContain(NRW_SUPERVISORY_AUTHORITY.name);
    expect(hash).toBe(await noticeHash(notice));
  });

  it('counts only rules that carry a requested category', async () => {
    const only = { ...terms, categories: ['residence_status'] };
    const { notice } = await noticeFor(await depsWith(), 'koeln', only, 'en');
    expect(notice.text).toContain('- Name of jc: at most 365 days');
  });

  it("names the tenant's own supervisory authority where one is set", async () => {
    const own = { ...NRW_SUPERVISORY_AUTHORITY, name: 'Eigene Aufsicht', email: 'a@aufsicht.de' };
    const deps = await depsWith({ supervisoryAuthority: own });
    const { notice } = await noticeFor(deps, 'koeln', terms, 'tr');
    expect(notice.text).toContain('Eigene Aufsicht');
    expect(notice.text).toContain('a@aufsicht.de');
    expect(notice.text).not.toContain(NRW_SUPERVISORY_AUTHORITY.name);
  });

  it('lists only the ways to withdraw it is given', async () => {
    const deps = await depsWith();
    const { notice } = await noticeFor(deps, 'koeln', terms, 'de', {
      withdrawalMethods: ['portal-withdrawal-code', 'office'],
    });
    expect(notice.text).not.toContain('Online-Ausweis');
    expect(notice.text).toContain('Widerrufs-Code');
  });

  it('gives the same text and hash as the pure notice for the same data', async () => {
    const { notice } = await noticeFor(await depsWith(), 'koeln', terms, 'ar');
    const party = (
      id: string,
      agencyType: 'immigration_office' | 'social_office' | 'jobcenter',
    ) => ({
      id,
      name: `Name of ${id}`,
      agencyType,
      address: `Address of ${id}`,
      dpoContact: `dpo@${id}.example`,
    });
    const pure = consentNotice({
      language: 'ar',
      senders: [
        party('abh', 'immigration_office'),
        { ...party('so', 'social_office'), address: null, dpoContact: null },
      ],
      recipients: [{ ...party('jc', 'jobcenter'), retentionDays: 540 }],
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'benefits'],
      validUntil: terms.validUntil,
      special: false,
      supervisoryAuthority: NRW_SUPERVISORY_AUTHORITY,
    });
    expect(notice.text).toBe(pure.text);
  });

  it('refuses, as policy_denied, terms no rule lets a recipient receive', async () => {
    const stale = { ...terms, recipients: ['so'], senders: ['abh'], categories: ['benefits'] };
    await expect(noticeFor(await depsWith(), 'koeln', stale, 'de')).rejects.toMatchObject({
      code: 'policy_denied',
      reasons: [{ code: 'policy_denied', message: expect.stringContaining('so') as unknown }],
    });
  });

  it('treats a party that is no registered agency, or an unknown tenant, as broken data', async () => {
    const deps = await depsWith();
    for (const bad of [
      { ...terms, senders: ['dpo'] },
      { ...terms, recipients: ['nobody'] },
    ]) {
      await expect(noticeFor(deps, 'koeln', bad, 'de')).rejects.toMatchObject({
        code: 'internal_error',
      });
    }
    await expect(noticeFor(deps, 'bonn', terms, 'de')).rejects.toMatchObject({
      code: 'internal_error',
    });
  });
});

describe('receiptParties', () => {
  it('answers senders then recipients with address, DPO and retention, and the authority', async () => {
    const { controllers, supervisoryAuthority } = await receiptParties(
      await depsWith(),
      'koeln',
      terms,
    );
    expect(controllers).toEqual([
      {
        id: 'abh',
        name: 'Name of abh',
        agencyType: 'immigration_office',
        role: 'sender',
        address: 'Address of abh',
        dpoContact: 'dpo@abh.example',
      },
      {
        id: 'so',
        name: 'Name of so',
        agencyType: 'social_office',
        role: 'sender',
        address: null,
        dpoContact: null,
      },
      {
        id: 'jc',
        name: 'Name of jc',
        agencyType: 'jobcenter',
        role: 'recipient',
        address: 'Address of jc',
        dpoContact: 'dpo@jc.example',
        retentionDays: 540,
      },
    ]);
    expect(supervisoryAuthority).toEqual(NRW_SUPERVISORY_AUTHORITY);
  });
});
