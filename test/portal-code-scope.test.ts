import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import type { TestPrincipal } from './support/pki.ts';
import { personGrants, portalClient } from './support/person.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

/**
 * Issue 11, the attack as the reviewer found it: an office that is party to nothing of a person
 * asks its own request for them, chooses the birth date itself, and signs in with its own code.
 * The session must reach that request (and the consent granted from it) and nothing else; every
 * other request and consent of the person answers exactly as an id that does not exist.
 */
const AZR = '123456789012';
const BIRTH = '1990-01-31';
let world: KoelnWorld;
let gw: TestGateway;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let asAgency: KoelnWorld['as'];

beforeEach(async () => {
  world = await koelnWorld({ dpo: false });
  ({ gw, abh, jc, so, as: asAgency } = world);
});
afterEach(() => {
  world.close();
});

async function ask(
  by: TestPrincipal,
  flow: { senders: string[]; recipients: string[]; purpose: string; categories: string[] },
  birthDate = BIRTH,
) {
  const res = await asAgency(by, '/v1/consent-requests', {
    method: 'POST',
    body: JSON.stringify({
      subject: { scheme: 'azr', value: AZR },
      ...flow,
      validUntil: '2027-11-25T00:00:00Z',
      language: 'de',
      secondFactor: { type: 'birthDate', value: birthDate },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

/** A JSON client keeping the session cookie, signing in with the recorded birth date. */
function jsonPerson() {
  const p = portalClient(gw.app);
  return { ...p, signIn: (code: string, secondFactor = BIRTH) => p.signIn(code, secondFactor) };
}

/** A browser without JavaScript, signing in with the birth date the office recorded. */
function browser(origin: string | null = AUD) {
  const b = formBrowser(gw.app, origin);
  return { ...b, signIn: (code: string, secondFactor = BIRTH) => b.signIn(code, secondFactor) };
}

const requestState = (id: string) =>
  gw.storage.db
    .prepare(
      "SELECT state FROM consent_versions WHERE kind = 'request' AND ref_id = ? ORDER BY version DESC LIMIT 1",
    )
    .pluck()
    .get(id);
const consentCount = () => gw.storage.db.prepare('SELECT COUNT(*) FROM consents').pluck().get();
const withoutRequestId = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'requestId'));

/** P's own history with other offices: C1 (abh → so) granted, R2 (so → abh) pending. */
async function personWithHistory() {
  const r1 = await ask(abh, {
    senders: ['abh-koeln'],
    recipients: ['so-koeln'],
    purpose: 'benefit_eligibility',
    categories: ['identity', 'residence_status'],
  });
  const { consentId: c1 } = await personGrants(gw.app, r1);
  const r2 = await ask(so, {
    senders: ['so-koeln'],
    recipients: ['abh-koeln'],
    purpose: 'residence_procedure',
    categories: ['benefits'],
  });
  return { r1, c1, r2 };
}

/** The Jobcenter, party to none of P's requests, asks its own, choosing the birth date itself. */
const attackerRequest = () =>
  ask(
    jc,
    {
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
      purpose: 'labour_market_integration',
      categories: ['residence_status'],
    },
    '1970-01-01',
  );

const abhConsents = async () =>
  (
    (await (
      await asAgency(abh, `/v1/consents?subject.scheme=azr&subject.value=${AZR}`)
    ).json()) as { items: { id: string; state: string }[] }
  ).items;

describe('a one-time code reaches only its own request (the attack of issue 11)', () => {
  it('through the JSON API the attacker’s session sees and changes nothing else of the person', async () => {
    const { r1, c1, r2 } = await personWithHistory();
    const r3 = await attackerRequest();
    const attacker = jsonPerson();
    const session = await attacker.signIn(r3.code, '1970-01-01');
    expect(session.status).toBe(201);
    expect(await session.json()).toEqual({ scope: 'request', requestId: r3.id, assurance: 'low' });

    const consents = await attacker.call('/v1/portal/consents');
    expect(consents.status).toBe(200);
    expect(await consents.json()).toEqual({ items: [] });

    const foreign = await attacker.call(`/v1/portal/requests/${r2.id}`);
    const madeUp = await attacker.call('/v1/portal/requests/cr_doesnotexist');
    expect(foreign.status).toBe(404);
    expect(madeUp.status).toBe(404);
    const foreignBody = (await foreign.json()) as Record<string, unknown>;
    expect(foreignBody['code']).toBe('not_found');
    expect(withoutRequestId(foreignBody)).toEqual(
      withoutRequestId((await madeUp.json()) as Record<string, unknown>),
    );
    expect(Object.keys(foreignBody).sort()).toEqual(
      Object.keys(
        (await (await attacker.call('/v1/portal/requests/cr_nope')).json()) as object,
      ).sort(),
    );

    for (const action of ['grant', 'decline']) {
      const res = await attacker.call(`/v1/portal/requests/${r2.id}/${action}`, { method: 'POST' });
      expect(res.status, action).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    }
    expect(requestState(r2.id)).toBe('pending');

    const revoke = await attacker.call(`/v1/portal/consents/${c1}/revoke`, { method: 'POST' });
    expect(revoke.status).toBe(404);
    expect(((await revoke.json()) as { code: string }).code).toBe('not_found');
    expect(await abhConsents()).toEqual([expect.objectContaining({ id: c1, state: 'active' })]);

    const open = (await (await attacker.call('/v1/portal/requests')).json()) as {
      items: { id: string }[];
    };
    expect(open.items.map((i) => i.id)).toEqual([r3.id]);

    const history = await attacker.call('/v1/portal/history');
    expect(history.status).toBe(200);
    const historyText = await history.text();
    const events = (JSON.parse(historyText) as { items: { event: string }[] }).items;
    expect(events.map((e) => e.event)).toEqual(['consent.requested']);
    for (const id of [r1.id, c1, r2.id]) expect(historyText).not.toContain(id);
    expect(historyText).not.toContain('so-koeln');

    const report = await attacker.call('/v1/portal/report');
    expect(report.status).toBe(404);
    expect(((await report.json()) as { code: string }).code).toBe('not_found');
  });

  it('through the pages the attacker’s session finds nothing else of the person either', async () => {
    const { c1, r2 } = await personWithHistory();
    const r3 = await attackerRequest();
    const b = browser();
    const signedIn = await b.signIn(r3.code, '1970-01-01');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe(`/portal/requests/${r3.id}`);

    const foreignRequest = await b.get(`/portal/requests/${r2.id}`);
    expect(foreignRequest.status).toBe(404);
    expect(await foreignRequest.text()).toContain('Diese Seite gibt es nicht');

    const consentsPage = await b.get('/portal/consents');
    expect(consentsPage.status).toBe(200);
    const consentsHtml = await consentsPage.text();
    expect(consentsHtml).not.toContain(c1);
    expect(consentsHtml).not.toContain(r2.id);

    for (const path of [`/portal/consents/${c1}/receipt`, `/portal/consents/${c1}/receipt.jwt`]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('Diese Seite gibt es nicht');
    }

    const form = await (await b.get(`/portal/requests/${r3.id}`)).text();
    const revoke = await b.post(`/portal/consents/${c1}/revoke`, {
      csrf: b.csrfOf(form),
      confirm: 'yes',
    });
    expect(revoke.status).toBe(404);
    expect(await abhConsents()).toEqual([expect.objectContaining({ id: c1, state: 'active' })]);

    const history = await b.get('/portal/history');
    expect(history.status).toBe(200);
    const historyHtml = await history.text();
    expect(historyHtml).not.toContain(c1);
    expect(historyHtml).not.toContain('so-koeln');
  });

  it('cannot keep the attacker from granting its own request, but records it as a low-assurance code grant and spends the code', async () => {
    await personWithHistory();
    const r3 = await attackerRequest();
    const { consentId } = await personGrants(gw.app, r3, '1970-01-01');
    const row = gw.storage.db
      .prepare('SELECT channel, assurance, request_id FROM consents WHERE id = ?')
      .get(consentId);
    expect(row).toEqual({ channel: 'portal-code', assurance: 'low', request_id: r3.id });

    const again = await jsonPerson().signIn(r3.code, '1970-01-01');
    expect(again.status).toBe(410);
    expect(((await again.json()) as { code: string }).code).toBe('code_used');

    const b = browser();
    const usedPage = await b.signIn(r3.code, '1970-01-01');
    expect(usedPage.status).toBe(410);
    const usedText = await usedPage.text();
    const wrongPage = await browser().signIn('AAAA-BBBB-CCCC');
    expect(wrongPage.status).toBe(401);
    const wrongText = await wrongPage.text();
    expect(wrongText).toContain('Der Code oder das Geburtsdatum stimmt nicht');
    expect(usedText).not.toContain('Der Code oder das Geburtsdatum stimmt nicht');
    expect(usedText).toContain('Dieser Code wurde schon benutzt.');
    const messageOf = (html: string) =>
      /<[^>]*class="message error"[^>]*>([\s\S]*?)<\//.exec(html)?.[1]?.trim() ?? '';
    expect(messageOf(usedText)).not.toBe('');
    expect(messageOf(usedText)).not.toBe(messageOf(wrongText));
  });

  it('refuses to grant health data with a code session: 403 assurance_insufficient, nothing written', async () => {
    const health = await ask(jc, {
      senders: ['so-koeln'],
      recipients: ['jc-koeln'],
      purpose: 'case_management',
      categories: ['contact', 'health'],
    });
    const p = jsonPerson();
    expect((await p.signIn(health.code)).status).toBe(201);
    const grant = await p.call(`/v1/portal/requests/${health.id}/grant`, { method: 'POST' });
    expect(grant.status).toBe(403);
    expect(((await grant.json()) as { code: string }).code).toBe('assurance_insufficient');
    expect(consentCount()).toBe(0);
    expect(requestState(health.id)).toBe('pending');

    const b = browser();
    await b.signIn(health.code);
    const page = await (await b.get(`/portal/requests/${health.id}`)).text();
    const refused = await b.post(`/portal/requests/${health.id}/grant`, {
      csrf: b.csrfOf(page),
      confirm: 'yes',
      lang: 'de',
      noticeHash: /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '',
    });
    expect(refused.status).toBe(403);
    const html = await refused.text();
    // The test gateway has no eID provider: the ID-card section is there and says it is not offered.
    expect(html).toContain('id="assurance-heading"');
    expect(html).toContain('id="eid-heading"');
    expect(html).toContain('Hier müssen Sie sich mit dem Ausweis anmelden');
    expect(html).toContain('Mit dem Ausweis anmelden');
    expect(html).toContain('Die Anmeldung mit dem Ausweis gibt es hier nicht.');
    expect(html).not.toContain('/portal/eid/start');
    expect(consentCount()).toBe(0);
    expect(requestState(health.id)).toBe('pending');
  });
});
