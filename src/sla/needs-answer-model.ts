// The learned half of "needs an answer": a model per workspace trained on the team's own
// corrections, with moderation's classifier (hashed word and character n-grams, logistic
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

interface Cached { at: number; stamp: string; model: Model | null }
const cache = new Map<string, Cached>();

/** The workspace's model, or null while it has too few corrections. */
export async function needsAnswerModel(db: Db, workspaceId: string, now = Date.now()): Promise<Model | null> {
  const hit = cache.get(workspaceId);
  if (hit && now - hit.at < CACHE_MS) return hit.model;
  const [{ stamp }] = await db.query<{ stamp: string }>(
    `select count(*) || ':' || coalesce(max(extract(epoch from corrected_at)), 0) as stamp from needs_answer_corrections where workspace_id = $1`, [workspaceId]);
  if (hit && hit.stamp === stamp) { hit.at = now; return hit.model; }
  const rows = await db.query<{ text: string; needs_answer: boolean }>(
    `select coalesce(i.text_folded, i.text) as text, c.needs_answer from needs_answer_corrections c join items i on i.id = c.item_id
     where c.workspace_id = $1 order by c.corrected_at desc limit 20000`, [workspaceId]);
  const yes = rows.filter((r) => r.needs_answer).length;
  let model: Model | null = null;
  if (yes >= MIN_PER_CLASS && rows.length - yes >= MIN_PER_CLASS) {
    model = train(rows.map((r) => ({ text: r.text, labels: { [LABEL]: r.needs_answer } })), {
      labels: [LABEL], features: FEATURES, folds: 0, epochs: 20, seed: 1,
      meta: { name: `needs-answer:${workspaceId}`, version: rows.length, language: null },
    });
  }
  cache.set(workspaceId, { at: now, stamp, model });
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
