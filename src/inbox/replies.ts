// Replies from Allmende: recorded at once as an outbound item ("sending") and handed to the
// outbox as a `reply` action; when the connector answers, the item gets the platform's id and
// permalink ("sent"), or the platform's error ("failed") with the text kept as the draft.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { changeConversations, type Actor } from './state.js';
import { recomputeConversations } from './threading.js';
import { addToConversationSearch } from './search.js';

/** Longest reply per platform, in graphemes (what people count as characters). */
export const REPLY_LIMITS: Record<string, number> = {
  bluesky: 300, x: 280, mastodon: 500, threads: 500, instagram: 2200, tiktok: 150, youtube: 10_000,
  facebook: 8000, linkedin: 1250, reddit: 10_000, discord: 2000, telegram: 4096, whatsapp: 4096,
  email: 100_000, website: 10_000, forum: 20_000, other: 10_000,
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const graphemes = (s: string) => { let n = 0; for (const _ of segmenter.segment(s)) n++; return n; };

const SEARCH_CONFIG: Record<string, string> = { de: 'german', en: 'english' };

/** Refuses a reply the platform would refuse, with an error that says by how much. */
export function checkReply(platform: string, text: string): void {
  const trimmed = text.trim();
  if (!trimmed) throw new HttpError(400, 'invalid_input', 'text: the reply is empty');
  if (/[\u0000]/.test(text)) throw new HttpError(400, 'invalid_input', 'text: contains a NUL character');
  const limit = REPLY_LIMITS[platform] ?? 10_000;
  const n = graphemes(text);
  if (n > limit) throw new HttpError(400, 'too_long', `text: ${platform} takes at most ${limit} characters; this reply has ${n} (${n - limit} too many)`, { field: 'text', limit, length: n });
}

/** status: where the conversation goes after the reply (default waiting); null leaves it as it is. */
export interface ReplyInput { text: string; replyTo?: number; status?: 'waiting' | 'done' | 'open' | null }

export async function sendReply(db: Db, workspaceId: string, actor: Actor & { userId: string | null }, conversationId: number, input: ReplyInput) {
  return db.transaction(async (tx) => {
    const [found] = await tx.query<{ platform: string }>(`select platform from conversations where workspace_id = $1 and id = $2`, [workspaceId, conversationId]);
    if (!found) throw new HttpError(404, 'not_found', 'no such conversation in this workspace');
    checkReply(found.platform, input.text);
    // The reply answers the item named, else the member's latest item, else the thread's first.
    // Locks go items first, then the conversation, as in the pipeline's stages (which hold their
    // items while they update conversations): the other order could deadlock with an item in analysis.
    const [parent] = await tx.query<{ id: number; platform_id: string }>(
      input.replyTo
        ? `select id, platform_id from items where conversation_id = $1 and id = $2 for key share`
        : `select id, platform_id from items where conversation_id = $1 and send_state is null
           order by (direction = 'inbound') desc, created_at desc, id desc limit 1 for key share`,
      input.replyTo ? [conversationId, input.replyTo] : [conversationId]);
    if (!parent) throw new HttpError(400, 'invalid_input', input.replyTo ? 'replyTo: no such item in this conversation' : 'the conversation has nothing to reply to');
    const [conv] = await tx.query<{ id: number; platform: string; connection_id: string; thread_key: string; language: string | null; status: string }>(
      `select id, platform, connection_id, thread_key, language, status from conversations where workspace_id = $1 and id = $2 for update`,
      [workspaceId, conversationId]);
    const config = SEARCH_CONFIG[conv.language ?? ''] ?? 'simple';
    const [reply] = await tx.query<{ id: number }>(
      `insert into items (workspace_id, connection_id, platform, platform_id, kind, thread_id, parent_id, author_name, text,
         text_normalised, language, created_at, stage, search, conversation_id, direction, sent_by, send_state)
       values ($1, $2, $3, $4, 'reply', $5, $6, $7, $8, $8, $9, now(), 'done', to_tsvector($10::regconfig, $8), $11, 'outbound', $12, 'sending')
       returning id`,
      [workspaceId, conv.connection_id, conv.platform, `allmende:${randomBytes(12).toString('hex')}`, conv.thread_key, parent.platform_id,
        actor.name, input.text, conv.language, config, conversationId, actor.userId]);
    const [action] = await tx.query<{ id: number }>(
      `insert into actions (workspace_id, item_id, connection_id, type, payload, created_by)
       values ($1, $2, $3, 'reply', $4, $5) returning id`,
      [workspaceId, parent.id, conv.connection_id, JSON.stringify({ text: input.text, parentPlatformId: parent.platform_id, threadId: conv.thread_key, replyItemId: reply.id }), actor.userId]);
    await tx.query(`update items set send_action_id = $2 where id = $1`, [reply.id, action.id]);
    await addToConversationSearch(tx, [reply.id]);
    await tx.query(`insert into events (workspace_id, item_id, conversation_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, $5, 'inbox.reply', $6)`,
      [workspaceId, reply.id, conversationId, actor.userId, `${actor.kind ?? 'person'}:${actor.name}`, JSON.stringify({ actionId: action.id, parentItemId: parent.id })]);
    await recomputeConversations(tx, [conversationId]);
    if (input.status !== null) await changeConversations(tx, workspaceId, actor, [conversationId], { kind: 'status', to: input.status ?? 'waiting' }, 'replied');
    return { itemId: reply.id, actionId: action.id };
  });
}

/** A failed reply sent again: a new action for the same item, text as it was kept. */
export async function retryReply(db: Db, workspaceId: string, actor: Actor, itemId: number) {
  return db.transaction(async (tx) => {
    const [item] = await tx.query<{ id: number; conversation_id: number; send_state: string; send_action_id: number }>(
      `select id, conversation_id, send_state, send_action_id from items where workspace_id = $1 and id = $2 and send_state is not null for update`, [workspaceId, itemId]);
    if (!item) throw new HttpError(404, 'not_found', 'no such reply in this workspace');
    if (item.send_state !== 'failed') throw new HttpError(409, 'not_failed', `this reply is ${item.send_state}; only a failed reply can be sent again`);
    const [action] = await tx.query<{ id: number }>(
      `insert into actions (workspace_id, item_id, connection_id, type, payload, created_by)
       select workspace_id, item_id, connection_id, type, payload, $2 from actions where id = $1 returning id`, [item.send_action_id, actor.userId]);
    await tx.query(`update items set send_state = 'sending', send_error = null, send_action_id = $2 where id = $1`, [itemId, action.id]);
    await recomputeConversations(tx, [item.conversation_id]);
    return { itemId, actionId: action.id };
  });
}

/** The platform's id and link for the reply, from a connector result or a callback's JSON answer. */
function platformAnswer(result: any): { platformId?: string; permalink?: string } {
  let r = result;
  if (r && typeof r.body === 'string' && r.platformId === undefined) {
    try { r = JSON.parse(r.body); } catch { r = {}; }
  }
  const s = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
  const permalink = s(r?.permalink, 2048);
  return { platformId: s(r?.platformId, 512), permalink: permalink && /^https?:\/\//.test(permalink) ? permalink : undefined };
}

/** Called by the outbox when an action reached its end (done, failed, unsupported). */
export async function recordReplyOutcome(db: Db, action: { id: number; type: string }): Promise<void> {
  if (action.type !== 'reply') return;
  await db.transaction(async (tx) => {
    const [a] = await tx.query<{ state: string; result: any; last_error: string | null }>(`select state, result, last_error from actions where id = $1`, [action.id]);
    const [item] = await tx.query<{ id: number; workspace_id: string; connection_id: string; conversation_id: number }>(
      `select id, workspace_id, connection_id, conversation_id from items where send_action_id = $1 for update`, [action.id]);
    if (!a || !item || !['done', 'failed', 'unsupported'].includes(a.state)) return;
    if (a.state === 'done') {
      const answer = platformAnswer(a.result);
      // The platform's id, unless that item came in by another way already (then ours stays).
      const taken = answer.platformId ? (await tx.query(`select 1 from items where connection_id = $1 and platform_id = $2`, [item.connection_id, answer.platformId])).length > 0 : true;
      await tx.query(
        `update items set send_state = 'sent', send_error = null, platform_id = case when $2 then platform_id else $3 end,
           permalink = coalesce($4, permalink) where id = $1`, [item.id, taken, answer.platformId ?? null, answer.permalink ?? null]);
    } else {
      const error = a.state === 'unsupported' ? (a.result?.note ?? 'the platform cannot reply') : (a.last_error ?? 'sending failed');
      await tx.query(`update items set send_state = 'failed', send_error = $2 where id = $1`, [item.id, String(error).slice(0, 2000)]);
      // No answer reached the member: the conversation needs one again.
      await changeConversations(tx, item.workspace_id, { userId: null, name: 'reply', kind: 'outbox' }, [item.conversation_id], { kind: 'status', to: 'open' }, 'reply failed');
    }
    await recomputeConversations(tx, [item.conversation_id]);
  });
}
