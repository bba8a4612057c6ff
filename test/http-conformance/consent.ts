import { compactVerify, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Subject } from '../support/flows.ts';
import { personSignsIn, portalClient } from '../support/person.ts';
import type { TestPrincipal } from '../support/pki.ts';
import {
  expectProblem,
  newPerson,
  reasonCodes,
  residenceNotice,
  type GatewayUnderTest,
} from './target.ts';

interface AgencyConsent {
  id: string;
  state: string;
  version: number;
  channel: string;
  assurance: string;
}

/** Consent requests, the person's decision in the portal JSON API, and what offices see of it. */
export function describeConsent(gateway: GatewayUnderTest): void {
  const consentsSeenBy = async (agency: TestPrincipal, subject: Subject) => {
    const query = new URLSearchParams({
      'subject.scheme': subject.scheme,
      'subject.value': subject.value,
    });
    const res = await gateway.as(agency, `/v1/consents?${query.toString()}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { items: AgencyConsent[] }).items;
  };

  /** Every consent event the Jobcenter is told of, page by page. */
  const eventsOfJobcenter = async () => {
    const events: { id: string; type: string; cursor: string }[] = [];
    let query = 'since=0';
    for (;;) {
      const res = await gateway.as(gateway.world.jc, `/v1/consent-events?${query}&limit=500`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: typeof events; nextCursor?: string };
      events.push(...page.items);
      if (page.nextCursor === undefined) return events;
      query = `cursor=${page.nextCursor}`;
    }
  };

  describe('consent and the portal JSON flow', () => {
    it('an office asks: 201 with id, code, portalUrl and expiresAt', async () => {
      const request = await gateway.askConsent(newPerson());
      expect(request.id).toMatch(/\S/);
      expect(request.code).toMatch(/\S/);
      expect(new URL(request.portalUrl).pathname).toBe('/portal/sign-in');
      expect(Date.parse(request.expiresAt)).toBeGreaterThan(Date.now());
    });

    it('the person signs in with code and birth date, reads the request and grants; the offices it names see it active', async () => {
      const subject = newPerson();
      const request = await gateway.askConsent(subject);
      const person = portalClient(gateway.portal);
      const session = await person.signIn(request.code, '1990-01-31');
      expect(session.status).toBe(201);
      expect(await session.json()).toEqual({
        scope: 'request',
        requestId: request.id,
        assurance: 'low',
      });
      const cookie = session.headers.get('Set-Cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);

      const read = await person.call(`/v1/portal/requests/${request.id}`);
      expect(read.status).toBe(200);
      const shown = (await read.json()) as { notice: { text: string; hash: string } };
      expect(shown).toMatchObject({
        id: request.id,
        state: 'pending',
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
      });
      expect(shown.notice.text).toMatch(/\S/);
      expect(shown.notice.hash).toMatch(/\S/);

      const granted = await person.call(`/v1/portal/requests/${request.id}/grant`, {
        method: 'POST',
      });
      expect(granted.status, await granted.clone().text()).toBe(200);
      const grant = (await granted.json()) as {
        consent: { id: string; state: string };
        receipt: string;
        withdrawalCode: string;
      };
      expect(grant.consent.state).toBe('active');
      expect(grant.withdrawalCode).toMatch(/\S/);
      const receipt = await compactVerify(grant.receipt, await gateway.jwks());
      expect(decodeJwt(grant.receipt)).toMatchObject({
        record_id: grant.consent.id,
        channel: 'portal-code',
        assurance: 'low',
      });
      expect(receipt.protectedHeader.typ).toBe('consent-receipt+jwt');

      const { jc, abh, so } = gateway.world;
      expect(await consentsSeenBy(jc, subject)).toEqual([
        expect.objectContaining({
          id: grant.consent.id,
          state: 'active',
          version: 1,
          channel: 'portal-code',
          assurance: 'low',
        }),
      ]);
      const seenBySender = await consentsSeenBy(abh, subject);
      expect(seenBySender.map((c) => c.id)).toEqual([grant.consent.id]);
      // The withdrawal code is the person's alone.
      expect(JSON.stringify(seenBySender)).not.toContain(grant.withdrawalCode);
      expect(await consentsSeenBy(so, subject)).toEqual([]);
    });

    it('revoking in the portal takes effect at once; the session stays; offices see the revocation and its event', async () => {
      const subject = newPerson();
      const { consentId, cookie } = await gateway.grantedConsent(subject);
      const revoked = await gateway.fetch(`/v1/portal/consents/${consentId}/revoke`, {
        method: 'POST',
        headers: { Cookie: cookie },
      });
      expect(revoked.status, await revoked.clone().text()).toBe(200);
      expect(await revoked.json()).toMatchObject({ id: consentId, state: 'revoked' });

      const mine = await gateway.fetch('/v1/portal/consents', { headers: { Cookie: cookie } });
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({ items: [{ id: consentId, state: 'revoked' }] });
      expect(await consentsSeenBy(gateway.world.jc, subject)).toEqual([
        expect.objectContaining({ id: consentId, state: 'revoked', version: 2 }),
      ]);
      const types = (await eventsOfJobcenter())
        .filter((e) => e.id === consentId)
        .map((e) => e.type);
      expect(types).toEqual(['consent.active', 'consent.revoked']);

      const send = await gateway.send(gateway.world.abh, subject, { message: residenceNotice() });
      const problem = await expectProblem(send, 403, 'consent_missing');
      expect(reasonCodes(problem)).toContain('consent_revoked');
    });

    it('the person declines: 204, and the code is spent (410 code_used)', async () => {
      const request = await gateway.askConsent(newPerson());
      const cookie = await personSignsIn(gateway.portal, request.code);
      const declined = await gateway.fetch(`/v1/portal/requests/${request.id}/decline`, {
        method: 'POST',
        headers: { Cookie: cookie },
      });
      expect(declined.status, await declined.clone().text()).toBe(204);
      const again = await portalClient(gateway.portal).signIn(request.code);
      await expectProblem(again, 410, 'code_used');
    });

    it('refuses a wrong second factor as it refuses a wrong code (401 unauthenticated)', async () => {
      const request = await gateway.askConsent(newPerson());
      const person = portalClient(gateway.portal);
      const wrongFactor = await expectProblem(
        await person.signIn(request.code, '1991-02-28'),
        401,
        'unauthenticated',
      );
      const wrongCode = await expectProblem(
        await person.signIn('ZZZZ-ZZZZ-ZZZZ', '1990-01-31'),
        401,
        'unauthenticated',
      );
      expect(wrongFactor.detail).toBe(wrongCode.detail);
    });

    it("a code's session reaches its own request only: another answers 404, as does no session 401", async () => {
      const mine = await gateway.askConsent(newPerson());
      const theirs = await gateway.askConsent(newPerson());
      const cookie = await personSignsIn(gateway.portal, mine.code);
      const other = await gateway.fetch(`/v1/portal/requests/${theirs.id}`, {
        headers: { Cookie: cookie },
      });
      await expectProblem(other, 404, 'not_found');
      const grantOther = await gateway.fetch(`/v1/portal/requests/${theirs.id}/grant`, {
        method: 'POST',
        headers: { Cookie: cookie },
      });
      await expectProblem(grantOther, 404, 'not_found');
      await expectProblem(
        await gateway.fetch(`/v1/portal/requests/${mine.id}`),
        401,
        'unauthenticated',
      );
    });

    it('the withdrawal code opens only its consent, and revokes it', async () => {
      const request = await gateway.askConsent(newPerson());
      const person = portalClient(gateway.portal);
      expect((await person.signIn(request.code)).status).toBe(201);
      const grant = (await (
        await person.call(`/v1/portal/requests/${request.id}/grant`, { method: 'POST', body: '{}' })
      ).json()) as { consent: { id: string }; withdrawalCode: string };

      const later = portalClient(gateway.portal);
      const session = await later.session({ withdrawalCode: grant.withdrawalCode });
      expect(session.status).toBe(201);
      expect(await session.json()).toMatchObject({ scope: 'consent', consentId: grant.consent.id });
      await expectProblem(await later.call(`/v1/portal/requests/${request.id}`), 404, 'not_found');
      const revoked = await later.call(`/v1/portal/consents/${grant.consent.id}/revoke`, {
        method: 'POST',
      });
      expect(revoked.status, await revoked.clone().text()).toBe(200);
      expect(await revoked.json()).toMatchObject({ state: 'revoked' });
    });

    it('an office party to the consent records a revocation the person told it (assisted); another office gets 404', async () => {
      const { consentId } = await gateway.grantedConsent(newPerson());
      const { jc, so } = gateway.world;
      await expectProblem(
        await gateway.as(so, `/v1/consents/${consentId}/revoke`, { method: 'POST' }),
        404,
        'not_found',
      );
      const revoked = await gateway.as(jc, `/v1/consents/${consentId}/revoke`, { method: 'POST' });
      expect(revoked.status, await revoked.clone().text()).toBe(200);
      expect(await revoked.json()).toMatchObject({ id: consentId, state: 'revoked' });
    });

    it('refuses a request for a flow no policy rule allows (422 policy_denied with reasons)', async () => {
      const res = await gateway.requestConsent(newPerson(), {
        senders: [gateway.world.so.id],
        categories: ['benefits'],
      });
      const problem = await expectProblem(res, 422, 'policy_denied');
      expect(reasonCodes(problem)).toEqual(['no_rule']);
    });

    it('refuses a request with an AZR number that is not 12 digits (422 validation_failed)', async () => {
      const res = await gateway.requestConsent({ scheme: 'azr', value: '12345' });
      const problem = await expectProblem(res, 422, 'validation_failed');
      expect(problem.errors?.map((e) => e.path)).toContain('/subject/value');
    });
  });
}
