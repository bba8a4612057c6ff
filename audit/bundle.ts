import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { fromBase64, leafHash, toBase64 } from './leaf.ts';
import { rootHash } from './merkle.ts';
import { inclusionProof, verifyInclusion } from './proofs.ts';
import type { AuditEntry, AuditStore } from './ports.ts';

export const BUNDLE_FORMAT = 'consent-gateway-audit-bundle/1';

/** What an export holds: enough to check every entry offline, with tools we did not write. */
export interface AuditBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly tenant: string;
  readonly exportedAt: string;
  readonly range: { readonly from?: string; readonly to?: string };
  readonly treeHead: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly timestamp: string;
    readonly jws: string;
  };
  readonly entries: readonly AuditEntry[];
  /** One inclusion proof per entry, in the order of `entries`, against `treeHead`. */
  readonly proofs: readonly { readonly seq: number; readonly proof: readonly string[] }[];
  readonly jwks: JSONWebKeySet;
  readonly openpgpKey: string;
}

/**
 * Collects the entries of a time range with inclusion proofs against a tree head signed now.
 * The caller signs the bundle's JSON text with the tenant's OpenPGP key.
 */
export async function buildBundle(input: {
  store: AuditStore;
  tenantId: string;
  range: { from?: string; to?: string };
  signTreeHead: (head: {
    treeSize: number;
    rootHash: string;
    timestamp: string;
  }) => Promise<string>;
  now: string;
  jwks: JSONWebKeySet;
  openpgpKey: string;
}): Promise<AuditBundle> {
  const { store, tenantId } = input;
  const treeSize = await store.size(tenantId);
  const reader = {
    getNode: (level: number, index: number) => store.getNode(tenantId, level, index),
  };
  const head = {
    treeSize,
    rootHash: toBase64(await rootHash(reader, treeSize)),
    timestamp: input.now,
  };
  const entries: AuditEntry[] = [];
  for (let after = -1; ;) {
    const page = await store.entries(tenantId, { afterSeq: after, limit: 1000, ...input.range });
    entries.push(...page.filter((e) => e.seq < treeSize));
    const last = page.at(-1);
    if (!last || page.length < 1000 || last.seq >= treeSize - 1) break;
    after = last.seq;
  }
  const proofs = [];
  for (const entry of entries) {
    proofs.push({
      seq: entry.seq,
      proof: (await inclusionProof(reader, entry.seq, treeSize)).map(toBase64),
    });
  }
  return {
    format: BUNDLE_FORMAT,
    tenant: tenantId,
    exportedAt: input.now,
    range: input.range,
    treeHead: { ...head, jws: await input.signTreeHead(head) },
    entries,
    proofs,
    jwks: input.jwks,
    openpgpKey: input.openpgpKey,
  };
}

export interface BundleCheck {
  readonly ok: boolean;
  readonly checks: readonly {
    readonly name: string;
    readonly ok: boolean;
    readonly detail?: string;
  }[];
}

/**
 * Checks a bundle offline: the tree head's signature (ES256, with the JWKS given, which the DPO
 * should pin rather than take from the bundle), that the signed head is the one stated, and each
 * entry's inclusion under that root. Any changed byte of any entry fails its check by seq.
 */
export async function checkBundle(text: string, pinnedJwks?: JSONWebKeySet): Promise<BundleCheck> {
  const checks: { name: string; ok: boolean; detail?: string }[] = [];
  let bundle: AuditBundle;
  try {
    const parsed = JSON.parse(text) as { format?: unknown };
    if (parsed.format !== BUNDLE_FORMAT) throw new Error('not a consent-gateway audit bundle');
    bundle = parsed as AuditBundle;
  } catch (error) {
    return {
      ok: false,
      checks: [
        {
          name: 'bundle',
          ok: false,
          detail: error instanceof Error ? error.message : 'unreadable',
        },
      ],
    };
  }
  const head = bundle.treeHead;
  try {
    const { payload } = await compactVerify(
      head.jws,
      createLocalJWKSet(pinnedJwks ?? bundle.jwks),
      {
        algorithms: ['ES256'],
      },
    );
    const signed = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const same =
      signed['treeSize'] === head.treeSize &&
      signed['rootHash'] === head.rootHash &&
      signed['timestamp'] === head.timestamp;
    checks.push({ name: 'tree head signature', ok: true });
    checks.push(
      same
        ? { name: 'tree head matches its signature', ok: true }
        : {
            name: 'tree head matches its signature',
            ok: false,
            detail: 'the stated head differs from the signed one',
          },
    );
  } catch {
    checks.push({
      name: 'tree head signature',
      ok: false,
      detail: 'the signature does not verify with the keys given',
    });
  }
  const root = fromBase64(head.rootHash);
  if (bundle.entries.length !== bundle.proofs.length) {
    checks.push({ name: 'proofs', ok: false, detail: 'not one proof per entry' });
  }
  for (const [i, entry] of bundle.entries.entries()) {
    const proof = bundle.proofs[i];
    const ok =
      proof?.seq === entry.seq &&
      (await verifyInclusion(
        await leafHash(entry),
        entry.seq,
        head.treeSize,
        proof.proof.map(fromBase64),
        root,
      ));
    checks.push(
      ok
        ? { name: `entry ${entry.seq}`, ok }
        : {
            name: `entry ${entry.seq}`,
            ok,
            detail: 'not included under the signed root: changed or forged',
          },
    );
  }
  return { ok: checks.every((c) => c.ok), checks };
}
