// Agreement between raters on nominal labels: Cohen's kappa for two raters (Cohen 1960), Fleiss'
// kappa for a fixed number of raters per item with per-category kappas (Fleiss 1971), and
// Krippendorff's alpha (nominal), which also takes items some raters left out. Pure functions.

/** Cohen's kappa of two raters' labels for the same items (null where it is undefined). */
export function cohenKappa(a: string[], b: string[]): number | null {
  if (a.length !== b.length) throw new Error('both raters need a label for every item');
  const n = a.length;
  if (!n) return null;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  let same = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) same++;
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  const po = same / n;
  let pe = 0;
  for (const [label, k] of ca) pe += (k / n) * ((cb.get(label) ?? 0) / n);
  // Both raters used one and the same label throughout: agreement is perfect but not measurable.
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/** Cohen's kappa from a square table of counts (rows rater A, columns rater B). */
export function cohenKappaTable(table: number[][]): number {
  const n = table.flat().reduce((s, x) => s + x, 0);
  const k = table.length;
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += table[i][i] / n;
    const row = table[i].reduce((s, x) => s + x, 0) / n;
    const col = table.reduce((s, r) => s + r[i], 0) / n;
    pe += row * col;
  }
  return (po - pe) / (1 - pe);
}

export interface FleissResult { kappa: number | null; perCategory: number[]; observed: number; expected: number }

/**
 * Fleiss' kappa from counts: counts[i][j] = raters who put item i in category j; every item must
 * have the same number of ratings m >= 2. perCategory[j] is Fleiss' kappa of category j against the rest.
 */
export function fleissKappa(counts: number[][]): FleissResult {
  const N = counts.length;
  if (!N) return { kappa: null, perCategory: [], observed: 0, expected: 0 };
  const m = counts[0].reduce((s, x) => s + x, 0);
  if (m < 2 || counts.some((r) => r.reduce((s, x) => s + x, 0) !== m)) throw new Error('Fleiss\' kappa needs the same number (at least 2) of ratings for every item');
  const k = counts[0].length;
  const p = Array.from({ length: k }, (_, j) => counts.reduce((s, r) => s + r[j], 0) / (N * m));
  const Pi = counts.map((r) => (r.reduce((s, x) => s + x * x, 0) - m) / (m * (m - 1)));
  const observed = Pi.reduce((s, x) => s + x, 0) / N;
  const expected = p.reduce((s, x) => s + x * x, 0);
  const perCategory = p.map((pj, j) => {
    const qj = 1 - pj;
    if (pj === 0 || qj === 0) return NaN;
    const disagreement = counts.reduce((s, r) => s + r[j] * (m - r[j]), 0);
    return 1 - disagreement / (N * m * (m - 1) * pj * qj);
  });
  return { kappa: expected === 1 ? null : (observed - expected) / (1 - expected), perCategory, observed, expected };
}

/**
 * Krippendorff's alpha for nominal data. units[u] = the labels given to unit u (raters who left it
 * out simply give none); units with fewer than two labels are not pairable and are skipped.
 */
export function krippendorffAlphaNominal(units: string[][]): number | null {
  const coincidence = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, w: number) => {
    const row = coincidence.get(c) ?? new Map<string, number>();
    row.set(k, (row.get(k) ?? 0) + w);
    coincidence.set(c, row);
  };
  for (const labels of units) {
    const mu = labels.length;
    if (mu < 2) continue;
    for (let i = 0; i < mu; i++) for (let j = 0; j < mu; j++) if (i !== j) add(labels[i], labels[j], 1 / (mu - 1));
  }
  const nc = new Map<string, number>();
  let n = 0;
  for (const [c, row] of coincidence) {
    const total = [...row.values()].reduce((s, x) => s + x, 0);
    nc.set(c, total);
    n += total;
  }
  if (n <= 1) return null;
  let observedDisagreement = 0;
  for (const [c, row] of coincidence) for (const [k, o] of row) if (c !== k) observedDisagreement += o;
  let expectedDisagreement = 0;
  for (const [c, a] of nc) for (const [k, b] of nc) if (c !== k) expectedDisagreement += a * b;
  if (expectedDisagreement === 0) return null;
  return 1 - ((n - 1) * observedDisagreement) / expectedDisagreement;
}

export interface RoundAgreement {
  items: number;
  raters: string[];
  fleiss: number | null;
  alpha: number | null;
  perCategory: { label: string; kappa: number | null; share: number }[];
  pairwise: { a: string; b: string; kappa: number | null; items: number }[];
  /** Items where not everyone chose the same label, with each rater's label. */
  disagreements: number[];
}

/** Everything a calibration round reports, from answers[item][rater] = label (absent: not answered). */
export function roundAgreement(labels: string[], raters: string[], answers: Map<number, Map<string, string>>): RoundAgreement {
  const itemIds = [...answers.keys()].sort((x, y) => x - y);
  const complete = itemIds.filter((i) => raters.every((r) => answers.get(i)!.has(r)));
  const fleiss = raters.length >= 2 && complete.length
    ? fleissKappa(complete.map((i) => labels.map((l) => raters.filter((r) => answers.get(i)!.get(r) === l).length)))
    : null;
  const pairwise: RoundAgreement['pairwise'] = [];
  for (let x = 0; x < raters.length; x++) {
    for (let y = x + 1; y < raters.length; y++) {
      const both = itemIds.filter((i) => answers.get(i)!.has(raters[x]) && answers.get(i)!.has(raters[y]));
      pairwise.push({ a: raters[x], b: raters[y], items: both.length, kappa: both.length ? cohenKappa(both.map((i) => answers.get(i)!.get(raters[x])!), both.map((i) => answers.get(i)!.get(raters[y])!)) : null });
    }
  }
  const totalRatings = itemIds.reduce((s, i) => s + answers.get(i)!.size, 0);
  return {
    items: itemIds.length,
    raters,
    fleiss: fleiss?.kappa ?? null,
    alpha: krippendorffAlphaNominal(itemIds.map((i) => [...answers.get(i)!.values()])),
    perCategory: labels.map((label, j) => ({
      label,
      kappa: fleiss && Number.isFinite(fleiss.perCategory[j]) ? fleiss.perCategory[j] : null,
      share: totalRatings ? itemIds.reduce((s, i) => s + [...answers.get(i)!.values()].filter((v) => v === label).length, 0) / totalRatings : 0,
    })),
    pairwise,
    disagreements: itemIds.filter((i) => new Set(answers.get(i)!.values()).size > 1),
  };
}
