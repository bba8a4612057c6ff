import {
  certificateKey,
  compactParts,
  joseEngine,
  jwsAlgorithmsFor,
  parseCertificate,
  subjectKeyOf,
} from '../certs/index.ts';

/**
 * Header parameters a sender's JWS must not carry. The JWS travels on unchanged to the
 * recipient, whose library must read it exactly as the gateway did: nothing that changes how a
 * payload or key is read (`zip` belongs to JWE alone; `b64`/`crit` change the payload; the rest
 * name keys the sender would choose itself).
 */
const REFUSED_SENDER_HEADERS = ['zip', 'crit', 'b64', 'jku', 'x5u', 'jwk'] as const;

/**
 * The message the sender signed, verified with the certificate it authenticated with, under the
 * algorithms its key allows. Throws on anything else; the caller turns that into one refusal.
 */
export async function verifiedSenderMessage(
  payloadJws: string,
  certificatePem: string,
): Promise<unknown> {
  const keyInfo = await subjectKeyOf(certificatePem, parseCertificate(certificatePem).publicKey);
  const { header } = compactParts(payloadJws);
  const alg = jwsAlgorithmsFor(keyInfo).find((allowed) => allowed === header['alg']);
  if (alg === undefined) throw new Error('alg');
  if (REFUSED_SENDER_HEADERS.some((name) => name in header)) throw new Error('header');
  const payload = await joseEngine().verify(
    payloadJws,
    await certificateKey(certificatePem, alg),
    alg,
  );
  return JSON.parse(new TextDecoder().decode(payload));
}
