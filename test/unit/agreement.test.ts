// Agreement figures against values computed by hand on small fixtures and the worked examples of
// the original papers. The published tables are reconstructed here from the papers:
// - Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
//   Measurement 20(1), 37–46, Table 1: two judges, 200 items, three categories, given as
//   proportions (.44 .07 .09 / .05 .20 .05 / .01 .03 .06); p_o = .70, p_c = .41, kappa = .492.
// - Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
//   Bulletin 76(5), 378–382, Table 1: 30 patients, 6 psychiatrists each, five diagnoses
//   (depression, personality disorder, schizophrenia, neurosis, other); kappa = .430 (the R
//   package irr prints 0.4302445 for the same data). Category totals 26, 26, 30, 55, 43.
// - Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability: the reliability data
//   matrix of 4 observers and 12 units with missing values, nominal alpha = .743.
import { describe, it, expect } from 'vitest';
import { cohenKappa, cohenKappaTable, fleissKappa, krippendorffAlphaNominal, roundAgreement } from '../../src/training/agreement.js';

// Fleiss (1971) Table 1, as the diagnoses each patient got (1 depression … 5 other).
const FLEISS_1971 = [
  [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
];
const fleissCounts = FLEISS_1971.map((row) => [1, 2, 3, 4, 5].map((c) => row.filter((x) => x === c).length));

describe('Cohen\'s kappa', () => {
  it('reproduces Cohen (1960), Table 1: kappa = .492', () => {
    const table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]];
    expect(cohenKappaTable(table)).toBeCloseTo((0.70 - 0.41) / (1 - 0.41), 10);
    expect(cohenKappaTable(table).toFixed(3)).toBe('0.492');
    // The same from the 200 pairs of labels.
    const a: string[] = [];
    const b: string[] = [];
    table.forEach((row, i) => row.forEach((n, j) => { for (let k = 0; k < n; k++) { a.push(`c${i}`); b.push(`c${j}`); } }));
    expect(cohenKappa(a, b)).toBeCloseTo(cohenKappaTable(table), 12);
  });

  it('equals a hand computation on a small fixture', () => {
    // 10 items: agree on 7 (4 spam, 3 ok). A: 6 spam 4 ok, B: 5 spam 5 ok.
    // p_o = .7; p_e = .6*.5 + .4*.5 = .5; kappa = .2/.5 = .4
    const a = ['spam', 'spam', 'spam', 'spam', 'spam', 'spam', 'ok', 'ok', 'ok', 'ok'];
    const b = ['spam', 'spam', 'spam', 'spam', 'ok', 'ok', 'spam', 'ok', 'ok', 'ok'];
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
    expect(cohenKappa(a, a)).toBe(1);
    expect(cohenKappa(['ok', 'ok'], ['ok', 'ok'])).toBeNull();
  });
});

describe('Fleiss\' kappa', () => {
  it('reproduces Fleiss (1971), Table 1: kappa = .430', () => {
    expect(fleissCounts.reduce((s, r) => r.map((x, j) => s[j] + x), [0, 0, 0, 0, 0])).toEqual([26, 26, 30, 55, 43]);
    const r = fleissKappa(fleissCounts);
    expect(r.kappa!.toFixed(3)).toBe('0.430');
    expect(r.kappa).toBeCloseTo(0.4302445, 7);
    // The per-diagnosis kappas Fleiss reports: .245, .245, .520, .471, .566.
    expect(r.perCategory.map((k) => k.toFixed(3))).toEqual(['0.245', '0.245', '0.520', '0.471', '0.566']);
  });

  it('equals a hand computation on a small fixture', () => {
    // 3 items, 3 raters, labels (a, b): [3,0], [2,1], [0,3].
    // P_i = 1, 1/3, 1 -> P̄ = 7/9; p = (5/9, 4/9) -> P_e = 41/81; kappa = (63/81 - 41/81) / (40/81) = 22/40
    expect(fleissKappa([[3, 0], [2, 1], [0, 3]]).kappa).toBeCloseTo(22 / 40, 12);
    expect(() => fleissKappa([[2, 0], [1, 0]])).toThrow(/same number/);
  });
});

describe('Krippendorff\'s alpha (nominal)', () => {
  it('reproduces Krippendorff (2011): 4 observers, 12 units with missing values, alpha = .743', () => {
    const observers = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];
    const units = Array.from({ length: 12 }, (_, u) => observers.map((o) => o[u]).filter((v) => v !== null).map(String));
    expect(krippendorffAlphaNominal(units)!.toFixed(3)).toBe('0.743');
  });

  it('equals a hand computation and is close to Fleiss\' kappa on complete data', () => {
    // 2 raters, 4 items: (a,a) (a,b) (b,b) (b,b). Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 4;
    // n_a = 3, n_b = 5, n = 8. alpha = 1 - (n-1) * 2 / (2 * 3 * 5) = 1 - 14/30 = 8/15.
    expect(krippendorffAlphaNominal([['a', 'a'], ['a', 'b'], ['b', 'b'], ['b', 'b']])).toBeCloseTo(8 / 15, 12);
    const alpha = krippendorffAlphaNominal(FLEISS_1971.map((r) => r.map(String)))!;
    // With m raters on N items, alpha = kappa + (1 - kappa) / (N m): 0.4302445 + 0.5697555 / 180.
    expect(alpha).toBeCloseTo(0.4302445 + (1 - 0.4302445) / 180, 6);
  });
});

describe('a calibration round', () => {
  it('reports per-category agreement, pairwise kappas and the items in dispute', () => {
    const answers = new Map<number, Map<string, string>>([
      [1, new Map([['anna', 'hate'], ['ben', 'hate'], ['cem', 'hate']])],
      [2, new Map([['anna', 'ok'], ['ben', 'ok'], ['cem', 'ok']])],
      [3, new Map([['anna', 'hate'], ['ben', 'ok'], ['cem', 'hate']])],
      [4, new Map([['anna', 'ok'], ['ben', 'ok'], ['cem', 'ok']])],
    ]);
    const r = roundAgreement(['hate', 'ok'], ['anna', 'ben', 'cem'], answers);
    expect(r.disagreements).toEqual([3]);
    // counts [3,0] [0,3] [2,1] [0,3]: P̄ = (1+1+1/3+1)/4 = 5/6; p = (5/12, 7/12); P_e = 74/144.
    expect(r.fleiss).toBeCloseTo((5 / 6 - 74 / 144) / (1 - 74 / 144), 12);
    expect(r.pairwise.find((p) => p.a === 'anna' && p.b === 'cem')!.kappa).toBe(1);
    // anna vs ben: agree on 3 of 4; anna 2 hate, ben 1 hate: p_e = .5*.25 + .5*.75 = .5 -> kappa .5
    expect(r.pairwise.find((p) => p.a === 'anna' && p.b === 'ben')!.kappa).toBeCloseTo(0.5, 12);
    expect(r.perCategory.map((c) => c.label)).toEqual(['hate', 'ok']);
  });
});
