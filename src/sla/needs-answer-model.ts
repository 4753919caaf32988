// The learned half of "needs an answer": a model per workspace trained on the team's own
// corrections and closes, with moderation's classifier (hashed word and character n-grams, logistic
// regression; src/moderation/classifier/) under the label "needs_answer". It is small and trained
// in milliseconds, so it lives in memory and is retrained when the corrections change.
// It overrides the rules only where it is sure; its verdict says so (reason "model").
import type { Db } from '../store/db.js';
import type { Label } from '../moderation/types.js';
import { train, scoreWith, type Model } from '../moderation/classifier/index.js';
import { DEFAULT_FEATURES } from '../moderation/classifier/features.js';
import { detectNeedsAnswer, type NeedsAnswerVerdict } from './needs-answer.js';
import { normaliseText } from '../core/text/normalise.js';

// The classifier code is label-agnostic; its Label type lists moderation's labels only.
const LABEL = 'needs_answer' as Label;
/** Fewer corrections than this per side teach the model nothing reliable. */
export const MIN_PER_CLASS = 8;
/** How sure the model must be to overrule the rules. */
const SURE = 0.8;
const CACHE_MS = 5_000;
const FEATURES = { ...DEFAULT_FEATURES, bits: 16 };

interface Cached { at: number; stamp: string; closes: string; trainedAt: number; model: Model | null }
const cache = new Map<string, Cached>();
/** Closes change all day; they retrain the model at most this often (corrections at once). */
const RETRAIN_FOR_CLOSES_MS = 10 * 60_000;
const MAX_EXAMPLES = 20_000;

/**
 * Training examples: the team's corrections, and its closes — in a conversation set to done, an
 * inbound item the team answered needed an answer, one it closed without answering did not.
 * A correction of an item wins over what its close suggests.
 */
async function examples(db: Db, workspaceId: string) {
  const corrected = await db.query<{ text: string; needs_answer: boolean }>(
    `select coalesce(i.text_folded, i.text) as text, c.needs_answer from needs_answer_corrections c join items i on i.id = c.item_id
     where c.workspace_id = $1 order by c.corrected_at desc limit ${MAX_EXAMPLES}`, [workspaceId]);
  const closed = await db.query<{ text: string; needs_answer: boolean }>(
    `select coalesce(i.text_folded, i.text) as text,
       exists (select 1 from items o where o.conversation_id = i.conversation_id and o.direction = 'outbound' and o.created_at > i.created_at) as needs_answer
     from (select id from conversations where workspace_id = $1 and status = 'done' order by done_at desc nulls last limit 5000) c
     join items i on i.conversation_id = c.id and i.direction = 'inbound'
     where not exists (select 1 from needs_answer_corrections n where n.item_id = i.id)
     limit ${MAX_EXAMPLES}`, [workspaceId]);
  return [...corrected, ...closed];
}

/** The workspace's model, or null while it has too few examples of either kind. */
export async function needsAnswerModel(db: Db, workspaceId: string, now = Date.now()): Promise<Model | null> {
  const hit = cache.get(workspaceId);
  if (hit && now - hit.at < CACHE_MS) return hit.model;
  const [{ stamp, closes }] = await db.query<{ stamp: string; closes: string }>(
    `select (select count(*) || ':' || coalesce(max(extract(epoch from corrected_at)), 0) from needs_answer_corrections where workspace_id = $1) as stamp,
            (select coalesce(max(extract(epoch from done_at)), 0)::text from conversations where workspace_id = $1 and status = 'done') as closes`, [workspaceId]);
  if (hit && hit.stamp === stamp && (hit.closes === closes || now - hit.trainedAt < RETRAIN_FOR_CLOSES_MS)) {
    hit.at = now;
    return hit.model;
  }
  const rows = await examples(db, workspaceId);
  const yes = rows.filter((r) => r.needs_answer).length;
  let model: Model | null = null;
  if (yes >= MIN_PER_CLASS && rows.length - yes >= MIN_PER_CLASS) {
    model = train(rows.map((r) => ({ text: r.text, labels: { [LABEL]: r.needs_answer } })), {
      labels: [LABEL], features: FEATURES, folds: 0, epochs: 20, seed: 1,
      meta: { name: `needs-answer:${workspaceId}`, version: rows.length, language: null },
    });
  }
  cache.set(workspaceId, { at: now, stamp, closes, trainedAt: now, model });
  return model;
}

export function forgetNeedsAnswerModel(workspaceId: string): void {
  cache.delete(workspaceId);
}

/** Rules first; the team's model where it is sure and disagrees. */
export function classifyNeedsAnswer(model: Model | null, normalised: string, folded = normaliseText(normalised).folded): NeedsAnswerVerdict & { rule: NeedsAnswerVerdict; modelScore: number | null } {
  const rule = detectNeedsAnswer(normalised);
  if (!model) return { ...rule, rule, modelScore: null };
  // On the common scale of moderation's scores: 0.5 is the model's own threshold.
  const score = scoreWith(model, folded)[LABEL] ?? 0.5;
  const label = score >= 0.5 ? 'needs_answer' : 'no_answer_needed';
  if (label !== rule.label && (score >= SURE || score <= 1 - SURE)) return { label, score, reason: 'model', matched: null, rule, modelScore: score };
  return { ...rule, rule, modelScore: score };
}
