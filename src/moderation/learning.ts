// Learning from the team: every moderator decision is a label. Retraining builds a candidate
// per language from the workspace's decisions, and the candidate replaces the current model
// (the workspace's last one, or the shipped starter model) only if it scores better on
// decisions held back from its training.
import type { Db } from '../store/db.js';
import {
  createClassifier, trainFromDecisions, serialise, deserialise, formatReport, modelId, evaluateLabels, predictedClass, OK,
  type Classifier, type Model, type DecisionExample,
} from './classifier/index.js';

export type WorkspaceClassifier = Classifier;

const CACHE_MS = 5_000;
/** Fewer decisions than this per language cannot hold back enough to compare models. */
export const MIN_DECISIONS = 50;

let starterModels: Promise<Model[]> | null = null;
const cache = new Map<string, { at: number; stamp: string; classifier: WorkspaceClassifier }>();

async function starters(): Promise<Model[]> {
  starterModels ??= (async () => {
    const { loadModel, MODELS_DIR, STARTER_MODEL_FILES } = await import('./classifier/index.js');
    return Promise.all(Object.values(STARTER_MODEL_FILES).map((f) => loadModel(MODELS_DIR + f)));
  })();
  return starterModels;
}

/** The workspace's models where it has learned its own, the starter models otherwise. */
export async function workspaceClassifier(db: Db, workspaceId: string): Promise<WorkspaceClassifier> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.classifier;
  const own = await db.query<{ id: string; language: string }>(`select id, language from classifier_models where workspace_id = $1 and active order by language`, [workspaceId]);
  const stamp = own.map((m) => m.id).join(',');
  if (hit && hit.stamp === stamp) { hit.at = Date.now(); return hit.classifier; }
  let classifier: Classifier;
  if (!own.length) {
    classifier = createClassifier(await starters());
  } else {
    const rows = await db.query<{ language: string; model: Buffer }>(`select language, model from classifier_models where workspace_id = $1 and active`, [workspaceId]);
    const learned = rows.map((r) => deserialise(r.model, `workspace model ${r.language}`));
    const languages = new Set(learned.map((m) => m.meta.language));
    classifier = createClassifier([...learned, ...(await starters()).filter((m) => !languages.has(m.meta.language))]);
  }
  cache.set(workspaceId, { at: Date.now(), stamp, classifier });
  return classifier;
}

export interface TrainingExample { itemId: number; text: string; language: string | null; label: 'ok' | 'offensive' }

/** Each item's latest decision by a person: visible again → ok; hidden or deleted → offensive. */
export async function trainingExamples(db: Db, workspaceId: string): Promise<TrainingExample[]> {
  const rows = await db.query<{ item_id: number; after: string; folded: string; language: string | null }>(
    `select distinct on (e.item_id) e.item_id, e.data->>'after' as after, coalesce(i.text_folded, lower(i.text)) as folded, i.language
     from events e join items i on i.id = e.item_id
     where e.workspace_id = $1 and e.type = 'moderation' and e.data->>'actorKind' = 'person' and e.data->>'after' <> 'held'
     order by e.item_id, e.id desc`, [workspaceId]);
  return rows.map((r) => ({ itemId: r.item_id, text: r.folded, language: r.language, label: r.after === 'visible' ? 'ok' : 'offensive' }));
}

export interface RetrainOutcome { language: string; decisions: number; adopted: boolean; reason: string; report?: string }

export async function retrainWorkspace(db: Db, workspaceId: string): Promise<{ outcomes: RetrainOutcome[] }> {
  const examples = await trainingExamples(db, workspaceId);
  const outcomes: RetrainOutcome[] = [];
  for (const language of ['de', 'en']) {
    const mine = examples.filter((e) => e.language === language);
    if (mine.length < MIN_DECISIONS) {
      outcomes.push({ language, decisions: mine.length, adopted: false, reason: `needs at least ${MIN_DECISIONS} decisions in this language to compare models fairly; has ${mine.length}` });
      continue;
    }
    const [row] = await db.query<{ model: Buffer }>(`select model from classifier_models where workspace_id = $1 and language = $2 and active`, [workspaceId, language]);
    const current = row ? deserialise(row.model) : (await starters()).find((m) => m.meta.language === language) ?? null;
    const decisions: DecisionExample[] = mine.map((e) => ({ text: e.text, decision: e.label === 'ok' ? 'approve' : 'hide' }));
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
        cache.delete(workspaceId);
      }
      outcomes.push({ language, decisions: mine.length, adopted: r.adopt, reason: r.reason, report: formatReport(r.candidateMetrics, 'candidate on held-back decisions') });
    } catch (e: any) {
      outcomes.push({ language, decisions: mine.length, adopted: false, reason: e.message });
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
  const evaluation = examples.length ? evaluateLabels(truth, predicted, [OK, 'offensive']) : null;
  return { models, decisions: examples.length, minDecisionsToRetrain: MIN_DECISIONS, evaluation, report: evaluation ? formatReport(evaluation, 'model in use on this workspace\'s decisions') : null };
}
