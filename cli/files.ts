import { readFileSync, statSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { UsageError } from './io.ts';

/** Keys, signatures, receipts and reports: small files; 1 MiB leaves room and stops a mistake. */
export const MAX_SMALL_FILE = 1024 * 1024;

/**
 * The bytes of a regular file of at most `maxBytes`, checked before reading: a FIFO or a device
 * (`/dev/zero`) given by mistake would otherwise hang the command or fill its memory.
 */
export function readBounded(path: string, maxBytes: number): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}`);
  }
  if (size > maxBytes) throw new UsageError(`${path} is larger than ${sizeText(maxBytes)}`);
  return readFileSync(path);
}

/** {@link readBounded} as UTF-8 text, at most 1 MiB unless told otherwise. */
export function readSmallText(path: string, maxBytes = MAX_SMALL_FILE): string {
  return readBounded(path, maxBytes).toString('utf8');
}

const JwksShape = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** A JWK Set as given to `--jwks`; a usage error naming `from` when it is not one. */
export function parseJwks(text: string, from: string): JSONWebKeySet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${from} is not JSON`);
  }
  const parsed = JwksShape.safeParse(json);
  if (!parsed.success) throw new UsageError(`${from} is not a JWKS ({ "keys": [...] })`);
  return parsed.data;
}

/** The JWKS file `--jwks` names, read within bounds; undefined when the option is absent. */
export function jwksFile(path: string | undefined): JSONWebKeySet | undefined {
  return path === undefined ? undefined : parseJwks(readSmallText(path), path);
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${String(bytes / (1024 * 1024))} MiB` : `${String(bytes)} bytes`;
}
