import { randomBytes } from '../core/index.ts';

/** Crockford's base32: no I, L, O, U, so a code read aloud or handwritten survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 symbols × 5 bits = 60 bits of entropy, shown as XXXX-XXXX-XXXX. */
export const CODE_SYMBOLS = 12;

export function newOneTimeCode(): string {
  const bytes = randomBytes(CODE_SYMBOLS);
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const symbols = [...bytes].map((byte) => ALPHABET[byte % 32] ?? '0').join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

/**
 * The canonical form of a code as a person types it: case, spaces and hyphens do not matter, and
 * the letters Crockford maps (O → 0, I/L → 1) are forgiven. Answers undefined for anything that
 * cannot be a code, so it is never hashed or looked up.
 */
export function normalizeCode(input: string): string | undefined {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== CODE_SYMBOLS) return undefined;
  for (const ch of cleaned) if (!ALPHABET.includes(ch)) return undefined;
  return cleaned;
}
