/**
 * Statistical confidentiality for the steering group's monitoring tables, as German official
 * statistics practise it (§ 16 BStatG, as the Bundesagentur für Arbeit applies it): counts of 1 and
 * 2 are withheld (primary suppression), and so is every count from which one of them could be
 * computed through totals or through other tables of the same period (secondary suppression).
 * The alternative is rounding every published value to a multiple of a base. Web standards only.
 */
import { GatewayError } from '../core/index.ts';
import {
  byId,
  certificates,
  checkSystem,
  findDisclosures,
  type CountSystem,
} from './disclosure.ts';

export { disclosed } from './disclosure.ts';
export type { CountSystem, Equation } from './disclosure.ts';

export type SuppressionRule =
  | { readonly kind: 'suppress'; readonly threshold: number }
  | { readonly kind: 'round'; readonly base: number };

const DEFAULT_THRESHOLD = 3;
const DEFAULT_BASE = 5;

/**
 * What is published: each count, or null where it is withheld (shown as •).
 *
 * 'suppress': every count with 0 < value < threshold is withheld (primary). Then, in rounds, each
 * equation left with exactly one withheld member gets a complement: a published non-zero part,
 * one that also covers another such equation first, then the smallest, then the first id; the
 * total only when no part will do. The exact attacker of `disclosed` then runs, and each count it
 * still finds gets one more complement, taken from its proof. Rounds end when it finds nothing;
 * complements it can compute anyway are published again, as they hide nothing. Zero is never
 * withheld. The result depends on ids, values and equations only, not on Map or array order.
 *
 * 'round': every count, totals included, rounded half up to a multiple of the base on its own.
 *
 * @throws GatewayError `validation_failed` for a malformed system or rule.
 * @example
 * ```ts
 * const system = {
 *   values: new Map([['a', 1], ['b', 5], ['a+b', 6]]),
 *   equations: [{ total: 'a+b', parts: ['a', 'b'] }],
 * };
 * protect(system, { kind: 'suppress', threshold: 3 }); // a → null, b → null, a+b → 6
 * ```
 *
 * `frozen` holds decisions published before (a month's, when its quarter is protected): a number
 * is a count published with that value (under 'round', its rounded value), null one withheld.
 * They are kept as given and only the other ids are decided, so that an outsider holding the
 * earlier reports and this one together still finds no withheld count. Primary suppression and
 * every complement apply to non-frozen ids only; where a leak's proofs lean on frozen counts
 * alone, the search for a complement walks outward until, in the worst case, every non-frozen
 * non-zero count of the leak's connected component is withheld.
 *
 * Why the worst case is safe for periods (quarter cells each the sum of its months' cells, the
 * months protected alone): the months share no ids, so any choice of one solution per month is a
 * solution of them all, and defining each quarter count as the sum of its months' counts satisfies
 * the link equations and the quarter table's own sums, which follow from the months'. With every
 * quarter count withheld, each withheld month count moves with its own month's second solution,
 * and a quarter count of a month count that moves moves with it. A zero quarter count that stays
 * published pins only zero parts, never withheld by this rule. This holds only if each frozen part
 * was safe on its own system and the new equations, once the new counts are eliminated, add no
 * equation among frozen counts (two months never checked together, now summed into a published
 * total, would break it). Where even the worst case leaves a count computable, protect refuses
 * rather than publish a leak.
 *
 * @throws GatewayError `validation_failed` for a malformed system or rule, a frozen id the system
 * lacks, or a frozen number other than the count as this rule publishes it.
 * @throws GatewayError `conflict` when the frozen decisions give a withheld count away whatever
 * is withheld among the rest (they were not safe together, or a primary count follows from them).
 */
export function protect(
  system: CountSystem,
  rule: SuppressionRule,
  frozen: ReadonlyMap<string, number | null> = new Map(),
): Map<string, number | null> {
  checkRule(rule);
  checkSystem(system);
  checkFrozen(system, rule, frozen);
  const ids = [...system.values.keys()].sort(byId);
  const count = (id: string) => system.values.get(id) ?? 0;
  const decide = (id: string, own: number | null) => {
    const given = frozen.get(id);
    return given === undefined ? own : given;
  };
  if (rule.kind === 'round') {
    return new Map(ids.map((id) => [id, decide(id, roundHalfUp(count(id), rule.base))]));
  }
  const withheld = suppress(canonical(system, frozen), rule.threshold);
  return new Map(ids.map((id) => [id, decide(id, withheld.has(id) ? null : count(id))]));
}

/**
 * Reads a rule as configured: `suppress:3` (thresholds 2..10), `round:5` (bases 2..100), or
 * `suppress` / `round` for the defaults 3 and 5.
 *
 * @throws GatewayError `validation_failed` with a one-line message.
 */
export function parseRule(text: string): SuppressionRule {
  const match = /^(suppress|round)(?::([1-9][0-9]{0,2}))?$/.exec(text.trim());
  if (!match) {
    throw refusal(
      `unknown rule ${JSON.stringify(text.slice(0, 40))}: expected suppress:<2..10> or round:<2..100>`,
    );
  }
  const number = match[2] === undefined ? undefined : Number(match[2]);
  const rule: SuppressionRule =
    match[1] === 'round'
      ? { kind: 'round', base: number ?? DEFAULT_BASE }
      : { kind: 'suppress', threshold: number ?? DEFAULT_THRESHOLD };
  checkRule(rule);
  return rule;
}

/** The sentence stated under every table published with this rule. */
export function describeRule(rule: SuppressionRule, lang: 'de' | 'en'): string {
  if (rule.kind === 'round') {
    return lang === 'de'
      ? `Alle Werte auf Vielfache von ${rule.base} gerundet; Summen können von der Summe der gerundeten Einzelwerte abweichen.`
      : `All values rounded to multiples of ${rule.base}; totals may differ from the sum of the rounded values.`;
  }
  const top = rule.threshold - 1;
  if (lang === 'de') {
    const values =
      top === 1 ? 'Der Wert 1' : top === 2 ? 'Werte 1 und 2' : `Werte von 1 bis ${top}`;
    const which = top === 1 ? 'er sich' : 'sie sich';
    const could = top === 1 ? 'ließe' : 'ließen';
    return `${values} sowie Werte, aus denen ${which} über Summen errechnen ${could}, sind gesperrt (•) – Geheimhaltung nach § 16 BStatG.`;
  }
  const values =
    top === 1 ? 'The value 1' : top === 2 ? 'Values of 1 and 2' : `Values from 1 to ${top}`;
  const which = top === 1 ? 'it' : 'they';
  return `${values}, and values from which ${which} could be derived through totals, are withheld (•) – statistical confidentiality under § 16 BStatG.`;
}

function checkRule(rule: SuppressionRule): void {
  const [name, value, max] =
    rule.kind === 'round' ? ['rounding base', rule.base, 100] : ['threshold', rule.threshold, 10];
  if (!Number.isInteger(value) || value < 2 || value > max) {
    throw refusal(`${name} ${String(value)} is outside 2..${max}`);
  }
}

/** Frozen ids must be counts of the system, published as this rule would publish them. */
function checkFrozen(
  system: CountSystem,
  rule: SuppressionRule,
  frozen: ReadonlyMap<string, number | null>,
): void {
  for (const id of [...frozen.keys()].sort(byId)) {
    const given = frozen.get(id);
    const count = system.values.get(id);
    if (count === undefined) throw refusal(`frozen id ${JSON.stringify(id)} is not in the system`);
    const shown = rule.kind === 'round' ? roundHalfUp(count, rule.base) : count;
    if (given !== null && given !== shown) {
      throw refusal(
        `frozen ${JSON.stringify(id)} was published as ${String(given)}, not as ${shown}`,
      );
    }
  }
}

function refusal(detail: string): GatewayError {
  return new GatewayError('validation_failed', { detail });
}

function roundHalfUp(value: number, base: number): number {
  return Math.floor((2 * value + base) / (2 * base)) * base;
}

/* ------------------------------------------------------------------------------------------ */

/** The system with its equations in a fixed order and each equation's members listed once. */
interface Links {
  readonly system: CountSystem;
  readonly count: (id: string) => number;
  readonly equations: readonly {
    readonly total: string;
    readonly parts: readonly string[];
    readonly members: readonly string[];
  }[];
  /** Indices of the equations each id is a member of. */
  readonly touching: ReadonlyMap<string, readonly number[]>;
  /** Published before: never withheld, and their withheld ones never published. */
  readonly frozen: ReadonlyMap<string, number | null>;
  /** A non-zero count not frozen and not yet withheld: where a complement may go. */
  readonly open: (id: string, withheld: ReadonlySet<string>) => boolean;
}

function canonical(system: CountSystem, frozen: ReadonlyMap<string, number | null>): Links {
  const sorted = system.equations
    .map((e) => ({ e, key: JSON.stringify([e.total, [...e.parts].sort(byId)]) }))
    .sort((a, b) => byId(a.key, b.key))
    .map(({ e }) => e);
  const equations = sorted.map((e) => ({
    total: e.total,
    parts: [...new Set(e.parts)].sort(byId),
    members: [...new Set([e.total, ...e.parts])].sort(byId),
  }));
  const touching = new Map<string, number[]>();
  equations.forEach(({ members }, e) => {
    for (const id of members) {
      const list = touching.get(id) ?? [];
      list.push(e);
      touching.set(id, list);
    }
  });
  const count = (id: string) => system.values.get(id) ?? 0;
  return {
    system: { values: system.values, equations: sorted },
    count,
    equations,
    touching,
    frozen,
    open: (id, withheld) => !withheld.has(id) && !frozen.has(id) && count(id) > 0,
  };
}

function suppress(links: Links, threshold: number): Set<string> {
  const ids = [...links.system.values.keys()].sort(byId);
  const { frozen } = links;
  const primary = new Set(
    ids.filter((id) => !frozen.has(id) && links.count(id) > 0 && links.count(id) < threshold),
  );
  // Frozen withheld counts must stay hidden as primary ones must: neither may be published again.
  const kept = new Set([...primary, ...ids.filter((id) => frozen.get(id) === null)]);
  const withheld = new Set(kept);
  const memo = new Map<string, Uint8Array>();
  for (;;) {
    coverExposed(links, withheld);
    const shown = new Map(ids.map((id) => [id, withheld.has(id) ? null : links.count(id)]));
    const { determined, undecided } = findDisclosures(links.system, shown, memo);
    const leaks = [...undecided, ...determined.filter((id) => kept.has(id))].sort(byId);
    if (leaks.length === 0) {
      // A withheld complement the attacker computes anyway protects nothing: publishing its true
      // value leaves every solution, and so every other withheld count, as it was.
      for (const id of determined) withheld.delete(id);
      return withheld;
    }
    const before = withheld.size;
    const proofs = certificates(links.system, shown, leaks);
    for (const id of leaks) widen(links, withheld, id, proofs.get(id) ?? []);
    if (withheld.size > before) continue;
    // Nothing left to withhold: every non-zero count of these components that is not frozen is
    // withheld already. Without a frozen published non-zero count among them, doubling every
    // non-zero count is a second solution, so none is disclosed; with one, the leak stands.
    const stuck = leaks.filter((id) => frozenBound(links, id));
    if (stuck.length === 0) return withheld;
    throw new GatewayError('conflict', {
      detail: `the frozen decisions give ${stuck
        .slice(0, 5)
        .map((id) => JSON.stringify(id))
        .join(', ')} away whatever else is withheld`,
    });
  }
}

/** Whether the connected component of `id` holds a frozen count published with a non-zero value. */
function frozenBound(links: Links, id: string): boolean {
  const seen = new Set([id]);
  for (const current of seen) {
    if ((links.frozen.get(current) ?? 0) > 0) return true;
    for (const e of links.touching.get(current) ?? []) {
      for (const member of links.equations[e]?.members ?? []) seen.add(member);
    }
  }
  return false;
}

/**
 * The classic secondary step: an equation with exactly one withheld member gives it away, so
 * another member is withheld, preferring one that also covers a second such equation (this closes
 * the 4-cell rectangle instead of walking across the table), then the smallest non-zero part.
 */
function coverExposed(links: Links, withheld: Set<string>): void {
  const inEquation = links.equations.map((e) => e.members.filter((id) => withheld.has(id)).length);
  const exposed = (e: number) => inEquation[e] === 1;
  let progress = true;
  while (progress) {
    progress = false;
    links.equations.forEach((equation, e) => {
      if (!exposed(e)) return;
      const open = (id: string) => links.open(id, withheld);
      const parts = equation.parts.filter(open);
      const candidates = parts.length > 0 ? parts : [equation.total].filter(open);
      const covers = (id: string) =>
        (links.touching.get(id) ?? []).filter((f) => f !== e && exposed(f)).length;
      const pick = candidates
        .map((id) => ({ id, covers: covers(id), count: links.count(id) }))
        .sort((a, b) => b.covers - a.covers || a.count - b.count || byId(a.id, b.id))[0];
      if (!pick) return;
      withheld.add(pick.id);
      for (const f of links.touching.get(pick.id) ?? []) inEquation[f] = (inEquation[f] ?? 0) + 1;
      progress = true;
    });
  }
}

/**
 * For a count still disclosed through several equations at once (a combination or bounds leak):
 * withhold the smallest published non-zero count its proof leans on (the LP's dual certificate).
 * Failing that, the nearest published non-zero count, searching outward through the equations,
 * parts before totals, then smallest, then first id.
 */
function widen(links: Links, withheld: Set<string>, leak: string, proof: readonly string[]): void {
  const leaning = proof
    .filter((id) => links.open(id, withheld))
    .sort((a, b) => links.count(a) - links.count(b) || byId(a, b))[0];
  if (leaning !== undefined) {
    withheld.add(leaning);
    return;
  }
  const seen = new Set([leak]);
  let layer = [leak];
  while (layer.length > 0) {
    const equations = [...new Set(layer.flatMap((id) => links.touching.get(id) ?? []))];
    const next = equations
      .flatMap((e) => links.equations[e]?.members ?? [])
      .filter((id) => !seen.has(id));
    for (const id of next) seen.add(id);
    const asPart = new Set(equations.flatMap((e) => links.equations[e]?.parts ?? []));
    const pick = [...new Set(next)]
      .filter((id) => links.open(id, withheld))
      .sort(
        (a, b) =>
          Number(asPart.has(b)) - Number(asPart.has(a)) ||
          links.count(a) - links.count(b) ||
          byId(a, b),
      )[0];
    if (pick !== undefined) {
      withheld.add(pick);
      return;
    }
    layer = [...new Set(next)];
  }
}
