import { describe, expect, it } from 'vitest';
import { signedBy } from '../support/flows.ts';
import {
  expectProblem,
  newPerson,
  reasonCodes,
  residenceNotice,
  type GatewayUnderTest,
} from './target.ts';

/** What the gateway refuses, each with its status and problem+json code (API.md). */
export function describeRefusals(gateway: GatewayUnderTest): void {
  describe('refusals', () => {
    it('refuses a send no consent covers (403 consent_missing)', async () => {
      const res = await gateway.send(gateway.world.abh, newPerson());
      const problem = await expectProblem(res, 403, 'consent_missing');
      expect(reasonCodes(problem)).toContain('no_consent_for_purpose');
    });

    it('refuses fields whose categories the consent does not cover (422 fields_not_covered with fields)', async () => {
      const subject = newPerson();
      await gateway.grantedConsent(subject, { categories: ['residence_status'] });
      const res = await gateway.send(gateway.world.abh, subject);
      const problem = await expectProblem(res, 422, 'fields_not_covered');
      expect(problem.fields).toEqual([
        { pointer: '/employmentPermission', category: 'employment_permission' },
      ]);
    });

    it('refuses a send to an office the consent does not name (403 consent_missing)', async () => {
      const subject = newPerson();
      await gateway.grantedConsent(subject);
      const res = await gateway.send(gateway.world.abh, subject, {
        recipient: gateway.world.so.id,
      });
      const problem = await expectProblem(res, 403, 'consent_missing');
      expect(reasonCodes(problem)).toContain('parties_not_covered');
    });

    it("answers 404 to an office asking for another office's message, and does not list it", async () => {
      const { abh, jc, so } = gateway.world;
      const subject = newPerson();
      await gateway.grantedConsent(subject);
      const sent = await gateway.send(abh, subject);
      expect(sent.status).toBe(201);
      const { id } = (await sent.json()) as { id: string };
      await expectProblem(await gateway.as(so, `/v1/mailbox/${id}`), 404, 'not_found');
      await expectProblem(
        await gateway.as(so, `/v1/mailbox/${id}/ack`, { method: 'POST' }),
        404,
        'not_found',
      );
      const listed = (await (await gateway.as(so, '/v1/mailbox')).json()) as {
        items: { id: string }[];
      };
      expect(listed.items.map((m) => m.id)).not.toContain(id);
      expect((await gateway.as(jc, `/v1/mailbox/${id}`)).status).toBe(200);
    });

    it('refuses a payload not signed by the sender, and an unknown recipient (422 validation_failed)', async () => {
      const { abh, jc } = gateway.world;
      const subject = newPerson();
      await gateway.grantedConsent(subject);
      const forged = await expectProblem(
        await gateway.send(abh, subject, { payload: await signedBy(jc, residenceNotice()) }),
        422,
        'validation_failed',
      );
      expect(forged.errors?.map((e) => e.path)).toEqual(['/payload']);
      const nobody = await expectProblem(
        await gateway.send(abh, subject, { recipient: 'nobody-koeln' }),
        422,
        'validation_failed',
      );
      expect(nobody.errors?.map((e) => e.path)).toEqual(['/recipient']);
    });

    it('refuses a body over the limit (413 payload_too_large)', async () => {
      const res = await gateway.as(gateway.world.abh, '/v1/exchanges', {
        method: 'POST',
        body: JSON.stringify({ payload: 'x'.repeat(gateway.target.bodyLimit) }),
      });
      await expectProblem(res, 413, 'payload_too_large');
    });

    it('refuses malformed JSON (400) and JSON nested deeper than 64 levels (400 validation_failed)', async () => {
      const post = (body: string) =>
        gateway.as(gateway.world.abh, '/v1/exchanges', { method: 'POST', body });
      await expectProblem(await post('{"recipient": "jc-koeln",'), 400, 'malformed_json');
      await expectProblem(await post('['.repeat(65) + ']'.repeat(65)), 400, 'validation_failed');
    });

    it('answers an unknown path with 404 and a known path with a wrong method with 405', async () => {
      await expectProblem(await gateway.fetch('/v1/no-such-thing'), 404, 'not_found');
      const wrong = await gateway.as(gateway.world.abh, '/v1/exchanges', { method: 'DELETE' });
      expect(wrong.headers.get('Allow')).toMatch(/POST/);
      await expectProblem(wrong, 405, 'method_not_allowed');
    });
  });
}
