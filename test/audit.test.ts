import { compactVerify, createLocalJWKSet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64, leafHash, verifyConsistency, verifyInclusion } from '../audit/index.ts';
import type { TestGateway } from './support/app.ts';
import type { TestPrincipal } from './support/pki.ts';
import { personGrants } from './support/person.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

const CANARY = '313370000031';
let world: KoelnWorld;
let gw: TestGateway;
let jc: TestPrincipal;
let dpo: TestPrincipal;
let as: KoelnWorld['as'];

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'] });
  ({ gw, jc, dpo, as } = world);
});
afterEach(() => {
  world.close();
});

/** The Jobcenter asks for `subject`'s consent and the person grants it with the code. */
async function grantedConsent(subject: string) {
  const created = (await (
    await as(jc, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: { scheme: 'azr', value: subject },
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status'],
        validUntil: '2027-06-01T00:00:00Z',
        language: 'en',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    })
  ).json()) as { id: string; code: string };
  return personGrants(gw.app, created);
}

/** A consent round: requested, granted, revoked — three audit entries. */
async function consentRound(): Promise<void> {
  const { consentId, cookie } = await grantedConsent(CANARY);
  await gw.app.request(`/v1/portal/consents/${consentId}/revoke`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
}

type Entry = Record<string, unknown> & { seq: number; event: string };

/** The tenant's log straight from the database, so looking does not itself add an entry. */
const logged = (): Entry[] =>
  gw.storage.db
    .prepare<[string], string>('SELECT entry FROM audit_entries WHERE tenant_id = ? ORDER BY seq')
    .pluck()
    .all('koeln')
    .map((json) => JSON.parse(json) as Entry);

describe('the audit log', () => {
  it('records each consent decision with metadata only, and the DPO reading it', async () => {
    await consentRound();
    const res = await as(dpo, '/v1/audit/entries');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Entry[] };
    expect(items.map((e) => [e.seq, e.event, e['actor']])).toEqual([
      [0, 'consent.requested', 'jc-koeln'],
      [1, 'consent.granted', 'subject'],
      [2, 'consent.revoked', 'subject'],
    ]);
    expect(items[1]).toMatchObject({
      tenant: 'koeln',
      outcome: 'ok',
      consentVersion: 1,
      legalBasis: 'GDPR Art. 6(1)(a)',
    });
    expect(items[0]?.['subjectRef']).toBe(items[2]?.['subjectRef']);
    expect(JSON.stringify(items)).not.toContain(CANARY);
    // The read itself is an entry now.
    const again = (await (await as(dpo, '/v1/audit/entries?event=audit.read')).json()) as {
      items: Entry[];
    };
    expect(again.items.map((e) => [e.event, e['actor']])).toEqual([['audit.read', 'dsb-koeln']]);
  });

  it('pages with a cursor and filters by agency and time', async () => {
    await consentRound();
    const first = (await (await as(dpo, '/v1/audit/entries?limit=2')).json()) as {
      items: Entry[];
      nextCursor: string;
    };
    expect(first.items.map((e) => e.seq)).toEqual([0, 1]);
    const rest = (await (
      await as(dpo, `/v1/audit/entries?cursor=${first.nextCursor}&event=consent.revoked`)
    ).json()) as { items: Entry[] };
    expect(rest.items.map((e) => e.event)).toEqual(['consent.revoked']);
    const byAgency = (await (await as(dpo, '/v1/audit/entries?agency=jc-koeln')).json()) as {
      items: Entry[];
    };
    expect(byAgency.items.map((e) => e.event)).toEqual(['consent.requested']);
    const none = (await (await as(dpo, '/v1/audit/entries?to=2026-01-01T00:00:00Z')).json()) as {
      items: Entry[];
    };
    expect(none.items).toEqual([]);
  });

  it('filters consent acts by the channel and assurance they were made with', async () => {
    await consentRound(); // granted and revoked by the person with the code
    const { consentId } = await grantedConsent('100000000777');
    // The person told the Jobcenter, which records the revocation.
    expect((await as(jc, `/v1/consents/${consentId}/revoke`, { method: 'POST' })).status).toBe(200);
    const search = async (query: string) =>
      (
        (await (await as(dpo, `/v1/audit/entries?${query}`)).json()) as { items: Entry[] }
      ).items.map((e) => [e.event, e['actor'], e['channel'], e['assurance']]);
    expect(await search('channel=assisted')).toEqual([
      ['consent.revoked', 'jc-koeln', 'assisted', 'low'],
    ]);
    expect(await search('channel=portal-code&assurance=low&event=consent.granted')).toEqual([
      ['consent.granted', 'subject', 'portal-code', 'low'],
      ['consent.granted', 'subject', 'portal-code', 'low'],
    ]);
    expect(await search('assurance=substantial')).toEqual([]);
    const bad = await as(dpo, '/v1/audit/entries?channel=telepathy');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('signs tree heads with the JWKS key, and every entry is provably included', async () => {
    await consentRound();
    const head = (await (await as(dpo, '/v1/audit/tree-head')).json()) as {
      treeSize: number;
      rootHash: string;
      jws: string;
    };
    const jwks = createLocalJWKSet(
      (await (await gw.app.request('/.well-known/jwks.json')).json()) as { keys: [] },
    );
    const { payload, protectedHeader } = await compactVerify(head.jws, jwks, {
      algorithms: ['ES256'],
    });
    expect(protectedHeader.typ).toBe('tree-head+jwt');
    const signed = JSON.parse(new TextDecoder().decode(payload)) as {
      treeSize: number;
      rootHash: string;
    };
    expect(signed).toMatchObject({ treeSize: head.treeSize, rootHash: head.rootHash });
    // The head already covers the record of its own read; the entries read adds one more.
    const { items } = (await (await as(dpo, '/v1/audit/entries')).json()) as { items: Entry[] };
    for (const entry of items.filter((e) => e.seq < head.treeSize)) {
      const proof = (await (
        await as(dpo, `/v1/audit/proofs/inclusion?seq=${entry.seq}&treeSize=${head.treeSize}`)
      ).json()) as {
        proof: string[];
      };
      const ok = await verifyInclusion(
        await leafHash(entry),
        entry.seq,
        head.treeSize,
        proof.proof.map(fromBase64),
        fromBase64(head.rootHash),
      );
      expect(ok, `entry ${entry.seq}`).toBe(true);
      // A changed entry is not included.
      const forged = await verifyInclusion(
        await leafHash({ ...entry, actor: 'someone-else' }),
        entry.seq,
        head.treeSize,
        proof.proof.map(fromBase64),
        fromBase64(head.rootHash),
      );
      expect(forged).toBe(false);
    }
  });

  it('proves a later tree head consistent with an earlier one', async () => {
    await consentRound();
    const older = (await (await as(dpo, '/v1/audit/tree-head')).json()) as {
      treeSize: number;
      rootHash: string;
    };
    await consentRound();
    const newer = (await (await as(dpo, '/v1/audit/tree-head')).json()) as {
      treeSize: number;
      rootHash: string;
    };
    expect(newer.treeSize).toBeGreaterThan(older.treeSize);
    const { proof } = (await (
      await as(dpo, `/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}`)
    ).json()) as {
      proof: string[];
    };
    expect(
      await verifyConsistency(
        older.treeSize,
        newer.treeSize,
        proof.map(fromBase64),
        fromBase64(older.rootHash),
        fromBase64(newer.rootHash),
      ),
    ).toBe(true);
  });

  it('refuses proofs outside the log and every audit route to an agency', async () => {
    await consentRound();
    expect((await as(dpo, '/v1/audit/proofs/inclusion?seq=5&treeSize=3')).status).toBe(422);
    expect((await as(dpo, '/v1/audit/proofs/inclusion?seq=0&treeSize=999')).status).toBe(422);
    expect((await as(dpo, '/v1/audit/proofs/consistency?from=3&to=1')).status).toBe(422);
    for (const path of [
      '/v1/audit/entries',
      '/v1/audit/tree-head',
      '/v1/audit/proofs/inclusion?seq=0&treeSize=1',
      '/v1/audit/proofs/consistency?from=1&to=2',
    ]) {
      const res = await as(jc, path);
      expect(res.status, path).toBe(403);
    }
    expect((await gw.app.request('/v1/audit/tree-head')).status).toBe(401);
    // Refused requests read nothing, so they record no read either.
    expect(logged().map((e) => e.event)).toEqual([
      'consent.requested',
      'consent.granted',
      'consent.revoked',
    ]);
  });

  it('records every tree-head, proof and entries read as one audit.read entry naming the DPO', async () => {
    await consentRound();
    const reads = async (path: string): Promise<{ body: unknown; entry: Entry | undefined }> => {
      const before = logged().length;
      const res = await as(dpo, path);
      expect(res.status, path).toBe(200);
      const after = logged();
      expect(after.length, path).toBe(before + 1);
      return { body: await res.json(), entry: after.at(-1) };
    };
    interface Head {
      treeSize: number;
      rootHash: string;
    }

    const first = await reads('/v1/audit/tree-head');
    const older = first.body as Head;
    expect(first.entry).toMatchObject({
      seq: 3,
      event: 'audit.read',
      actor: 'dsb-koeln',
      outcome: 'ok',
      reasons: ['tree head'],
    });
    // The head served is signed after its read was recorded, and proves that record included.
    expect(older.treeSize).toBe(4);
    const own = await reads(`/v1/audit/proofs/inclusion?seq=3&treeSize=${older.treeSize}`);
    expect(own.entry).toMatchObject({
      seq: 4,
      event: 'audit.read',
      actor: 'dsb-koeln',
      reasons: ['inclusion proof seq=3 treeSize=4'],
    });
    expect(
      await verifyInclusion(
        await leafHash(first.entry ?? {}),
        3,
        older.treeSize,
        (own.body as { proof: string[] }).proof.map(fromBase64),
        fromBase64(older.rootHash),
      ),
    ).toBe(true);

    const second = await reads('/v1/audit/tree-head');
    const newer = second.body as Head;
    expect(newer.treeSize).toBe(6);
    expect(second.entry).toMatchObject({ seq: 5, actor: 'dsb-koeln', reasons: ['tree head'] });

    const consistency = await reads(
      `/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}`,
    );
    expect(consistency.entry).toMatchObject({
      seq: 6,
      event: 'audit.read',
      actor: 'dsb-koeln',
      reasons: ['consistency proof from=4 to=6'],
    });
    // Recording the read does not disturb the proof for the sizes asked for.
    expect(
      await verifyConsistency(
        older.treeSize,
        newer.treeSize,
        (consistency.body as { proof: string[] }).proof.map(fromBase64),
        fromBase64(older.rootHash),
        fromBase64(newer.rootHash),
      ),
    ).toBe(true);

    const search = await reads('/v1/audit/entries?event=audit.read');
    expect(search.entry).toMatchObject({
      seq: 7,
      actor: 'dsb-koeln',
      reasons: ['audit entries event=audit.read'],
    });
    // The page was read before its own read was recorded.
    expect((search.body as { items: Entry[] }).items.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
  });

  it('records no read for a proof request outside the log', async () => {
    await consentRound();
    for (const path of [
      '/v1/audit/proofs/inclusion?seq=0&treeSize=4',
      '/v1/audit/proofs/consistency?from=1&to=4',
    ]) {
      expect((await as(dpo, path)).status, path).toBe(422);
      expect(logged(), path).toHaveLength(3);
    }
  });

  it('refuses to change or delete an entry in the database', async () => {
    await consentRound();
    expect(() =>
      gw.storage.db.prepare("UPDATE audit_entries SET actor = 'x' WHERE seq = 0").run(),
    ).toThrow(/append-only/);
    expect(() => gw.storage.db.prepare('DELETE FROM audit_entries WHERE seq = 0').run()).toThrow(
      /append-only/,
    );
  });

  it('writes an entry and its change together or not at all', async () => {
    const before = gw.storage.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get();
    // A consent request naming an unknown agency is refused before anything is written.
    await as(jc, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: { scheme: 'azr', value: CANARY },
        senders: ['nobody'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status'],
        validUntil: '2027-06-01T00:00:00Z',
        language: 'en',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    });
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(before);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM consent_requests').pluck().get()).toBe(0);
  });
});

describe('GDPR rights and the person’s history', () => {
  const subjectBody = JSON.stringify({ subject: { scheme: 'azr', value: CANARY.toLowerCase() } });

  it('answers an access report with consents, requests and the entries naming the person', async () => {
    await consentRound();
    const res = await as(dpo, '/v1/subjects/access-report', { method: 'POST', body: subjectBody });
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      subjectKnown: boolean;
      consents: { state: string }[];
      requests: { state: string; requestedBy: string }[];
      auditEntries: Entry[];
    };
    expect(report.subjectKnown).toBe(true);
    expect(report.consents.map((c) => c.state)).toEqual(['revoked']);
    expect(report.requests).toEqual([
      expect.objectContaining({ state: 'approved', requestedBy: 'jc-koeln' }),
    ]);
    expect(report.auditEntries.map((e) => e.event)).toEqual([
      'consent.requested',
      'consent.granted',
      'consent.revoked',
    ]);
    expect(
      (await as(jc, '/v1/subjects/access-report', { method: 'POST', body: subjectBody })).status,
    ).toBe(403);
  });

  it('refuses erasure while a consent is active, then shreds the link and the log still verifies', async () => {
    // A consent that stays active.
    const created = (await (
      await as(jc, '/v1/consent-requests', {
        method: 'POST',
        body: JSON.stringify({
          subject: { scheme: 'azr', value: CANARY },
          senders: ['abh-koeln'],
          recipients: ['jc-koeln'],
          purpose: 'labour_market_integration',
          categories: ['residence_status'],
          validUntil: '2027-06-01T00:00:00Z',
          language: 'en',
          secondFactor: { type: 'birthDate', value: '1990-01-31' },
        }),
      })
    ).json()) as { id: string; code: string };
    const session = await gw.app.request('/v1/portal/session', {
      method: 'POST',
      body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
      headers: { 'Content-Type': 'application/json' },
    });
    const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const grant = (await (
      await gw.app.request(`/v1/portal/requests/${created.id}/grant`, {
        method: 'POST',
        headers: { Cookie: cookie },
      })
    ).json()) as {
      consent: { id: string };
    };
    const history = (await (
      await gw.app.request('/v1/portal/history', { headers: { Cookie: cookie } })
    ).json()) as {
      items: { event: string; consentId?: string }[];
    };
    expect(history.items.map((i) => i.event)).toEqual(['consent.requested', 'consent.granted']);
    expect(history.items[1]?.consentId).toBe(grant.consent.id);

    const refused = await as(dpo, '/v1/subjects/erasure', { method: 'POST', body: subjectBody });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: 'conflict',
      reasons: [{ code: 'consent_active' }],
    });

    await gw.app.request(`/v1/portal/consents/${grant.consent.id}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(
      (await as(dpo, '/v1/subjects/erasure', { method: 'POST', body: subjectBody })).status,
    ).toBe(204);

    const count = (table: string) =>
      gw.storage.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
    for (const table of [
      'subjects',
      'consents',
      'consent_requests',
      'consent_versions',
      'portal_sessions',
    ]) {
      expect(count(table), table).toBe(0);
    }
    // Nothing links back: the report knows nobody, and a second erasure finds nothing.
    const after = (await (
      await as(dpo, '/v1/subjects/access-report', { method: 'POST', body: subjectBody })
    ).json()) as {
      subjectKnown: boolean;
    };
    expect(after.subjectKnown).toBe(false);
    expect(
      (await as(dpo, '/v1/subjects/erasure', { method: 'POST', body: subjectBody })).status,
    ).toBe(404);

    // The log is whole and verifies: every entry is included under the signed root.
    const head = (await (await as(dpo, '/v1/audit/tree-head')).json()) as {
      treeSize: number;
      rootHash: string;
    };
    const { items } = (await (await as(dpo, '/v1/audit/entries?limit=1000')).json()) as {
      items: Entry[];
    };
    expect(items.some((e) => e.event === 'subject.erased')).toBe(true);
    for (const entry of items.filter((e) => e.seq < head.treeSize)) {
      const { proof } = (await (
        await as(dpo, `/v1/audit/proofs/inclusion?seq=${entry.seq}&treeSize=${head.treeSize}`)
      ).json()) as {
        proof: string[];
      };
      expect(
        await verifyInclusion(
          await leafHash(entry),
          entry.seq,
          head.treeSize,
          proof.map(fromBase64),
          fromBase64(head.rootHash),
        ),
      ).toBe(true);
    }
  });
});
