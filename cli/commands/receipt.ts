import { parseArgs } from 'node:util';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { GATEWAY_SIGNING_ALG } from '../../certs/index.ts';
import { RECEIPT_SCHEMA, RECEIPT_TYP } from '../../consent/index.ts';
import { MAX_SMALL_FILE, parseJwks, readSmallText } from '../files.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';

/** The claims a person reads off a receipt; the rest (notice hash, rights, …) is in the JSON. */
const ReceiptShape = z.object({
  iss: z.string(),
  schema_version: z.literal(RECEIPT_SCHEMA),
  record_id: z.string(),
  purposes: z
    .array(
      z.object({
        purpose: z.string(),
        pii_information: z.array(z.object({ pii_type: z.string() })),
      }),
    )
    .length(1),
  parties: z.array(
    z.object({
      party_id: z.string(),
      party_name: z.string(),
      party_role: z.string(),
      party_type: z.string().optional(),
    }),
  ),
  events: z
    .array(z.object({ validity_duration: z.object({ from: z.string(), until: z.string() }) }))
    .min(1),
  channel: z.string(),
  assurance: z.string(),
});
type Receipt = z.infer<typeof ReceiptShape>;

/** Why a receipt was refused, by the code jose gives its error. */
const REFUSALS: Readonly<Record<string, string>> = {
  ERR_JWS_INVALID: 'not a compact JWS',
  ERR_JOSE_ALG_NOT_ALLOWED: `not signed with ${GATEWAY_SIGNING_ALG}, the only algorithm allowed`,
  ERR_JWKS_NO_MATCHING_KEY: 'no key of the JWKS has its kid',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'more than one key of the JWKS has its kid',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED:
    "the signature does not verify with the gateway's key: changed or forged",
};

/** A receipt that does not hold: the one line the command prints. */
class ReceiptRefused extends Error {
  override readonly name = 'ReceiptRefused';
}

/**
 * `receipt verify FILE (--jwks FILE | --url BASE)`: checks a consent receipt — the compact JWS the
 * gateway signs on grant, or the grant answer holding it as `receipt` — against the gateway's
 * JWKS, given as a file or fetched from `BASE/.well-known/jwks.json`. Only ES256 and only `typ:
 * consent-receipt+jwt` are accepted, and the claims must be a receipt of the current schema. Prints
 * what the person agreed to, one line each, exit 0; a changed, forged or foreign receipt exit 1
 * with one line saying why.
 *
 * @example consent-gateway receipt verify receipt.jws --url https://consent.koeln.de
 */
export async function receiptVerifyCommand(
  args: string[],
  _dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { jwks: { type: 'string' }, url: { type: 'string' }, data: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('receipt verify needs exactly one receipt FILE');
  if ((values.jwks === undefined) === (values.url === undefined))
    throw new UsageError('receipt verify needs --jwks FILE or --url BASE, not both');
  const jwksUrl = values.url === undefined ? undefined : jwksUrlOf(values.url);
  const compact = receiptText(readSmallText(file));
  const { jwks, from } =
    jwksUrl === undefined
      ? {
          jwks: parseJwks(readSmallText(values.jwks ?? ''), values.jwks ?? ''),
          from: values.jwks ?? '',
        }
      : await fetchJwks(jwksUrl, io);
  try {
    const receipt = await verifyReceipt(compact, jwks);
    io.stdout.write(describe(receipt.claims, receipt.kid, from));
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ReceiptRefused)) throw error;
    io.stderr.write(`consent-gateway: receipt NOT verified: ${error.message}\n`);
    return EXIT_FAILED;
  }
}

async function verifyReceipt(
  compact: string,
  jwks: JSONWebKeySet,
): Promise<{ claims: Receipt; kid: string }> {
  let verified;
  try {
    verified = await compactVerify(compact, createLocalJWKSet(jwks), {
      algorithms: [GATEWAY_SIGNING_ALG],
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? REFUSALS[code] : undefined;
    throw new ReceiptRefused(reason ?? (error instanceof Error ? error.message : String(error)));
  }
  const { protectedHeader, payload } = verified;
  if (protectedHeader.typ !== RECEIPT_TYP)
    throw new ReceiptRefused(`typ is ${String(protectedHeader.typ)}, not ${RECEIPT_TYP}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new ReceiptRefused('the signed claims are not JSON');
  }
  const claims = ReceiptShape.safeParse(json);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw new ReceiptRefused(
      `signed, but not a consent receipt of ${RECEIPT_SCHEMA} (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  return { claims: claims.data, kid: protectedHeader.kid ?? '' };
}

function describe(receipt: Receipt, kid: string, from: string): string {
  const [purpose] = receipt.purposes;
  const [event] = receipt.events;
  const parties = receipt.parties.map((party) => {
    const role =
      party.party_role === 'dpv:DataProtectionAuthority'
        ? 'supervisory authority'
        : party.party_type === 'dpv:DataExporter'
          ? 'sends'
          : 'receives';
    return `${party.party_name} (${party.party_id}, ${role})`;
  });
  return [
    `ok   signature by ${receipt.iss} (kid ${kid}, ${GATEWAY_SIGNING_ALG}, key from ${from})`,
    `consent id:   ${receipt.record_id}`,
    `purpose:      ${purpose?.purpose ?? ''}`,
    `categories:   ${(purpose?.pii_information ?? []).map((p) => p.pii_type).join(', ')}`,
    `parties:      ${parties.join('; ')}`,
    `valid until:  ${event?.validity_duration.until ?? ''}`,
    `channel:      ${receipt.channel}`,
    `assurance:    ${receipt.assurance}`,
    '',
  ].join('\n');
}

/** The compact JWS: the file as saved, or the `receipt` of a saved grant answer. */
function receiptText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
  const receipt = (parsed as { receipt?: unknown } | null)?.receipt;
  return typeof receipt === 'string' ? receipt : trimmed;
}

/** Where a gateway at `base` publishes its keys. */
function jwksUrlOf(base: string): URL {
  let url: URL;
  try {
    url = new URL(`${base.replace(/\/+$/, '')}/.well-known/jwks.json`);
  } catch {
    throw new UsageError(`--url ${base} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`--url ${base} is not an http(s) URL`);
  return url;
}

async function fetchJwks(url: URL, io: CliIo): Promise<{ jwks: JSONWebKeySet; from: string }> {
  const response = await (io.fetch ?? fetch)(url.href);
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_SMALL_FILE) throw new Error(`${url.href} answered more than 1 MiB`);
  return { jwks: parseJwks(text, url.href), from: url.href };
}
