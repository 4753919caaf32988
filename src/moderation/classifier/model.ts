// The learned classifier: one binary logistic regression per label (one-vs-rest) over hashed word
// and character n-grams (features.ts).
//
// Training, per label:
//   - Features are scaled by their naive-Bayes log-count ratio ("NB-LR", Wang & Manning 2012);
//     the ratio is folded back into the weights afterwards, so prediction needs no extra table.
//     On GermEval this gave about +1.5 points macro-F1 over plain LR in development runs.
//   - AdaGrad stochastic gradient descent on the class-weighted logistic loss ('balanced': each
//     class weighs as much in total) with L2 regularisation, applied lazily (a weight decays for
//     the steps it was not touched, so an update costs only the text's own features). Every epoch
//     visits the examples in a seeded random order.
//   - K folds (default 5, stratified, seeded): K models, each trained on K−1 folds and stopped at
//     the epoch with the lowest log-loss on its own fold (with patience), each with the
//     threshold that maximises macro-F1 on its own fold (or the label's F1, see
//     `thresholdObjective`) folded into its bias, so every fold model says yes at margin 0. The
//     shipped head is the mean of the K models: it uses all training examples and decides at 0.5,
//     and its threshold rests on K validation parts instead of one small one.
//     `folds: 0` = one validation split of `validationShare` instead.
//   - Weights are rounded to the int8 grid they are stored in before the (single-split)
//     threshold is chosen, so what is measured is what is shipped, and serialise → deserialise
//     gives identical predictions.
//
// Warm start ("learn from the team"): with `init`, training starts from an existing model's
// weights, the L2 term pulls towards those weights instead of towards zero, and AdaGrad starts
// with accumulators at 1 so that the first steps are small: a few hundred moderator decisions
// adjust the model instead of replacing it.
//
// Prediction: featurise once, then a dot product per label over the (few hundred to few
// thousand) active buckets: tens of microseconds for a tweet-sized text.

import { gzipSync, gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { LABELS, type Label } from '../types.js';
import { checkFeatureOptions, createFeaturiser, growSparse, DEFAULT_FEATURES, type FeatureOptions, type FeatureVector, type Featuriser } from './features.js';
import { bestThreshold } from './metrics.js';
import { createRandom, shuffleInPlace, stratifiedSplit } from './random.js';

// ---------------------------------------------------------------------------------------------
// types

/** One training text (folded) and what is known about it: true = has the label, false = has not. */
export interface Example {
  text: string;
  labels: Partial<Record<Label, boolean>>;
}

export interface DatasetProvenance {
  dataset: string;
  source: string;
  licence: string;
  citation?: string;
  /** Rows read from the source file. */
  rows: number;
  /** How the source's labels became this model's labels. */
  labelMapping: string;
  split: { seed: number; heldOutShare: number; heldOutRows: number; trainRows: number; validation: string; stratifiedBy: string };
}

export interface HeadReport {
  label: Label;
  trainRows: number;
  trainPositives: number;
  validationRows: number;
  validationPositives: number;
  /** Epochs run (summed over folds). */
  epochs: number;
  /** Best epoch (per fold with K folds). */
  bestEpoch: number | number[];
  validationMacroF1: number;
  validationLogLoss: number;
  threshold: number;
  nonZeroWeights: number;
}

export interface ModelMeta {
  /** Name of the model, e.g. "starter-de"; "workspace:<id>@<n>" for team-trained ones. */
  name: string;
  /** Version of this model (increases when it is rebuilt with changed data or code). */
  version: number;
  /** ISO 639-1 code, or null for a model meant for any language. */
  language: string | null;
  /** Labels with a trained head. */
  labels: Label[];
  /** Labels this model deliberately has no head for, and why. */
  untrained: { label: Label; reason: string }[];
  created: string;
  /** The command that rebuilt this model file. */
  command?: string;
  provenance: DatasetProvenance[];
  training: Record<string, unknown>;
  heads: HeadReport[];
  /** Figures on data never used for training or threshold choice (filled in by the trainer script). */
  heldOut?: Record<string, unknown>;
  /** SHA-256 over features, weights, biases and thresholds: equal digests = equal predictions. */
  digest?: string;
  notes?: string[];
}

export interface Head {
  label: Label;
  /** One weight per bucket (already on the int8 grid: weight = q × scale). */
  weights: Float32Array;
  bias: number;
  /** Predict the label when score >= threshold. */
  threshold: number;
  /** int8 grid step. */
  scale: number;
}

export interface Model {
  meta: ModelMeta;
  features: FeatureOptions;
  heads: Head[];
}

export interface TrainOptions {
  /** Labels to train a head for; default: every label some example has. */
  labels?: Label[];
  features?: Partial<FeatureOptions>;
  /** Start from this model's weights and regularise towards them (its feature options are used). */
  init?: Model;
  /** Maximum epochs (default 30) and patience for early stopping (default 4). */
  epochs?: number;
  patience?: number;
  /** AdaGrad base learning rate (default 0.2). */
  learningRate?: number;
  /** L2 strength per example (default 1e-6). */
  l2?: number;
  /**
   * Naive-Bayes feature scaling (NB-LR, Wang & Manning 2012): each bucket is scaled by its
   * log-count ratio r = log((p/|p|)/(q/|q|)) with smoothing alpha (default 0.25); null = off.
   * Off with `init` (a warm start continues in the unscaled space of the existing weights).
   */
  nbAlpha?: number | null;
  /** 'balanced' weighs each class by n / (2 · n_class) (default); 'none' weighs all examples 1. */
  classWeight?: 'balanced' | 'none';
  /** Share of the examples used as the validation split (default 0.15). */
  validationShare?: number;
  /** Or an explicit validation set (then `validationShare` is ignored). */
  validation?: Example[];
  /** What the threshold maximises on the validation split (default 'macro-f1'). */
  thresholdObjective?: 'macro-f1' | 'f1';
  /**
   * K-fold training (K >= 2): K models, each early-stopped on its own fold, averaged into one;
   * each fold's threshold (chosen on its own fold) is folded into its bias, so the averaged model
   * decides at 0.5. Default 5; 0 or 1 = one validation split of `validationShare`.
   */
  folds?: number;
  seed?: number;
  meta?: Partial<Omit<ModelMeta, 'labels' | 'heads'>>;
  onProgress?: (p: { label: Label; fold: number; folds: number; epoch: number; epochs: number; validationMacroF1: number; validationLogLoss: number }) => void;
}

export const MODEL_FORMAT_VERSION = 1;
const MAGIC = 'ALMC';
/** AdaGrad accumulator start value with a warm start (see runSgd). */
const WARM_START_G0 = 1;

// ---------------------------------------------------------------------------------------------
// featurised data (compressed sparse rows)

interface Rows {
  start: Int32Array; // row r: entries start[r] .. start[r+1]-1
  index: Int32Array;
  value: Float32Array;
}

function featuriseAll(featuriser: Featuriser, texts: readonly string[]): Rows {
  const start = new Int32Array(texts.length + 1);
  let index = new Int32Array(texts.length * 256);
  let value = new Float32Array(texts.length * 256);
  let n = 0;
  for (let r = 0; r < texts.length; r++) {
    const v = featuriser.featurise(texts[r]);
    if (n + v.length > index.length) [index, value] = growSparse(index, value, n, n + v.length);
    index.set(v.index.subarray(0, v.length), n);
    value.set(v.value.subarray(0, v.length), n);
    n += v.length;
    start[r + 1] = n;
  }
  return { start, index: index.slice(0, n), value: value.slice(0, n) };
}

function margin(rows: Rows, r: number, w: ArrayLike<number>, bias: number): number {
  let z = bias;
  for (let k = rows.start[r]; k < rows.start[r + 1]; k++) z += w[rows.index[k]] * rows.value[k];
  return z;
}

function dot(v: FeatureVector, w: Float32Array, bias: number): number {
  let z = bias;
  const idx = v.index;
  const val = v.value;
  for (let k = 0; k < v.length; k++) z += w[idx[k]] * val[k];
  return z;
}

export function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

// ---------------------------------------------------------------------------------------------
// quantisation: symmetric int8, step = max |w| / 127

function quantise(w: Float64Array | Float32Array): { weights: Float32Array; q: Int8Array; scale: number } {
  let max = 0;
  for (let j = 0; j < w.length; j++) {
    const a = Math.abs(w[j]);
    if (a > max) max = a;
  }
  const scale = Math.fround(max > 0 ? max / 127 : 1);
  const q = new Int8Array(w.length);
  const weights = new Float32Array(w.length);
  for (let j = 0; j < w.length; j++) {
    const v = Math.round(w[j] / scale);
    q[j] = v;
    weights[j] = v * scale;
  }
  return { weights, q, scale };
}

function toInt8(head: Head): Int8Array {
  const q = new Int8Array(head.weights.length);
  for (let j = 0; j < q.length; j++) q[j] = Math.round(head.weights[j] / head.scale);
  return q;
}

// ---------------------------------------------------------------------------------------------
// training one head

interface HeadData {
  rows: Rows;
  y: Uint8Array;
  train: Int32Array; // row numbers
  validation: Int32Array;
}

interface HeadTraining {
  weights: Float64Array;
  bias: number;
  bestEpoch: number;
  epochsRun: number;
  validationMacroF1: number;
  validationLogLoss: number;
}

function scoreRows(rows: Rows, which: Int32Array, w: ArrayLike<number>, bias: number): Float64Array {
  const out = new Float64Array(which.length);
  for (let i = 0; i < which.length; i++) out[i] = sigmoid(margin(rows, which[i], w, bias));
  return out;
}

function logLoss(scores: Float64Array, y: Uint8Array, which: Int32Array): number {
  let s = 0;
  for (let i = 0; i < which.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, scores[i]));
    s -= y[which[i]] ? Math.log(p) : Math.log(1 - p);
  }
  return which.length ? s / which.length : 0;
}

function runSgd(
  data: HeadData,
  rowsToTrain: Int32Array,
  dims: number,
  prior: Float32Array | null,
  priorBias: number,
  opts: Required<Pick<TrainOptions, 'epochs' | 'patience' | 'learningRate' | 'l2' | 'classWeight'>>,
  seed: number,
  fixedEpochs: number | null,
  onEpoch: ((epoch: number, f1: number, loss: number) => void) | null,
): HeadTraining {
  const { rows, y } = data;
  const w = new Float64Array(dims);
  if (prior) w.set(prior);
  // AdaGrad's first step on a weight is ±learningRate whatever the gradient; from a warm start
  // that would wipe out the prior weight of every touched feature. There the accumulators start
  // at G0 (so early steps are proportional to the gradient).
  const g2 = new Float64Array(dims);
  if (prior) g2.fill(WARM_START_G0);
  const last = new Int32Array(dims); // step at which the weight was last brought up to date
  let bias = priorBias;
  let g2b = 0;
  const lr = opts.learningRate;
  const l2 = opts.l2;
  const eps = 1e-6;

  let pos = 0;
  for (const r of rowsToTrain) pos += y[r];
  const neg = rowsToTrain.length - pos;
  const cPos = opts.classWeight === 'balanced' && pos > 0 ? rowsToTrain.length / (2 * pos) : 1;
  const cNeg = opts.classWeight === 'balanced' && neg > 0 ? rowsToTrain.length / (2 * neg) : 1;

  const order = Int32Array.from(rowsToTrain);
  const random = createRandom(seed);
  let step = 0;

  // Bring every weight up to date with the L2 decay it is owed (before evaluating / returning).
  const catchUp = () => {
    for (let j = 0; j < dims; j++) {
      const dt = step - last[j];
      if (dt === 0 || g2[j] === 0) { last[j] = step; continue; }
      const p = prior ? prior[j] : 0;
      const f = 1 - (lr / Math.sqrt(g2[j] + eps)) * l2 * dt;
      w[j] = p + (w[j] - p) * (f > 0 ? f : 0);
      last[j] = step;
    }
  };

  const maxEpochs = fixedEpochs ?? opts.epochs;
  let best: HeadTraining | null = null;
  let sinceBest = 0;
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    shuffleInPlace(order, random);
    for (let o = 0; o < order.length; o++) {
      const r = order[o];
      const a = rows.start[r];
      const b = rows.start[r + 1];
      // Lazy L2, then the margin with up-to-date weights.
      let z = bias;
      for (let k = a; k < b; k++) {
        const j = rows.index[k];
        const dt = step - last[j];
        if (dt > 0) {
          if (g2[j] > 0) {
            const p = prior ? prior[j] : 0;
            const f = 1 - (lr / Math.sqrt(g2[j] + eps)) * l2 * dt;
            w[j] = p + (w[j] - p) * (f > 0 ? f : 0);
          }
          last[j] = step;
        }
        z += w[j] * rows.value[k];
      }
      const target = y[r];
      const c = target ? cPos : cNeg;
      const grad = c * (sigmoid(z) - target); // d loss / d z
      if (grad !== 0) {
        for (let k = a; k < b; k++) {
          const j = rows.index[k];
          const gj = grad * rows.value[k];
          g2[j] += gj * gj;
          w[j] -= (lr / Math.sqrt(g2[j] + eps)) * gj;
        }
        g2b += grad * grad;
        bias -= (lr / Math.sqrt(g2b + eps)) * grad;
      }
      step++;
    }
    catchUp();
    if (fixedEpochs !== null) continue;

    const scores = scoreRows(rows, data.validation, w, bias);
    const truth = Array.from(data.validation, (r) => y[r] === 1);
    const f1 = bestThreshold(scores, truth, 'macro-f1').value;
    const loss = logLoss(scores, y, data.validation);
    onEpoch?.(epoch, f1, loss);
    // Better = lower validation log-loss (smoother than macro-F1 on a few hundred items, which
    // made the chosen epoch jump between 1 and 18 in development runs).
    const better = !best || loss < best.validationLogLoss;
    if (better) {
      best = { weights: Float64Array.from(w), bias, bestEpoch: epoch, epochsRun: epoch, validationMacroF1: f1, validationLogLoss: loss };
      sinceBest = 0;
    } else if (++sinceBest >= opts.patience) {
      best!.epochsRun = epoch;
      break;
    }
    best!.epochsRun = epoch;
  }
  if (fixedEpochs !== null || !best) {
    return { weights: w, bias, bestEpoch: maxEpochs, epochsRun: maxEpochs, validationMacroF1: NaN, validationLogLoss: NaN };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// NB scaling: the weight learnt for a scaled feature x·r is folded back as w·r, so prediction
// needs no ratio table.

function nbRatio(rows: Rows, y: Uint8Array, trainRows: readonly number[], dims: number, alpha: number): Float64Array {
  const p = new Float64Array(dims).fill(alpha);
  const q = new Float64Array(dims).fill(alpha);
  for (const r of trainRows) {
    const acc = y[r] ? p : q;
    for (let k = rows.start[r]; k < rows.start[r + 1]; k++) acc[rows.index[k]] += 1; // presence
  }
  let sp = 0;
  let sq = 0;
  for (let j = 0; j < dims; j++) {
    sp += p[j];
    sq += q[j];
  }
  const ratio = new Float64Array(dims);
  for (let j = 0; j < dims; j++) ratio[j] = Math.log(p[j] / sp) - Math.log(q[j] / sq);
  return ratio;
}

function scaleRows(rows: Rows, ratio: Float64Array): Rows {
  const value = new Float32Array(rows.value.length);
  for (let k = 0; k < value.length; k++) value[k] = rows.value[k] * ratio[rows.index[k]];
  return { start: rows.start, index: rows.index, value };
}

// ---------------------------------------------------------------------------------------------
// train

export function resolveTrainOptions(opts: TrainOptions) {
  return {
    epochs: opts.epochs ?? 30,
    patience: opts.patience ?? 4,
    learningRate: opts.learningRate ?? 0.2,
    l2: opts.l2 ?? 1e-6,
    nbAlpha: opts.nbAlpha === undefined ? 0.25 : opts.nbAlpha,
    classWeight: opts.classWeight ?? ('balanced' as const),
    validationShare: opts.validationShare ?? 0.15,
    thresholdObjective: opts.thresholdObjective ?? ('macro-f1' as const),
    folds: opts.folds ?? 5,
    seed: opts.seed ?? 1,
  };
}

/** Train one head per label. Examples must hold folded text (normaliseText().folded). */
export function train(examples: readonly Example[], opts: TrainOptions = {}): Model {
  const o = resolveTrainOptions(opts);
  const features: FeatureOptions = opts.init ? { ...opts.init.features } : { ...DEFAULT_FEATURES, ...opts.features };
  checkFeatureOptions(features);
  const dims = 1 << features.bits;
  const labels = opts.labels ?? LABELS.filter((l) => examples.some((e) => e.labels[l] !== undefined));
  if (labels.length === 0) throw new Error('train: no example has a label');

  const featuriser = createFeaturiser(features);
  const allExamples = opts.validation ? [...examples, ...opts.validation] : [...examples];
  const rows = featuriseAll(featuriser, allExamples.map((e) => e.text));
  const heads: Head[] = [];
  const reports: HeadReport[] = [];

  for (const [labelNo, label] of labels.entries()) {
    const known: number[] = [];
    const y = new Uint8Array(allExamples.length);
    allExamples.forEach((e, i) => {
      const v = e.labels[label];
      if (v === undefined) return;
      known.push(i);
      y[i] = v ? 1 : 0;
    });
    const priorHead = opts.init?.heads.find((h) => h.label === label) ?? null;
    const prior = priorHead ? priorHead.weights : null;
    const priorBias = priorHead ? priorHead.bias : 0;
    const sgdOpts = { epochs: o.epochs, patience: o.patience, learningRate: o.learningRate, l2: o.l2, classWeight: o.classWeight };
    const seed = o.seed * 31 + labelNo;
    const positives = (rs: readonly number[]) => rs.reduce((s, r) => s + y[r], 0);

    // Validation: an explicit set, K folds, or one stratified split of the examples.
    let folds: { train: number[]; validation: number[] }[];
    if (opts.validation) {
      folds = [{ train: known.filter((i) => i < examples.length), validation: known.filter((i) => i >= examples.length) }];
    } else if (o.folds >= 2) {
      folds = kFolds(known, y, o.folds, o.seed + 7919 * labelNo);
    } else {
      const split = stratifiedSplit(known.length, o.validationShare, o.seed + 7919 * labelNo, (k) => String(y[known[k]]));
      folds = [{ train: split.rest.map((k) => known[k]), validation: split.heldOut.map((k) => known[k]) }];
    }
    for (const f of folds) {
      const tp = positives(f.train);
      if (tp === 0 || tp === f.train.length) {
        throw new Error(`train: label "${label}" needs positive and negative training examples (has ${tp} of ${f.train.length} positive)`);
      }
      if (f.validation.length === 0) throw new Error(`train: label "${label}" has no validation examples`);
    }

    // One model per fold (one fold = the plain validation split), early-stopped on its validation
    // part; with K folds the final weights are the mean of the K models (bagging over folds).
    const weights = new Float64Array(dims);
    let bias = 0;
    const validationRows: number[] = [];
    const validationScores: number[] = [];
    const bestEpochs: number[] = [];
    let epochsRun = 0;
    for (const [foldNo, f] of folds.entries()) {
      // NB scaling (not with a warm start: the prior's weights live in the unscaled space).
      const ratio = o.nbAlpha !== null && !opts.init ? nbRatio(rows, y, f.train, dims, o.nbAlpha) : null;
      const headRows = ratio ? scaleRows(rows, ratio) : rows;
      const data: HeadData = { rows: headRows, y, train: Int32Array.from(f.train), validation: Int32Array.from(f.validation) };
      const progress = opts.onProgress
        ? (epoch: number, f1: number, loss: number) =>
            opts.onProgress!({ label, fold: foldNo + 1, folds: folds.length, epoch, epochs: o.epochs, validationMacroF1: f1, validationLogLoss: loss })
        : null;
      const result = runSgd(data, data.train, dims, prior, priorBias, sgdOpts, seed + 104729 * foldNo, null, progress);
      if (ratio) for (let j = 0; j < dims; j++) result.weights[j] *= ratio[j]; // back to the unscaled features
      bestEpochs.push(result.bestEpoch);
      epochsRun += result.epochsRun;
      if (folds.length === 1) {
        weights.set(result.weights);
        bias = result.bias;
      } else {
        // This fold's threshold, chosen on its own validation part, becomes part of its bias, so
        // that every fold model says yes at margin 0; the mean of the K models then says yes at
        // margin 0 (score 0.5) too.
        const own = scoreRows(rows, data.validation, result.weights, result.bias);
        const ownThreshold = bestThreshold(own, Array.from(data.validation, (r) => y[r] === 1), o.thresholdObjective).threshold;
        const shift = logit(ownThreshold);
        for (let j = 0; j < dims; j++) weights[j] += result.weights[j] / folds.length;
        bias += (result.bias - shift) / folds.length;
        validationRows.push(...f.validation);
        for (const sc of own) validationScores.push(sigmoid(logit(sc) - shift));
      }
    }
    const q = quantise(weights);
    bias = Math.fround(bias);
    if (folds.length === 1) {
      // The threshold is chosen with the stored (quantised) weights on the validation split.
      validationRows.push(...folds[0].validation);
      validationScores.push(...scoreRows(rows, Int32Array.from(folds[0].validation), q.weights, bias));
    }
    const scores = Float64Array.from(validationScores);
    const truth = validationRows.map((r) => y[r] === 1);
    // K folds: out-of-fold scores (each fold model's, shifted to its own threshold) are reported;
    // the threshold is 0.5 by construction.
    const t = folds.length === 1 ? bestThreshold(scores, truth, o.thresholdObjective) : { threshold: 0.5 };
    let nonZero = 0;
    for (let j = 0; j < dims; j++) if (q.q[j] !== 0) nonZero++;
    heads.push({ label, weights: q.weights, bias, threshold: Math.fround(t.threshold), scale: q.scale });
    const trainRows = folds.length === 1 ? folds[0].train : known;
    reports.push({
      label,
      trainRows: trainRows.length,
      trainPositives: positives(trainRows),
      validationRows: validationRows.length,
      validationPositives: positives(validationRows),
      epochs: epochsRun,
      bestEpoch: bestEpochs.length === 1 ? bestEpochs[0] : bestEpochs,
      validationMacroF1: round(bestThreshold(scores, truth, 'macro-f1').value),
      validationLogLoss: round(logLoss(scores, y, Int32Array.from(validationRows))),
      threshold: round(t.threshold),
      nonZeroWeights: nonZero,
    });
  }

  const meta: ModelMeta = {
    name: opts.meta?.name ?? 'model',
    version: opts.meta?.version ?? 1,
    language: opts.meta?.language ?? null,
    labels: heads.map((h) => h.label),
    untrained: opts.meta?.untrained ?? LABELS.filter((l) => !labels.includes(l)).map((label) => ({ label, reason: 'no training examples' })),
    created: opts.meta?.created ?? new Date().toISOString(),
    command: opts.meta?.command,
    provenance: opts.meta?.provenance ?? [],
    training: {
      algorithm: 'one-vs-rest logistic regression over NB-scaled hashed n-grams; AdaGrad SGD with lazy L2; K-fold: K models early-stopped on their fold\'s log-loss, each with its own macro-F1-optimal threshold folded into the bias, averaged; int8 weights',
      ...o,
      warmStart: opts.init ? `${opts.init.meta.name}@${opts.init.meta.version}` : null,
      ...opts.meta?.training,
    },
    heads: reports,
    heldOut: opts.meta?.heldOut,
    notes: opts.meta?.notes,
  };
  const model: Model = { meta, features, heads };
  model.meta.digest = modelDigest(model);
  return model;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Stratified K folds over the known rows: each fold's validation part and the rest. */
function kFolds(known: readonly number[], y: Uint8Array, k: number, seed: number): { train: number[]; validation: number[] }[] {
  const random = createRandom(seed);
  const fold = new Int32Array(y.length).fill(-1);
  for (const cls of [0, 1]) {
    const members = known.filter((r) => y[r] === cls);
    shuffleInPlace(members, random);
    members.forEach((r, i) => (fold[r] = i % k));
  }
  return Array.from({ length: k }, (_, f) => ({
    train: known.filter((r) => fold[r] !== f),
    validation: known.filter((r) => fold[r] === f),
  }));
}

// ---------------------------------------------------------------------------------------------
// predict

// One featuriser per feature configuration, shared by all models that use it (its scratch space
// is 4 MB for 2^20 buckets). Safe because JavaScript runs one call at a time and every caller
// consumes the vector before the next featurise().
const featurisers = new Map<string, Featuriser>();

export function featuriserFor(features: FeatureOptions): Featuriser {
  const key = JSON.stringify([features.bits, features.wordNgrams, features.charMin, features.charMax, features.wordShare, features.sublinearTf]);
  let f = featurisers.get(key);
  if (!f) {
    f = createFeaturiser(features);
    featurisers.set(key, f);
  }
  return f;
}

function featuriserOf(model: Model): Featuriser {
  return featuriserFor(model.features);
}

/** Scores for an already featurised text (from featuriserFor(model.features)). */
export function predictVector(model: Model, v: FeatureVector): Partial<Record<Label, number>> {
  const out: Partial<Record<Label, number>> = {};
  for (const h of model.heads) out[h.label] = sigmoid(dot(v, h.weights, h.bias));
  return out;
}

/** Scores 0..1 for every label the model has a head for. `folded` = normaliseText().folded. */
export function predict(model: Model, folded: string): Partial<Record<Label, number>> {
  return predictVector(model, featuriserOf(model).featurise(folded));
}

/** The score of one label (undefined when the model has no head for it). */
export function predictLabel(model: Model, folded: string, label: Label): number | undefined {
  const h = model.heads.find((x) => x.label === label);
  if (!h) return undefined;
  return sigmoid(dot(featuriserOf(model).featurise(folded), h.weights, h.bias));
}

/** Labels whose score reaches the head's threshold. */
export function decide(model: Model, scores: Partial<Record<Label, number>>): Label[] {
  return model.heads.filter((h) => (scores[h.label] ?? 0) >= h.threshold).map((h) => h.label);
}

export function threshold(model: Model, label: Label): number | undefined {
  return model.heads.find((h) => h.label === label)?.threshold;
}

// ---------------------------------------------------------------------------------------------
// serialise / deserialise
//
// File = gzip of: "ALMC", format version (1 byte), header length (uint32 LE), header (UTF-8 JSON:
// meta, features, and per head label/bias/threshold/scale), then per head 2^bits int8 weights
// (dense: after quantisation most buckets are 0 and gzip stores the runs in a few bytes).

interface Header {
  meta: ModelMeta;
  features: FeatureOptions;
  heads: { label: Label; bias: number; threshold: number; scale: number }[];
}

export function serialise(model: Model): Buffer {
  const header: Header = {
    meta: model.meta,
    features: model.features,
    heads: model.heads.map((h) => ({ label: h.label, bias: h.bias, threshold: h.threshold, scale: h.scale })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const dims = 1 << model.features.bits;
  const pre = Buffer.alloc(4 + 1 + 4);
  pre.write(MAGIC, 0, 'latin1');
  pre.writeUInt8(MODEL_FORMAT_VERSION, 4);
  pre.writeUInt32LE(json.length, 5);
  const parts: Buffer[] = [pre, json];
  for (const h of model.heads) {
    if (h.weights.length !== dims) throw new Error(`serialise: head "${h.label}" has ${h.weights.length} weights, expected ${dims}`);
    const q = toInt8(h);
    parts.push(Buffer.from(q.buffer, q.byteOffset, q.byteLength));
  }
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

export function deserialise(data: Uint8Array, source = 'model'): Model {
  let raw: Buffer;
  try {
    raw = gunzipSync(data);
  } catch (e) {
    throw new Error(`${source}: not a gzip-compressed Allmende model (${(e as Error).message})`);
  }
  if (raw.length < 9 || raw.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${source}: not an Allmende model file (bad magic)`);
  const version = raw.readUInt8(4);
  if (version !== MODEL_FORMAT_VERSION) throw new Error(`${source}: model format ${version} is not supported (this version reads ${MODEL_FORMAT_VERSION})`);
  const len = raw.readUInt32LE(5);
  if (9 + len > raw.length) throw new Error(`${source}: truncated header`);
  let header: Header;
  try {
    header = JSON.parse(raw.toString('utf8', 9, 9 + len)) as Header;
  } catch (e) {
    throw new Error(`${source}: corrupt header (${(e as Error).message})`);
  }
  checkFeatureOptions(header.features);
  const dims = 1 << header.features.bits;
  const expected = 9 + len + dims * header.heads.length;
  if (raw.length !== expected) throw new Error(`${source}: expected ${expected} bytes after decompression, found ${raw.length}`);
  const heads: Head[] = header.heads.map((h, i) => {
    if (!LABELS.includes(h.label)) throw new Error(`${source}: unknown label "${h.label}"`);
    const q = new Int8Array(raw.buffer, raw.byteOffset + 9 + len + i * dims, dims);
    const weights = new Float32Array(dims);
    for (let j = 0; j < dims; j++) weights[j] = q[j] * h.scale;
    return { label: h.label, weights, bias: h.bias, threshold: h.threshold, scale: h.scale };
  });
  return { meta: header.meta, features: header.features, heads };
}

/** SHA-256 over what decides predictions (features, int8 weights, biases, thresholds, scales). */
export function modelDigest(model: Model): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(model.features));
  for (const head of model.heads) {
    h.update(JSON.stringify({ label: head.label, bias: head.bias, threshold: head.threshold, scale: head.scale }));
    const q = toInt8(head);
    h.update(new Uint8Array(q.buffer, q.byteOffset, q.byteLength));
  }
  return h.digest('hex');
}
