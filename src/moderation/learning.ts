// Learning from the team: every moderator decision is a label. Retraining builds a candidate
// per language from the workspace's decisions, and the candidate replaces the current model
// (the workspace's last one, or the shipped starter model) only if it scores better on
// decisions held back from its training.
import type { Db } from '../store/db.js';
import {
  createClassifier, trainFromDecisions, serialise, deserialise, formatReport, modelId, evaluateLabels, predictedClass, OK,
  MIN_LABEL_EXAMPLES, type Classifier, type Model, type DecisionExample,
  TrainingRefused,
} from './classifier/index.js';
import { workspaceCache } from './cache.js';
import { LABELS, type Label } from './types.js';

export type WorkspaceClassifier = Classifier;

/** Fewer decisions than this per language cannot hold back enough to compare models. */
export const MIN_DECISIONS = 50;

let starterModels: Promise<Model[]> | null = null;

/** The shipped starter models, read once per process (at start, see createModeration). */
export async function starters(): Promise<Model[]> {
  starterModels ??= (async () => {
    const { loadModel, MODELS_DIR, STARTER_MODEL_FILES } = await import('./classifier/index.js');
    return Promise.all(Object.values(STARTER_MODEL_FILES).map((f) => loadModel(MODELS_DIR + f)));
  })();
  return starterModels;
}

const cache = workspaceCache<WorkspaceClassifier>(
  async (db, ws) => (await db.query<{ id: string }>(`select id from classifier_models where workspace_id = $1 and active order by language`, [ws])).map((m) => m.id).join(','),
  async (db, ws) => {
    const rows = await db.query<{ language: string; model: Buffer }>(`select language, model from classifier_models where workspace_id = $1 and active`, [ws]);
    if (!rows.length) return createClassifier(await starters());
    const learned = rows.map((r) => deserialise(r.model, `workspace model ${r.language}`));
    const languages = new Set(learned.map((m) => m.meta.language));
    return createClassifier([...learned, ...(await starters()).filter((m) => !languages.has(m.meta.language))]);
  });

/** The workspace's models where it has learned its own, the starter models otherwise. */
export const workspaceClassifier = (db: Db, workspaceId: string): Promise<WorkspaceClassifier> => cache.get(db, workspaceId);

export interface TrainingExample { itemId: number; text: string; language: string | null; label: 'ok' | Label }

/** The reason category a moderator gave → the label the model learns (insults, slurs … are "offensive"). */
export function labelOfCategory(category: string | null): Label {
  return category === 'threat' || category === 'spam' ? category : 'offensive';
}

/**
 * Each item's latest decision by a person: visible again → ok; hidden or deleted → the label of
 * the category given with it (threat, spam; anything else or none → offensive).
 */
export async function trainingExamples(db: Db, workspaceId: string): Promise<TrainingExample[]> {
  const rows = await db.query<{ item_id: number; after: string; category: string | null; folded: string; language: string | null }>(
    `select distinct on (e.item_id) e.item_id, e.data->>'after' as after, e.data->>'category' as category,
       coalesce(i.text_folded, lower(i.text)) as folded, i.language
     from events e join items i on i.id = e.item_id
     where e.workspace_id = $1 and e.type = 'moderation' and e.data->>'actorKind' = 'person' and e.data->>'after' <> 'held'
     order by e.item_id, e.id desc`, [workspaceId]);
  return rows.map((r) => ({ itemId: r.item_id, text: r.folded, language: r.language, label: r.after === 'visible' ? OK : labelOfCategory(r.category) }));
}

/** Per label: how many decisions teach it, and whether that is enough for a head of its own. */
export interface LabelSupport { label: Label; examples: number; needed: number; enough: boolean; note: string }

export function labelSupport(examples: readonly TrainingExample[]): LabelSupport[] {
  return LABELS.map((label) => {
    const n = examples.filter((e) => e.label === label).length;
    const enough = n >= MIN_LABEL_EXAMPLES;
    const note = enough
      ? `${n} decisions with this reason: enough to learn it`
      : label === 'offensive'
        ? `${n} decisions with this reason; the starter model covers it until there are ${MIN_LABEL_EXAMPLES}`
        : `not enough examples to learn: ${n} of ${MIN_LABEL_EXAMPLES} decisions with this reason; until then only word lists and rules find it`;
    return { label, examples: n, needed: MIN_LABEL_EXAMPLES, enough, note };
  });
}

export interface RetrainOutcome {
  language: string;
  decisions: number;
  adopted: boolean;
  /** Why, in English (the app words it from the fields below). */
  reason: string;
  /**
   * Why, as a stable code with its figures, for the app to word in the reader's language:
   * compared (see comparison), too_few_decisions (see needed), too_few_held_back, no_learnable_label,
   * or training_failed (an unexpected error; only `reason` says more).
   */
  reasonCode: 'compared' | 'too_few_decisions' | 'too_few_held_back' | 'no_learnable_label' | 'training_failed';
  reasonParams?: Record<string, number>;
  /** Set when a candidate was compared with the current model. */
  comparison?: { heldBack: number; candidateMacroF1: number; currentMacroF1: number };
  /** Set when there were too few decisions in this language. */
  needed?: number;
  report?: string;
  labels: LabelSupport[];
}

export async function retrainWorkspace(db: Db, workspaceId: string): Promise<{ outcomes: RetrainOutcome[] }> {
  const examples = await trainingExamples(db, workspaceId);
  const outcomes: RetrainOutcome[] = [];
  for (const language of ['de', 'en']) {
    const mine = examples.filter((e) => e.language === language);
    if (mine.length < MIN_DECISIONS) {
      outcomes.push({ language, decisions: mine.length, adopted: false, reason: `needs at least ${MIN_DECISIONS} decisions in this language to compare models fairly; has ${mine.length}`,
        reasonCode: 'too_few_decisions', reasonParams: { decisions: mine.length, needed: MIN_DECISIONS }, needed: MIN_DECISIONS, labels: labelSupport(mine) });
      continue;
    }
    const [row] = await db.query<{ model: Buffer }>(`select model from classifier_models where workspace_id = $1 and language = $2 and active`, [workspaceId, language]);
    const current = row ? deserialise(row.model) : (await starters()).find((m) => m.meta.language === language) ?? null;
    const decisions: DecisionExample[] = mine.map((e) => (e.label === OK ? { text: e.text, decision: 'approve' } : { text: e.text, decision: 'hide', label: e.label }));
    try {
      const r = trainFromDecisions(decisions, current, { name: `workspace-${language}` });
      if (r.adopt) {
        await db.transaction(async (tx) => {
          await tx.query(`update classifier_models set active = false where workspace_id = $1 and language = $2 and active`, [workspaceId, language]);
          await tx.query(`insert into classifier_models (workspace_id, language, model, metrics, active) values ($1, $2, $3, $4, true)`,
            [workspaceId, language, serialise(r.candidate), JSON.stringify({ candidate: r.candidateMetrics, current: r.currentMetrics, heldBack: r.heldBack })]);
          await tx.query(`insert into events (workspace_id, actor, type, data) values ($1, 'model', 'model.adopted', $2)`,
            [workspaceId, JSON.stringify({ language, model: modelId(r.candidate), previous: current ? modelId(current) : null, reason: r.reason })]);
        });
        cache.forget(workspaceId);
      }
      outcomes.push({ language, decisions: mine.length, adopted: r.adopt, reason: r.reason, reasonCode: 'compared',
        comparison: { heldBack: r.heldBack, candidateMacroF1: r.candidateMetrics.macroF1, currentMacroF1: r.currentMetrics.macroF1 }, report: formatReport(r.candidateMetrics, 'candidate on held-back decisions'), labels: labelSupport(mine) });
    } catch (e: any) {
      const refused = e instanceof TrainingRefused;
      outcomes.push({ language, decisions: mine.length, adopted: false, reason: e.message, reasonCode: refused ? e.code : 'training_failed',
        ...(refused ? { reasonParams: e.params } : {}), labels: labelSupport(mine) });
    }
  }
  return { outcomes };
}

/**
 * The evaluation page: which models are in use, and how the one in use does on the workspace's
 * own decisions so far (a model learned from those decisions has seen most of them: its fair
 * figure is the held-back one stored with it).
 */
export async function workspaceEvaluation(db: Db, workspaceId: string) {
  const own = await db.query<{ language: string; metrics: any; created_at: Date; model: Buffer }>(
    `select language, metrics, created_at, model from classifier_models where workspace_id = $1 and active order by language`, [workspaceId]);
  const ownModels = own.map((r) => ({ row: r, model: deserialise(r.model) }));
  const languages = new Set(ownModels.map((m) => m.model.meta.language));
  const models = [
    ...ownModels.map(({ row, model }) => ({ language: row.language, id: modelId(model), source: 'workspace' as const, createdAt: new Date(row.created_at).toISOString(), heldOut: row.metrics, meta: model.meta })),
    ...(await starters()).filter((m) => !languages.has(m.meta.language)).map((m) => ({ language: m.meta.language, id: modelId(m), source: 'starter' as const, createdAt: m.meta.created, heldOut: m.meta.heldOut ?? null, meta: m.meta })),
  ];
  const examples = await trainingExamples(db, workspaceId);
  const classifier = await workspaceClassifier(db, workspaceId);
  const truth = examples.map((e) => e.label);
  const predicted = examples.map((e) => predictedClass(classifier.classify(e.text, e.language).scores));
  const classes = [OK, ...LABELS.filter((l) => l === 'offensive' || truth.includes(l) || predicted.includes(l))];
  const evaluation = examples.length ? evaluateLabels(truth, predicted, classes) : null;
  return { models, decisions: examples.length, minDecisionsToRetrain: MIN_DECISIONS, labels: labelSupport(examples), evaluation, report: evaluation ? formatReport(evaluation, 'model in use on this workspace\'s decisions') : null };
}
