// Drafts: a trainee's reply or moderation decision that needs approval waits here instead of going
// to the outbox. A mentor approves it (as written or edited) — then, and only then, it takes the
// normal way out (sendReply / changeModeration) in the same transaction — or returns it with
// feedback. The draft row is locked first, so two mentors acting at once leave one outcome.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { sendReply, checkReply } from '../inbox/replies.js';
import { changeModeration, DECISION_TO, type DecisionCategory } from '../moderation/state.js';
import { modeFor, decisionAction, trainingSettings, type TraineeAction } from './policy.js';
import { wordDiff, editSize } from './diff.js';
import { checkSection } from './guidelines.js';

export interface Person { userId: string; name: string }

/** The trainee behind a request (null for an API token). */
export const traineeOf = (req: FastifyRequest): Person | null => (req.auth?.user ? { userId: req.auth.user.id, name: req.auth.user.name } : null);

export type Work =
  | { kind: 'reply'; conversationId: number; text: string; replyTo?: number }
  | { kind: 'decision'; itemId: number; decision: keyof typeof DECISION_TO; category?: DecisionCategory; reason?: string };

const actionOf = (w: Work): TraineeAction => (w.kind === 'reply' ? 'reply' : decisionAction(w.decision, w.category));

async function event(db: Db, workspaceId: string, actor: Person, type: string, data: object, refs: { itemId?: number | null; conversationId?: number | null } = {}) {
  await db.query(`insert into events (workspace_id, item_id, conversation_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, $5, $6, $7)`,
    [workspaceId, refs.itemId ?? null, refs.conversationId ?? null, actor.userId, `person:${actor.name}`, type, JSON.stringify(data)]);
}

/**
 * The one gate for a trainee's work, called where a reply or decision would go out. Returns null
 * when the trainee may act alone (the caller goes on as for anyone), the draft when it needs
 * approval; refuses what trainees may never do.
 */
export async function holdForReview(db: Db, workspaceId: string, trainee: Person | null, work: Work) {
  if (!trainee) throw new HttpError(403, 'forbidden', 'a trainee\'s work is reviewed person by person: use a trainee\'s login, not an API token');
  const action = actionOf(work);
  const mode = await modeFor(db, workspaceId, trainee.userId, action);
  if (mode === 'never') throw new HttpError(403, 'not_for_trainees', `trainees may not ${action.replace('_', ' ')} in this workspace (training policy)`);
  if (mode === 'alone') return null;
  return db.transaction(async (tx) => {
    let refs: { itemId?: number | null; conversationId?: number | null };
    if (work.kind === 'reply') {
      const [conv] = await tx.query<{ platform: string }>(`select platform from conversations where workspace_id = $1 and id = $2`, [workspaceId, work.conversationId]);
      if (!conv) throw new HttpError(404, 'not_found', 'no such conversation in this workspace');
      checkReply(conv.platform, work.text);
      refs = { conversationId: work.conversationId };
    } else {
      const [item] = await tx.query(`select 1 from items where workspace_id = $1 and id = $2`, [workspaceId, work.itemId]);
      if (!item) throw new HttpError(404, 'not_found', 'no such item in this workspace');
      const [waiting] = await tx.query<{ id: number }>(`select id from training_drafts where workspace_id = $1 and item_id = $2 and author_user_id = $3 and kind = 'decision' and state = 'pending'`,
        [workspaceId, work.itemId, trainee.userId]);
      if (waiting) throw new HttpError(409, 'draft_pending', `your decision on this item (draft ${waiting.id}) is still waiting for a mentor`);
      refs = { itemId: work.itemId };
    }
    const [draft] = await tx.query<{ id: number }>(
      `insert into training_drafts (workspace_id, author_user_id, kind, action, conversation_id, item_id, text, decision, category, reason, reply_to)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [workspaceId, trainee.userId, work.kind, action, refs.conversationId ?? null, refs.itemId ?? null,
        work.kind === 'reply' ? work.text : null, work.kind === 'decision' ? work.decision : null,
        work.kind === 'decision' ? work.category ?? null : null, work.kind === 'decision' ? work.reason ?? null : null,
        work.kind === 'reply' ? work.replyTo ?? null : null]);
    await event(tx, workspaceId, trainee, 'training.draft', { draftId: draft.id, action, before: null, after: 'pending' }, refs);
    return { draftId: draft.id, state: 'pending' as const, action };
  });
}

export interface Review {
  text?: string;
  decision?: keyof typeof DECISION_TO;
  category?: DecisionCategory;
  comment?: string;
  tags?: string[];
  section?: string | null;
}

async function checkFeedback(db: Db, workspaceId: string, r: Review) {
  const { skills } = await trainingSettings(db, workspaceId);
  const unknown = (r.tags ?? []).filter((t) => !skills.includes(t));
  if (unknown.length) throw new HttpError(400, 'invalid_input', `tags: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the workspace's skill list (${skills.join(', ')})`);
  await checkSection(db, workspaceId, r.section, 'section');
}

/** Locks the draft and checks the mentor may review it now. */
async function lockForReview(tx: Db, workspaceId: string, mentor: Person, draftId: number) {
  const [d] = await tx.query<any>(
    `select d.*, u.name as author_name from training_drafts d join users u on u.id = d.author_user_id where d.workspace_id = $1 and d.id = $2 for update of d`, [workspaceId, draftId]);
  if (!d) throw new HttpError(404, 'not_found', 'no such draft in this workspace');
  if (d.author_user_id === mentor.userId) throw new HttpError(403, 'own_draft', 'nobody reviews their own draft');
  if (d.state !== 'pending') throw new HttpError(409, 'already_reviewed', `this draft was ${d.state} already`);
  return d;
}

export async function approveDraft(db: Db, workspaceId: string, mentor: Person, draftId: number, review: Review) {
  await checkFeedback(db, workspaceId, review);
  return db.transaction(async (tx) => {
    const d = await lockForReview(tx, workspaceId, mentor, draftId);
    const author: Person = { userId: d.author_user_id, name: d.author_name };
    let result: object;
    let finalText: string | null = null;
    let finalDecision: string | null = null;
    let finalCategory: string | null = null;
    let size = 0;
    if (d.kind === 'reply') {
      finalText = review.text ?? d.text;
      size = editSize(wordDiff(d.text, finalText!));
      // The reply goes out as the trainee's, the normal way (item "sending", outbox action).
      result = await sendReply(tx, workspaceId, author, d.conversation_id, { text: finalText!, replyTo: d.reply_to ?? undefined });
    } else {
      finalDecision = review.decision ?? d.decision;
      finalCategory = review.category ?? (review.decision ? null : d.category);
      size = finalDecision === d.decision && finalCategory === d.category ? 0 : 1;
      const changed = await changeModeration(tx, workspaceId, { kind: 'person', userId: author.userId, name: author.name },
        [{ itemId: d.item_id, to: DECISION_TO[finalDecision as keyof typeof DECISION_TO], reason: d.reason ?? finalDecision!, category: (finalCategory ?? undefined) as DecisionCategory | undefined }], 'training');
      result = { changed };
    }
    await tx.query(
      `update training_drafts set state = 'approved', reviewer_user_id = $2, reviewed_at = now(), final_text = $3, final_decision = $4, final_category = $5,
         edit_size = $6, feedback_comment = $7, feedback_tags = $8, feedback_section = $9, result = $10 where id = $1`,
      [d.id, mentor.userId, finalText, finalDecision, finalCategory, size, review.comment ?? null, review.tags ?? [], review.section ?? null, JSON.stringify(result)]);
    await event(tx, workspaceId, mentor, 'training.review', {
      draftId: d.id, before: 'pending', after: 'approved', edited: size > 0,
      draft: d.kind === 'reply' ? d.text : { decision: d.decision, category: d.category },
      final: d.kind === 'reply' ? finalText : { decision: finalDecision, category: finalCategory },
      tags: review.tags ?? [],
    }, { itemId: d.item_id, conversationId: d.conversation_id });
    return { draftId: d.id, state: 'approved' as const, editSize: size, result };
  });
}

export async function returnDraft(db: Db, workspaceId: string, mentor: Person, draftId: number, review: Review) {
  if (!review.comment?.trim()) throw new HttpError(400, 'invalid_input', 'comment: say what to change when returning a draft');
  await checkFeedback(db, workspaceId, review);
  return db.transaction(async (tx) => {
    const d = await lockForReview(tx, workspaceId, mentor, draftId);
    await tx.query(
      `update training_drafts set state = 'returned', reviewer_user_id = $2, reviewed_at = now(), final_text = $3, feedback_comment = $4, feedback_tags = $5, feedback_section = $6 where id = $1`,
      [d.id, mentor.userId, review.text ?? null, review.comment, review.tags ?? [], review.section ?? null]);
    await event(tx, workspaceId, mentor, 'training.review', { draftId: d.id, before: 'pending', after: 'returned', comment: review.comment, tags: review.tags ?? [] },
      { itemId: d.item_id, conversationId: d.conversation_id });
    return { draftId: d.id, state: 'returned' as const };
  });
}

/** What the draft is about: the member's words a reply answers, or the item decided on. */
const CONTEXT = `coalesce(
  (select coalesce(i.text_normalised, i.text) from items i where i.id = d.item_id),
  (select coalesce(i.text_normalised, i.text) from items i where i.id = d.reply_to),
  (select coalesce(i.text_normalised, i.text) from items i where i.conversation_id = d.conversation_id and i.direction = 'inbound' order by i.created_at desc, i.id desc limit 1))`;

function draftOut(d: any) {
  const base = {
    id: d.id, kind: d.kind, action: d.action, state: d.state, createdAt: new Date(d.created_at).toISOString(),
    author: { userId: d.author_user_id, name: d.author_name }, conversationId: d.conversation_id, itemId: d.item_id,
    context: d.context, platform: d.platform,
    text: d.text, decision: d.decision, category: d.category, reason: d.reason,
    slaDueAt: d.sla_due_at ? new Date(d.sla_due_at).toISOString() : null, slaDueKind: d.sla_due_kind ?? null,
  };
  if (d.state === 'pending') return { ...base, review: null };
  const finalText = d.final_text;
  return {
    ...base,
    review: {
      reviewer: d.reviewer_name, at: d.reviewed_at ? new Date(d.reviewed_at).toISOString() : null,
      finalText, finalDecision: d.final_decision, finalCategory: d.final_category, editSize: d.edit_size,
      diff: d.kind === 'reply' && finalText !== null ? wordDiff(d.text, finalText) : null,
      comment: d.feedback_comment, tags: d.feedback_tags, section: d.feedback_section,
    },
  };
}

const SELECT = `select d.*, a.name as author_name, r.name as reviewer_name, ${CONTEXT} as context,
    coalesce(c.platform, (select platform from items where id = d.item_id)) as platform, c.sla_due_at, c.sla_due_kind
  from training_drafts d join users a on a.id = d.author_user_id left join users r on r.id = d.reviewer_user_id
  left join conversations c on c.id = d.conversation_id`;

/** The mentor queue: pending drafts, oldest first, each with its conversation's SLA due time. */
export async function mentorQueue(db: Db, workspaceId: string, limit = 100) {
  const rows = await db.query<any>(`${SELECT} where d.workspace_id = $1 and d.state = 'pending' order by d.created_at, d.id limit $2`, [workspaceId, limit]);
  return rows.map(draftOut);
}

/** A trainee's own feed: their drafts, newest first, with the mentor's diff and feedback. */
export async function traineeFeed(db: Db, workspaceId: string, userId: string, limit = 100) {
  const rows = await db.query<any>(`${SELECT} where d.workspace_id = $1 and d.author_user_id = $2 order by d.id desc limit $3`, [workspaceId, userId, limit]);
  return rows.map(draftOut);
}
