// Classification figures: confusion matrix, precision / recall / F1 per class, macro averages,
// accuracy, and a plain-text report with aligned columns (for `allmende evaluate` and the app).
//
// Conventions (the same as scikit-learn's with zero_division=0):
//   - matrix[t][p] counts items whose true class is classes[t] and predicted class classes[p];
//   - precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R); a ratio whose
//     denominator is 0 counts as 0;
//   - macro averages are the unweighted means over all classes of the report (by default the
//     union of true and predicted classes), so a rare class weighs as much as a frequent one.

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Items whose true class this is. */
  support: number;
  /** Items predicted as this class. */
  predicted: number;
}

export interface Evaluation {
  classes: string[];
  /** matrix[true][predicted] */
  matrix: number[][];
  perClass: ClassMetrics[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
  total: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Count (true, predicted) pairs. Without `classes`: the union of both, sorted. */
export function confusionMatrix(
  truth: readonly string[],
  predicted: readonly string[],
  classes?: readonly string[],
): { classes: string[]; matrix: number[][] } {
  if (truth.length !== predicted.length) {
    throw new Error(`confusionMatrix: ${truth.length} true labels but ${predicted.length} predictions`);
  }
  const cls = classes ? [...classes] : [...new Set([...truth, ...predicted])].sort();
  const pos = new Map(cls.map((c, i) => [c, i]));
  const matrix = cls.map(() => cls.map(() => 0));
  for (let i = 0; i < truth.length; i++) {
    const t = pos.get(truth[i]);
    const p = pos.get(predicted[i]);
    if (t === undefined) throw new Error(`confusionMatrix: true label "${truth[i]}" is not one of ${cls.join(', ')}`);
    if (p === undefined) throw new Error(`confusionMatrix: predicted label "${predicted[i]}" is not one of ${cls.join(', ')}`);
    matrix[t][p]++;
  }
  return { classes: cls, matrix };
}

/** All figures from a confusion matrix (matrix[true][predicted]). */
export function evaluateConfusion(classes: readonly string[], matrix: readonly (readonly number[])[]): Evaluation {
  const k = classes.length;
  if (matrix.length !== k || matrix.some((row) => row.length !== k)) {
    throw new Error(`evaluateConfusion: the matrix must be ${k}×${k} for ${k} classes`);
  }
  let total = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predictedAs = 0;
    for (let o = 0; o < k; o++) {
      support += matrix[c][o];
      predictedAs += matrix[o][c];
    }
    const tp = matrix[c][c];
    total += support;
    correct += tp;
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    perClass.push({
      label: classes[c],
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support,
      predicted: predictedAs,
    });
  }
  const mean = (f: (m: ClassMetrics) => number) => (k === 0 ? 0 : perClass.reduce((s, m) => s + f(m), 0) / k);
  return {
    classes: [...classes],
    matrix: matrix.map((row) => [...row]),
    perClass,
    macroPrecision: mean((m) => m.precision),
    macroRecall: mean((m) => m.recall),
    macroF1: mean((m) => m.f1),
    accuracy: ratio(correct, total),
    total,
  };
}

export function evaluateLabels(truth: readonly string[], predicted: readonly string[], classes?: readonly string[]): Evaluation {
  const { classes: cls, matrix } = confusionMatrix(truth, predicted, classes);
  return evaluateConfusion(cls, matrix);
}

/**
 * Binary decision from scores: the threshold (predict positive when score >= threshold) that
 * maximises the objective on these examples. 'macro-f1' = mean of the F1 of the positive and the
 * negative class; 'f1' = F1 of the positive class. The threshold is placed halfway between two
 * neighbouring scores, so it generalises a little better than an observed score. Ties in the
 * objective go to the threshold nearest 0.5.
 */
export function bestThreshold(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
  objective: 'macro-f1' | 'f1' = 'macro-f1',
): { threshold: number; value: number } {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) pos++;
  const neg = n - pos;
  const value = (tp: number, fp: number) => {
    const fn = pos - tp;
    const tn = neg - fp;
    const f1Pos = ratio(2 * tp, 2 * tp + fp + fn);
    if (objective === 'f1') return f1Pos;
    const f1Neg = ratio(2 * tn, 2 * tn + fn + fp);
    return (f1Pos + f1Neg) / 2;
  };
  // Start: everything negative (threshold above the highest score).
  let best = { threshold: n ? Math.min(1, scores[order[0]] + 1e-6) : 0.5, value: value(0, 0) };
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    if (positive[order[r]]) tp++;
    else fp++;
    const here = scores[order[r]];
    const next = r + 1 < n ? scores[order[r + 1]] : -Infinity;
    if (next === here) continue; // cannot cut between equal scores
    const threshold = next === -Infinity ? Math.max(0, here - 1e-6) : (here + next) / 2;
    const v = value(tp, fp);
    if (v > best.value + 1e-12 || (Math.abs(v - best.value) <= 1e-12 && Math.abs(threshold - 0.5) < Math.abs(best.threshold - 0.5))) {
      best = { threshold, value: v };
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// report

function table(rows: string[][], alignRight: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows
    .map((r) => r.map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

const f3 = (x: number) => x.toFixed(3);

/**
 * A plain-text report: per-class precision / recall / F1 / support, macro averages, accuracy,
 * then the confusion matrix (rows = true class, columns = predicted class).
 */
export function formatReport(ev: Evaluation, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(title, '');
  const rows: string[][] = [['class', 'precision', 'recall', 'F1', 'support', 'predicted']];
  for (const m of ev.perClass) rows.push([m.label, f3(m.precision), f3(m.recall), f3(m.f1), String(m.support), String(m.predicted)]);
  rows.push(['macro avg', f3(ev.macroPrecision), f3(ev.macroRecall), f3(ev.macroF1), String(ev.total), String(ev.total)]);
  lines.push(table(rows, [false, true, true, true, true, true]));
  lines.push('', `accuracy ${f3(ev.accuracy)}   macro-F1 ${f3(ev.macroF1)}   items ${ev.total}`, '');
  lines.push('confusion matrix (rows: true class, columns: predicted class)');
  const cm: string[][] = [['true \\ predicted', ...ev.classes]];
  ev.classes.forEach((c, i) => cm.push([c, ...ev.matrix[i].map(String)]));
  lines.push(table(cm, [false, ...ev.classes.map(() => true)]));
  return lines.join('\n');
}
