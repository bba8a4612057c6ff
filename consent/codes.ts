import { randomBytes } from '../core/index.ts';

/** Crockford's base32: no I, L, O, U, so a code read aloud or handwritten survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 symbols × 5 bits = 60 bits of entropy, shown as XXXX-XXXX-XXXX. */
export const CODE_SYMBOLS = 12;
/**
 * 20 symbols × 5 bits = 100 bits, shown as XXXX-XXXX-XXXX-XXXX-XXXX. A withdrawal code is not
 * locked after wrong guesses (the person must always be able to withdraw), so its length alone
 * must make guessing hopeless.
 */
export const WITHDRAWAL_CODE_SYMBOLS = 20;

function newCode(symbols: number): string {
  const bytes = randomBytes(symbols);
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const text = [...bytes].map((byte) => ALPHABET[byte % 32] ?? '0').join('');
  return text.match(/.{4}/g)?.join('-') ?? text;
}

export const newOneTimeCode = (): string => newCode(CODE_SYMBOLS);
export const newWithdrawalCode = (): string => newCode(WITHDRAWAL_CODE_SYMBOLS);

/**
 * The canonical form of a code as a person types it: case, spaces and hyphens do not matter, and
 * the letters Crockford maps (O → 0, I/L → 1) are forgiven. Answers undefined for anything that
 * cannot be a code of that length, so it is never hashed or looked up.
 */
export function normalizeCode(input: string, symbols = CODE_SYMBOLS): string | undefined {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== symbols) return undefined;
  for (const ch of cleaned) if (!ALPHABET.includes(ch)) return undefined;
  return cleaned;
}
