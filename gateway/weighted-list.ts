/** One member of an Accept or Accept-Language header, with its weight and its place. */
export interface Weighted {
  /** Lower-cased, without parameters. */
  readonly value: string;
  readonly q: number;
  readonly index: number;
}

/** RFC 9110 §12.4.2: 0 to 1, at most three decimals. */
const QVALUE = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The members of a weighted header (RFC 9110 §12.4.2), as sent: a member without `q` weighs 1, one
 * whose `q` is not a valid qvalue weighs 0 (not accepted), so a malformed weight never wins.
 * Only the first `maxChars` characters and `maxItems` members are read: a huge header costs
 * nothing.
 */
export function weightedList(
  header: string,
  limits: { readonly maxChars: number; readonly maxItems: number },
): Weighted[] {
  return header
    .slice(0, limits.maxChars)
    .split(',')
    .slice(0, limits.maxItems)
    .map((part, index) => {
      const [value = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const weight = params.find((p) => p.startsWith('q='));
      const q = weight === undefined ? 1 : Number(QVALUE.exec(weight)?.[1] ?? 0);
      return { value, q, index };
    })
    .filter((member) => member.value !== '');
}
