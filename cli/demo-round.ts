import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, importJWK, importX509 } from 'jose';
import { AuditLog } from '../audit/index.ts';
import {
  createGatewaySigner,
  verifyClientAssertion,
  type AuthenticatedPrincipal,
} from '../certs/index.ts';
import {
  ConsentRequestInput,
  createConsentRequest,
  endPortalSession,
  grantRequest,
  openPortalSession,
  personsRequest,
  portalPerson,
  requestNotice,
  TenantHasher,
  type ConsentDeps,
} from '../consent/index.ts';
import { canonicalJson, randomId, type Clock } from '../core/index.ts';
import {
  acknowledgeMessage,
  ExchangeInput,
  fetchMessage,
  sendExchange,
  type ExchangeDeps,
} from '../exchange/index.ts';
import { DEMO_AGENCIES } from '../gateway/node-demo.ts';
import type { PolicySet } from '../policies/index.ts';
import type { Storage } from '../storage/open.ts';
import { DEMO_TENANT } from '../tenants/index.ts';
import { clientAssertion, openJweEnvelope, signMessage } from './agency-side.ts';

/** What one demo round runs on: the real storage of a data dir, and the gateway's settings. */
export interface DemoRoundDeps {
  readonly storage: Storage;
  readonly masterKey: CryptoKey;
  readonly clock: Clock;
  /** The `aud` the agencies sign their assertions for, and the receipt's issuer. */
  readonly publicUrl: string;
  readonly policy: PolicySet;
  /** Where the demo agencies' keys and certificates lie (`<dataDir>/demo`). */
  readonly keysDir: string;
}

type DemoAgencyId = (typeof DEMO_AGENCIES)[number]['id'];

const DAY_MS = 86_400_000;
const PURPOSE = 'labour_market_integration';
const CATEGORIES = ['residence_status', 'employment_permission'] as const;
const MESSAGE_TYPE = 'residence_status.notice';
const LANGUAGE = 'de';

/**
 * One consent-and-exchange round of the demo tenant, in process, against real storage: the
 * Jobcenter asks a made-up person for consent, the person grants it as the portal lets them, the
 * immigration office sends a `residence_status.notice`, and the Jobcenter fetches, decrypts,
 * checks and acknowledges it. Agencies authenticate with client assertions made with their demo
 * keys, exactly as over HTTP. `say` gets one line per step; no line carries a code, an
 * identifier or message content.
 *
 * @throws Error if the opened message is not what was sent, or a GatewayError as the API would
 *   refuse.
 */
export async function runDemoRound(
  deps: DemoRoundDeps,
  say: (line: string) => void,
): Promise<void> {
  const { storage, masterKey, clock, publicUrl } = deps;
  const audit = new AuditLog(storage.audit, clock);
  const signer = createGatewaySigner({ pki: storage.pki, masterKey });
  const hasher = new TenantHasher(storage.consents, masterKey);
  const consent: ConsentDeps = {
    consents: storage.consents,
    pki: storage.pki,
    tenants: storage.tenants,
    clock,
    hasher,
    signer,
    masterKey,
    audit,
    auditStore: storage.audit,
    policy: deps.policy,
    publicUrl,
  };
  const exchange: ExchangeDeps = {
    exchanges: storage.exchanges,
    consents: storage.consents,
    pki: storage.pki,
    hasher,
    signer,
    audit,
    policy: deps.policy,
    clock,
    masterKey,
  };

  const agency = (id: DemoAgencyId) => {
    const read = (ext: string) => {
      const file = join(deps.keysDir, `${id}.${ext}`);
      if (!existsSync(file)) {
        throw new Error(
          `${file} is missing: the demo agencies were not registered by this data dir`,
        );
      }
      return readFileSync(file, 'utf8');
    };
    const keyPem = read('key');
    const certificatePem = read('crt');
    const name = DEMO_AGENCIES.find((a) => a.id === id)?.name ?? id;
    const authenticate = async (): Promise<AuthenticatedPrincipal> =>
      verifyClientAssertion(
        await clientAssertion({ keyPem, certificatePem, audience: publicUrl }),
        { store: storage.pki, clock, audience: publicUrl },
      );
    return { id, name, keyPem, certificatePem, authenticate };
  };
  const abh = agency('abh-demo');
  const jc = agency('jc-demo');

  // A person nobody knows: a fresh local case number each round, never shown.
  const subject = { scheme: 'local' as const, value: `DEMO-${randomId('p')}` };
  const birthDate = '1990-01-31';

  // 1. The Jobcenter asks for consent; the code would go to the person by letter.
  const validUntil = new Date(clock.now().getTime() + 180 * DAY_MS).toISOString();
  const asked = await createConsentRequest(
    consent,
    await jc.authenticate(),
    ConsentRequestInput.parse({
      subject,
      senders: [abh.id],
      recipients: [jc.id],
      purpose: PURPOSE,
      categories: [...CATEGORIES],
      validUntil,
      language: LANGUAGE,
      secondFactor: { type: 'birthDate', value: birthDate },
    }),
  );
  say(
    `1. ${jc.name} asked a person for consent: ${abh.name} may send ${CATEGORIES.join(' and ')} ` +
      `to ${jc.name} for ${PURPOSE} until ${validUntil.slice(0, 10)}; ` +
      'the one-time code goes to the person by letter',
  );

  // 2. The person signs in with code and birth date, reads the notice and grants, as in the portal.
  const session = await openPortalSession(consent, { code: asked.code, secondFactor: birthDate });
  const person = await portalPerson(consent, session.token);
  const { request } = await personsRequest(consent, person, asked.id);
  const shown = await requestNotice(consent, request, LANGUAGE);
  const { receipt } = await grantRequest(consent, person, request.id, {
    language: LANGUAGE,
    noticeHash: shown.hash,
  });
  await endPortalSession(consent, session.token);
  await verifyByGateway(deps, receipt);
  say(
    `2. the person signed in to the portal with the code and the birth date, read the notice ` +
      `(${LANGUAGE}) and granted the consent; the gateway signed the receipt`,
  );

  // 3. The immigration office sends, signing the message with its own key.
  const message = {
    residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
    employmentPermission: { allowed: true, conditions: 'Beschäftigung erlaubt' },
  };
  const sent = await sendExchange(
    exchange,
    await abh.authenticate(),
    ExchangeInput.parse({
      recipient: jc.id,
      subject,
      purpose: PURPOSE,
      messageType: MESSAGE_TYPE,
      payload: await signMessage(abh.keyPem, message),
    }),
    crypto.randomUUID(),
  );
  say(
    `3. ${abh.name} sent a ${MESSAGE_TYPE} signed with its key; the gateway checked consent and ` +
      `policy, attested and encrypted it to ${jc.name} and queued it`,
  );

  // 4. The Jobcenter fetches, decrypts with its own key and checks both signatures.
  const jcPrincipal = await jc.authenticate();
  const fetched = await fetchMessage(exchange, jcPrincipal, sent.id);
  if (fetched.envelope !== 'jwe' || fetched.ciphertext === null) {
    throw new Error('the demo message was not sealed as a JWE to the Jobcenter');
  }
  const attestationJws = await openJweEnvelope(jc.keyPem, fetched.ciphertext);
  const attestation = await verifyByGateway(deps, attestationJws);
  const senderJws = typeof attestation['senderJws'] === 'string' ? attestation['senderJws'] : '';
  const { payload } = await compactVerify(
    senderJws,
    await importX509(abh.certificatePem, 'ES256'),
    { algorithms: ['ES256'] },
  );
  const opened = JSON.parse(new TextDecoder().decode(payload)) as unknown;
  if (canonicalJson(opened) !== canonicalJson(message)) {
    throw new Error('the opened demo message is not what was sent');
  }
  say(
    `4. ${jc.name} fetched the message, decrypted it with its own key and checked the gateway's ` +
      `attestation and ${abh.name}'s signature: the content is what was sent`,
  );

  // 5. The Jobcenter confirms receipt; the gateway forgets the ciphertext.
  await acknowledgeMessage(exchange, jcPrincipal, sent.id);
  say(`5. ${jc.name} acknowledged receipt; the gateway deleted the ciphertext`);
  say(`done: each step is recorded in the audit log of tenant ${DEMO_TENANT.id}`);
}

/** Verifies a compact JWS by the demo tenant's gateway (key from its JWKS) and answers its payload. */
async function verifyByGateway(deps: DemoRoundDeps, jws: string): Promise<Record<string, unknown>> {
  const { kid } = decodeProtectedHeader(jws);
  const key = (await deps.storage.pki.keys(DEMO_TENANT.id, 'signing')).find((k) => k.kid === kid);
  if (!key) throw new Error('a gateway signature names a key the demo tenant does not publish');
  const { payload } = await compactVerify(
    jws,
    await importJWK(JSON.parse(key.publicMaterial) as object, 'ES256'),
    { algorithms: ['ES256'] },
  );
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}
