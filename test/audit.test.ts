import { compactVerify, createLocalJWKSet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64, leafHash, verifyConsistency, verifyInclusion } from '../audit/index.ts';
import type { PkiDeps } from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';

const AUD = 'http://localhost:8787';
const CANARY = 'AZR-AUDIT-CANARY-31337';
let gw: TestGateway;
let deps: PkiDeps;
let jc: TestPrincipal;
let dpo: TestPrincipal;

beforeEach(async () => {
  gw = await testGateway({ publicUrl: AUD });
  deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
  await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'abh-koeln',
    kind: 'agency',
    agencyType: 'immigration_office',
  });
  jc = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'jc-koeln',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
  dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
});
afterEach(() => {
  gw.close();
});

const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set(
    'Authorization',
    `Bearer ${await assertionFor(p, { audience: AUD, now: gw.clock.now() })}`,
  );
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return gw.app.request(path, { ...init, headers });
};

/** A consent round: requested, granted, revoked — three audit entries. */
async function consentRound(): Promise<void> {
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
  await gw.app.request(`/v1/portal/consents/${grant.consent.id}/revoke`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
}

type Entry = Record<string, unknown> & { seq: number; event: string };

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
    // Entries served (read after the head, so the log holds one more read entry now).
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
    ]) {
      const res = await as(jc, path);
      expect(res.status, path).toBe(403);
    }
    expect((await gw.app.request('/v1/audit/tree-head')).status).toBe(401);
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
