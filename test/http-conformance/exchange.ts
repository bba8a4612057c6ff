import { compactDecrypt, compactVerify, importX509 } from 'jose';
import { describe, expect, it } from 'vitest';
import { signedBy } from '../support/flows.ts';
import type { TestPrincipal } from '../support/pki.ts';
import { expectProblem, newPerson, residenceNotice, type GatewayUnderTest } from './target.ts';

interface Accepted {
  id: string;
  status: string;
  consentId: string;
  auditSeq: number;
}

interface Attestation {
  senderJws: string;
  consentId: string;
  consentVersion: number;
  policyVersion: string;
  auditSeq: number;
  acceptedAt: string;
  messageType: string;
  purpose: string;
  categories: string[];
}

/** Exchange under consent and the recipient's mailbox (API.md, Agency API). */
export function describeExchange(gateway: GatewayUnderTest): void {
  /**
   * The recipient's side of a `jwe` envelope: decrypt with its own key (ECDH-ES+A256KW, A256GCM),
   * verify the gateway's attestation with the JWKS and the sender's JWS with its certificate.
   */
  const openEnvelope = async (ciphertext: string, recipient: TestPrincipal) => {
    const ecdh = await crypto.subtle.importKey(
      'pkcs8',
      await crypto.subtle.exportKey('pkcs8', recipient.privateKey),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      ['deriveBits'],
    );
    const decrypted = await compactDecrypt(ciphertext, ecdh, {
      keyManagementAlgorithms: ['ECDH-ES+A256KW'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(decrypted.protectedHeader).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
    const attested = await compactVerify(
      new TextDecoder().decode(decrypted.plaintext),
      await gateway.jwks(),
      { algorithms: ['ES256'] },
    );
    expect(attested.protectedHeader.typ).toBe('exchange-attestation+jwt');
    const attestation = JSON.parse(new TextDecoder().decode(attested.payload)) as Attestation;
    const { abh } = gateway.world;
    const signed = await compactVerify(
      attestation.senderJws,
      await importX509(abh.certificatePem, abh.alg),
    );
    return {
      attestation,
      message: JSON.parse(new TextDecoder().decode(signed.payload)) as unknown,
    };
  };

  const accepted = async (res: Response): Promise<Accepted> => {
    const text = await res.text();
    expect(res.status, text).toBe(201);
    return JSON.parse(text) as Accepted;
  };

  describe('exchange and mailbox', () => {
    it('a notice under consent is queued, listed, fetched, decrypted, verified and acknowledged', async () => {
      const { abh, jc } = gateway.world;
      const subject = newPerson();
      const { consentId } = await gateway.grantedConsent(subject);
      const sent = await accepted(await gateway.send(abh, subject));
      expect(sent).toMatchObject({ status: 'queued', consentId });
      expect(Number.isInteger(sent.auditSeq)).toBe(true);

      const list = await gateway.as(jc, '/v1/mailbox');
      expect(list.status).toBe(200);
      const { items } = (await list.json()) as { items: Record<string, unknown>[] };
      const listed = items.find((m) => m['id'] === sent.id);
      expect(listed).toMatchObject({
        sender: abh.id,
        messageType: 'residence_status.notice',
        purpose: 'labour_market_integration',
        envelope: 'jwe',
      });
      expect(Date.parse(String(listed?.['receivedAt']))).not.toBeNaN();
      expect(listed).not.toHaveProperty('ciphertext');

      const fetched = await gateway.as(jc, `/v1/mailbox/${sent.id}`);
      expect(fetched.status, await fetched.clone().text()).toBe(200);
      const envelope = (await fetched.json()) as {
        id: string;
        envelope: string;
        ciphertext: string;
      };
      expect(envelope).toMatchObject({ id: sent.id, envelope: 'jwe' });
      const { attestation, message } = await openEnvelope(envelope.ciphertext, jc);
      expect(message).toEqual(residenceNotice());
      expect(attestation).toMatchObject({
        consentId,
        consentVersion: 1,
        auditSeq: sent.auditSeq,
        messageType: 'residence_status.notice',
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
      });

      const ack = () => gateway.as(jc, `/v1/mailbox/${sent.id}/ack`, { method: 'POST' });
      expect((await ack()).status).toBe(204);
      expect((await ack()).status).toBe(204);
      await expectProblem(await gateway.as(jc, `/v1/mailbox/${sent.id}`), 404, 'not_found');
      const after = (await (await gateway.as(jc, '/v1/mailbox')).json()) as {
        items: { id: string }[];
      };
      expect(after.items.map((m) => m.id)).not.toContain(sent.id);
    });

    it('answers a retry with the same Idempotency-Key with the first result, and the key with another body with 409', async () => {
      const { abh } = gateway.world;
      const subject = newPerson();
      await gateway.grantedConsent(subject);
      // ES256 signatures differ each time: a retry sends the very payload it sent first.
      const retry = {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        payload: await signedBy(abh, residenceNotice()),
      };
      const first = await accepted(await gateway.send(abh, subject, retry));
      const again = await accepted(await gateway.send(abh, subject, retry));
      expect(again).toEqual(first);
      const other = { ...retry, payload: await signedBy(abh, residenceNotice()) };
      await expectProblem(await gateway.send(abh, subject, other), 409, 'conflict');
    });

    it("the person's history names who received which categories under which consent", async () => {
      const subject = newPerson();
      const { consentId, cookie } = await gateway.grantedConsent(subject);
      const sent = await accepted(await gateway.send(gateway.world.abh, subject));
      const res = await gateway.fetch('/v1/portal/history', { headers: { Cookie: cookie } });
      expect(res.status, await res.clone().text()).toBe(200);
      const { items } = (await res.json()) as { items: Record<string, unknown>[] };
      expect(items).toContainEqual(
        expect.objectContaining({
          exchangeId: sent.id,
          sender: gateway.world.abh.id,
          recipient: gateway.world.jc.id,
          purpose: 'labour_market_integration',
          categories: ['residence_status', 'employment_permission'],
          consentId,
        }),
      );
    });

    it('withholds a waiting message once the consent is revoked (410 consent_revoked)', async () => {
      const { abh, jc } = gateway.world;
      const subject = newPerson();
      const { consentId, cookie } = await gateway.grantedConsent(subject);
      const sent = await accepted(await gateway.send(abh, subject));
      const revoked = await gateway.fetch(`/v1/portal/consents/${consentId}/revoke`, {
        method: 'POST',
        headers: { Cookie: cookie },
      });
      expect(revoked.status).toBe(200);
      await expectProblem(await gateway.as(jc, `/v1/mailbox/${sent.id}`), 410, 'consent_revoked');
    });
  });
}
