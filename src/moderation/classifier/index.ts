// The learned moderation classifier: what the rest of Allmende uses.
//
//   const classifier = await loadStarterModels();
//   classifier.classify(normaliseText(text).folded, 'de')
//     → { model: 'starter-de@1', scores: { offensive: 0.93 } }
//
// Scores: for every label the chosen model has a head for, a number 0..1 on a common scale where
// 0.5 is the model's own decision threshold (the one that maximised macro-F1 on its validation
// data): score = sigmoid(logit(p) − logit(threshold)). So "score ≥ 0.5" means "the model says
// yes" for every model and label, scores of different models can be compared (the fallback below
// takes a maximum), and a rule can ask for more certainty with a higher bar. A label the model
// has no head for is absent from `scores` — never 0 (0 would claim "certainly not").
//
// Labels today: 'offensive' only. 'threat' and 'spam' have no labelled public data in German or
// English here, so the starter models ship without those heads (recorded in the model files'
// metadata under `untrained`); they are learned per workspace from moderator decisions
// (trainFromDecisions) and, meanwhile, come from word lists and rules.
//
// Language: the model whose `language` equals the item's language (ISO 639-1; "de-AT" → "de").
// For another or an unknown language every model scores the text and each label takes the
// maximum (a German insult in an English thread is still an insult).

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ClassifierScores, Label } from '../types.js';
import type { FeatureOptions, FeatureVector } from './features.js';
import { deserialise, featuriserFor, modelDigest, predict, predictVector, serialise, train, type Example, type Model, type TrainOptions } from './model.js';
import { evaluateLabels, formatReport, type Evaluation } from './metrics.js';
import { stratifiedSplit } from './random.js';
import { readLabelledFile, type DataFormat, type LabelledRow } from './datafile.js';
import { normaliseText } from '../../core/text/normalise.js';

export type { Model, Example, TrainOptions } from './model.js';
export { train, predict, serialise, deserialise, decide } from './model.js';
export { evaluateLabels, evaluateConfusion, confusionMatrix, formatReport, type Evaluation } from './metrics.js';
export { readLabelledFile, parseLabelledText, DataFileError, type LabelledRow, type DataFormat } from './datafile.js';

/** The score at which every model's label counts as predicted (see the top of this file). */
export const DECISION_THRESHOLD = 0.5;

/** The class name for "no label" in evaluations and decisions. */
export const OK = 'ok';

export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
export const STARTER_MODEL_FILES = { de: 'starter-de.model.gz', en: 'starter-en.model.gz' } as const;

export interface Classifier {
  readonly models: readonly Model[];
  /** Scores for a folded text (normaliseText().folded). */
  classify(folded: string, language: string | null): ClassifierScores;
  /** Labels whose score reaches DECISION_THRESHOLD, highest first. */
  labels(scores: ClassifierScores): Label[];
}

const logit = (p: number) => Math.log(Math.max(1e-12, p) / Math.max(1e-12, 1 - p));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

const sameFeatures = (a: FeatureOptions, b: FeatureOptions) =>
  a.bits === b.bits && a.wordNgrams === b.wordNgrams && a.charMin === b.charMin && a.charMax === b.charMax && a.wordShare === b.wordShare && a.sublinearTf === b.sublinearTf;

export function modelId(model: Model): string {
  return `${model.meta.name}@${model.meta.version}`;
}

/** Scores of one model on the common scale (0.5 = the model's threshold). */
export function scoreWith(model: Model, folded: string): Partial<Record<Label, number>> {
  return shifted(model, predict(model, folded));
}

function shifted(model: Model, raw: Partial<Record<Label, number>>): Partial<Record<Label, number>> {
  const out: Partial<Record<Label, number>> = {};
  for (const h of model.heads) out[h.label] = sigmoid(logit(raw[h.label]!) - logit(h.threshold));
  return out;
}

export function createClassifier(models: readonly Model[]): Classifier {
  if (models.length === 0) throw new Error('createClassifier: no models');
  const byLanguage = new Map<string, Model>();
  for (const m of models) if (m.meta.language && !byLanguage.has(m.meta.language)) byLanguage.set(m.meta.language, m);
  const allId = models.map(modelId).join('+');

  return {
    models,
    classify(folded, language) {
      const lang = language ? language.slice(0, 2).toLowerCase() : null;
      const own = lang ? byLanguage.get(lang) : undefined;
      if (own) return { model: modelId(own), scores: scoreWith(own, folded) };
      const scores: Partial<Record<Label, number>> = {};
      let v: FeatureVector | null = null;
      let vFor: FeatureOptions | null = null;
      for (const m of models) {
        // Models with the same feature options share one featurisation of the text.
        if (vFor === null || !sameFeatures(vFor, m.features)) {
          v = featuriserFor(m.features).featurise(folded);
          vFor = m.features;
        }
        const s = shifted(m, predictVector(m, v!));
        for (const [label, v] of Object.entries(s) as [Label, number][]) scores[label] = Math.max(scores[label] ?? 0, v);
      }
      return { model: allId, scores };
    },
    labels(s) {
      return (Object.entries(s.scores) as [Label, number][])
        .filter(([, v]) => v >= DECISION_THRESHOLD)
        .sort((a, b) => b[1] - a[1])
        .map(([l]) => l);
    },
  };
}

export async function loadModel(path: string): Promise<Model> {
  return deserialise(await readFile(path), path);
}

/** Write the model file and, next to it, its metadata as readable JSON (`name.json`). */
export async function saveModel(path: string, model: Model): Promise<{ bytes: number }> {
  const data = serialise(model);
  await writeFile(path, data);
  await writeFile(path.replace(/\.model\.gz$/, '') + '.json', JSON.stringify({ ...model.meta, features: model.features }, null, 2) + '\n');
  return { bytes: data.length };
}

/** The shipped German and English starter models (models/starter-de.model.gz, starter-en.model.gz). */
export async function loadStarterModels(dir: string = MODELS_DIR): Promise<Classifier> {
  const models = await Promise.all(Object.values(STARTER_MODEL_FILES).map((f) => loadModel(dir.replace(/\/?$/, '/') + f)));
  return createClassifier(models);
}

// ---------------------------------------------------------------------------------------------
// evaluation of labelled data (`allmende evaluate --data FILE`)

/** The class a classifier's scores amount to: the highest label at/above 0.5, else "ok". */
export function predictedClass(scores: Partial<Record<Label, number>>): string {
  let best: string = OK;
  let bestScore = DECISION_THRESHOLD;
  for (const [label, v] of Object.entries(scores) as [Label, number][]) {
    if (v >= bestScore) {
      best = label;
      bestScore = v;
    }
  }
  return best;
}

// Label names found in labelled data, and the class they mean.
const LABEL_SYNONYMS: Record<string, string> = {
  ok: OK, other: OK, neither: OK, none: OK, clean: OK, normal: OK, neutral: OK, approve: OK, approved: OK,
  not_offensive: OK, 'not-offensive': OK, 'non-offensive': OK, nothate: OK, noise: OK, '0': OK, false: OK, no: OK,
  offensive: 'offensive', offense: 'offensive', abuse: 'offensive', abusive: 'offensive', insult: 'offensive',
  profanity: 'offensive', hate: 'offensive', hateful: 'offensive', toxic: 'offensive', '1': 'offensive', true: 'offensive', yes: 'offensive',
  threat: 'threat', threatening: 'threat', threats: 'threat', violence: 'threat',
  spam: 'spam',
};

export interface EvaluateOptions {
  /** Language for rows without a language column (default: none → all models, maximum). */
  language?: string | null;
  /** Extra or overriding label names → class ("ok", "offensive", "threat", "spam"). */
  labelMap?: Record<string, string>;
}

export interface EvaluationResult {
  evaluation: Evaluation;
  report: string;
  /** Items per second of the classifier alone (normalisation included). */
  itemsPerSecond: number;
}

/** Map a data file's label to a class, or throw naming the line. */
export function classOfLabel(row: Pick<LabelledRow, 'label' | 'line'>, labelMap: Record<string, string> = {}, name = 'data'): string {
  const key = row.label.trim();
  const mapped = labelMap[key] ?? labelMap[key.toLowerCase()] ?? LABEL_SYNONYMS[key.toLowerCase()];
  if (mapped === undefined) {
    throw new Error(
      `${name} line ${row.line}: unknown label "${row.label}"; known: ${Object.keys(LABEL_SYNONYMS).join(', ')} (or map it, e.g. ${key}=offensive)`,
    );
  }
  return mapped;
}

export function evaluateRows(classifier: Classifier, rows: readonly LabelledRow[], opts: EvaluateOptions & { name?: string } = {}): EvaluationResult {
  const truth = rows.map((r) => classOfLabel(r, opts.labelMap, opts.name));
  const started = process.hrtime.bigint();
  const predicted = rows.map((r) => {
    const { folded } = normaliseText(r.text);
    return predictedClass(classifier.classify(folded, r.language ?? opts.language ?? null).scores);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const classes = [OK, ...(['offensive', 'threat', 'spam'] as const).filter((c) => truth.includes(c) || predicted.includes(c))];
  const evaluation = evaluateLabels(truth, predicted, classes);
  const title = `${opts.name ?? 'data'}: ${rows.length} items, model ${classifier.models.map(modelId).join(' + ')}`;
  return { evaluation, report: formatReport(evaluation, title), itemsPerSecond: rows.length / Math.max(seconds, 1e-9) };
}

/**
 * `allmende evaluate --data FILE [--format tsv|csv|ndjson] [--language de] [--map OFFENSE=offensive,OTHER=ok]`:
 * read the file, classify every text, return figures and the printable report.
 */
export async function evaluateFile(
  file: string,
  opts: EvaluateOptions & { format?: DataFormat; classifier?: Classifier } = {},
): Promise<EvaluationResult> {
  const rows = readLabelledFile(file, { format: opts.format });
  const classifier = opts.classifier ?? (await loadStarterModels());
  return evaluateRows(classifier, rows, { ...opts, name: file });
}

/** "OFFENSE=offensive,OTHER=ok" → { OFFENSE: 'offensive', OTHER: 'ok' } (for a --map option). */
export function parseLabelMap(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  const classes = [OK, 'offensive', 'threat', 'spam'];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const from = part.slice(0, eq).trim();
    const to = part.slice(eq + 1).trim().toLowerCase();
    if (eq <= 0 || !from) throw new Error(`label map: expected LABEL=CLASS, found "${part}"`);
    if (!classes.includes(to)) throw new Error(`label map: "${to}" is not a class; use one of ${classes.join(', ')}`);
    out[from] = to;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// learning from the team

export type Decision = 'approve' | 'hide' | 'delete';

/** A label gets a head of its own only with this many training decisions with it and without it. */
export const MIN_LABEL_EXAMPLES = 8;

/** Training refused for lack of data: a stable code and its figures, so the app can word it in German too. */
export class TrainingRefused extends Error {
  constructor(readonly code: 'too_few_held_back' | 'no_learnable_label', readonly params: Record<string, number>, message: string) {
    super(message);
    this.name = 'TrainingRefused';
  }
}

export interface DecisionExample {
  /** Folded text of the item (normaliseText().folded). */
  text: string;
  decision: Decision;
  /** Why it was hidden/deleted (default 'offensive'); ignored for 'approve'. */
  label?: Label;
}

export interface TrainFromDecisionsOptions {
  /** Share of the decisions held back to compare candidate and current model (default 0.2). */
  holdBackShare?: number;
  /**
   * Or the held-back decisions themselves (e.g. the most recent ones, to compare on what the
   * team does now); then every decision in `decisions` is used for training.
   */
  heldBack?: readonly DecisionExample[];
  /** The candidate must beat the current macro-F1 by more than this (default 0). */
  minGain?: number;
  /** Start from the current model's weights (default true when there is a current model). */
  warmStart?: boolean;
  /** Fewest held-back decisions for a comparison (default 10). */
  minHeldBack?: number;
  seed?: number;
  /** Training options for the candidate (default l2 1e-5, which pulls towards the current weights). */
  train?: TrainOptions;
  name?: string;
  version?: number;
}

export interface TrainFromDecisionsResult {
  candidate: Model;
  candidateMetrics: Evaluation;
  currentMetrics: Evaluation;
  adopt: boolean;
  reason: string;
  heldBack: number;
}

function classOfDecision(d: DecisionExample): string {
  return d.decision === 'approve' ? OK : (d.label ?? 'offensive');
}

/** Evaluate one model (null = "approve everything") on decisions. */
export function evaluateOnDecisions(model: Model | null, decisions: readonly DecisionExample[], classes: readonly string[]): Evaluation {
  const truth = decisions.map(classOfDecision);
  const predicted = decisions.map((d) => (model ? predictedClass(scoreWith(model, d.text)) : OK));
  return evaluateLabels(truth, predicted, classes);
}

/**
 * Every moderator decision is a label: approve → none of the labels; hide/delete → its reason
 * label (default 'offensive') and none of the others (one reason per decision, as the review
 * desk asks for one). A share of the decisions is held back (stratified by class, seeded); the
 * candidate is trained on the rest — warm-started from the current model, so its weights are
 * pulled towards the current ones — and both are compared on the held-back decisions with
 * macro-F1 over "ok" and the labels that occur. The candidate is adopted only if it is strictly
 * better (by more than `minGain`). Labels the decisions cannot train (fewer than 8 positive or
 * negative examples) keep the current model's head.
 */
export function trainFromDecisions(
  decisions: readonly DecisionExample[],
  current: Model | null,
  opts: TrainFromDecisionsOptions = {},
): TrainFromDecisionsResult {
  const share = opts.holdBackShare ?? 0.2;
  const seed = opts.seed ?? 1;
  let heldBack: readonly DecisionExample[];
  let trainPart: readonly DecisionExample[];
  if (opts.heldBack) {
    heldBack = opts.heldBack;
    trainPart = decisions;
  } else {
    const split = stratifiedSplit(decisions.length, share, seed, (i) => classOfDecision(decisions[i]));
    heldBack = split.heldOut.map((i) => decisions[i]);
    trainPart = split.rest.map((i) => decisions[i]);
  }
  if (heldBack.length < (opts.minHeldBack ?? 10)) {
    throw new TrainingRefused('too_few_held_back', { decisions: decisions.length, heldBack: heldBack.length, needed: opts.minHeldBack ?? 10 },
      `trainFromDecisions: ${decisions.length} decisions hold back only ${heldBack.length}; need at least ${opts.minHeldBack ?? 10}`);
  }

  const present = [...new Set([...trainPart, ...heldBack].filter((d) => d.decision !== 'approve').map((d) => d.label ?? 'offensive'))] as Label[];
  const examples: Example[] = trainPart.map((d) => {
    const labels: Partial<Record<Label, boolean>> = {};
    for (const l of present) labels[l] = d.decision !== 'approve' && (d.label ?? 'offensive') === l;
    return { text: d.text, labels };
  });
  const count = (l: Label, v: boolean) => examples.filter((e) => e.labels[l] === v).length;
  const trainable = present.filter((l) => count(l, true) >= MIN_LABEL_EXAMPLES && count(l, false) >= MIN_LABEL_EXAMPLES);
  if (trainable.length === 0) {
    throw new TrainingRefused('no_learnable_label', { needed: MIN_LABEL_EXAMPLES },
      `trainFromDecisions: no label has at least ${MIN_LABEL_EXAMPLES} removals and ${MIN_LABEL_EXAMPLES} other decisions to learn from`);
  }

  const warm = (opts.warmStart ?? true) && current !== null;
  const trained = train(examples, {
    l2: 1e-5,
    ...opts.train,
    labels: trainable,
    init: warm ? current : undefined,
    features: warm ? undefined : (current?.features ?? opts.train?.features),
    seed,
    meta: {
      name: opts.name ?? 'workspace',
      version: opts.version ?? (current ? current.meta.version + 1 : 1),
      language: current?.meta.language ?? null,
      provenance: [],
      untrained: [],
      notes: [
        `trained on ${trainPart.length} moderator decisions; ${heldBack.length} held back for the comparison`,
        warm && current ? `warm start from ${modelId(current)}` : 'trained from scratch',
      ],
      ...opts.train?.meta,
    },
  });
  // Heads the decisions could not train stay as they are.
  const kept = (current?.heads ?? []).filter((h) => !trainable.includes(h.label));
  const sameFeatures = current !== null && JSON.stringify(current.features) === JSON.stringify(trained.features);
  const candidate: Model = sameFeatures ? { ...trained, heads: [...trained.heads, ...kept] } : trained;
  candidate.meta.labels = candidate.heads.map((h) => h.label);
  candidate.meta.untrained = (['offensive', 'threat', 'spam'] as const)
    .filter((l) => !candidate.meta.labels.includes(l))
    .map((label) => ({ label, reason: 'not enough moderator decisions with this reason yet' }));

  const classes = [OK, ...present];
  const candidateMetrics = evaluateOnDecisions(candidate, heldBack, classes);
  const currentMetrics = evaluateOnDecisions(current, heldBack, classes);
  const gain = candidateMetrics.macroF1 - currentMetrics.macroF1;
  const adopt = gain > (opts.minGain ?? 0);
  const reason = `held-back decisions: ${heldBack.length}; macro-F1 candidate ${candidateMetrics.macroF1.toFixed(3)} vs current ${currentMetrics.macroF1.toFixed(3)} → ${adopt ? 'adopt the candidate' : 'keep the current model'}`;
  candidate.meta.heldOut = { decisions: heldBack.length, macroF1: candidateMetrics.macroF1, currentMacroF1: currentMetrics.macroF1 };
  candidate.meta.digest = modelDigest(candidate);
  return { candidate, candidateMetrics, currentMetrics, adopt, reason, heldBack: heldBack.length };
}
