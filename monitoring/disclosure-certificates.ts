/**
 * The published ids each LP proof of a disclosure leans on, read from the duals of the simplex:
 * where a complementary suppression does the most good. Web standards only.
 */
import { byId, components, type CountSystem } from './disclosure-system.ts';
import { feasibleTableau, objectiveLine, optimise } from './disclosure-simplex.ts';
import { PrecisionLoss } from './disclosure-tableau.ts';

/**
 * For each given withheld id that the LP pins, the published ids its proof leans on: those with a
 * non-zero weight in the dual certificate of its largest or smallest value. Withholding one of them
 * breaks that proof (another may remain, for the next round to find), so that is where a
 * complementary suppression does the most good.
 */
export function certificates(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
  ids: readonly string[],
): Map<string, string[]> {
  const wanted = new Set(ids);
  const found = new Map<string, string[]>();
  for (const component of components(system, published)) {
    const n = component.ids.length;
    const ks = component.ids.flatMap((id, k) => (wanted.has(id) ? [k] : []));
    if (ks.length === 0 || component.rows.length === 0) continue;
    try {
      const t = feasibleTableau(component.rows, n, true);
      for (const k of ks) {
        const leaning = new Set<string>();
        for (const sense of [1, -1]) {
          const objective = objectiveLine(t, k, sense);
          if (optimise(t, objective) === 'unbounded') continue;
          const weights = new Map<string, number>();
          component.rows.forEach((row, i) => {
            const dual = (objective.a[n + i] ?? 0) * (row.rhs < 0 ? -1 : 1);
            for (const [id, c] of dual === 0 ? [] : row.shown) {
              weights.set(id, (weights.get(id) ?? 0) + dual * c);
            }
          });
          for (const [id, w] of weights) if (w !== 0) leaning.add(id);
        }
        found.set(component.ids[k] ?? '', [...leaning].sort(byId));
      }
    } catch (error) {
      if (!(error instanceof PrecisionLoss)) throw error;
    }
  }
  return found;
}
