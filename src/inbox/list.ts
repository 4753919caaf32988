// The conversation list: filters, full-text search and keyset pagination. Every filter is a
// condition on `conversations` (indexed per workspace, see 003_inbox.sql) except the moderation
// flag, which finds conversations through their items; search uses the conversation's own
// vector (007, src/inbox/search.ts) and checks candidates against their items where needed.
import { z } from 'zod';
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';

const csv = <T extends z.ZodTypeAny>(item: T) => z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(50));

export const listFilters = z.object({
  view: z.enum(['all', 'mine', 'unassigned', 'team']).default('all'),
  status: csv(z.enum(['new', 'open', 'waiting', 'done', 'snoozed'])).optional(),
  platform: csv(z.string().max(40)).optional(),
  connection: z.uuid().optional(),
  language: z.string().regex(/^[a-z]{2,3}$/).optional(),
  assignee: z.union([z.uuid(), z.literal('none')]).optional(),
  team: z.uuid().optional(),
  labels: csv(z.string().min(1).max(60)).optional(),
  flagged: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  priority: z.coerce.number().int().min(0).max(3).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().max(500).optional(),
  // SLA (part B): the next due time has passed, or comes within the hour.
  sla: z.enum(['breached', 'due_soon']).optional(),
  sort: z.enum(['latest', 'oldest']).default('latest'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type ListFilters = z.infer<typeof listFilters>;
/** The filters a saved view keeps (no paging). */
export const savedFilters = listFilters.omit({ limit: true, cursor: true }).partial();

export const SEARCH_QUERY = `(websearch_to_tsquery('german', $Q) || websearch_to_tsquery('english', $Q) || websearch_to_tsquery('simple', $Q))`;

export const CONVERSATION_COLUMNS = `c.id, c.platform, c.connection_id, cn.name as connection_name, c.thread_key, c.status, c.status_at, c.snoozed_until,
  c.assignee_user_id, u.name as assignee_name, c.team_id, t.name as team_name, c.priority, c.labels, c.language,
  c.item_count, c.inbound_count, c.first_inbound_at, c.last_inbound_at, c.first_outbound_at, c.last_outbound_at,
  c.awaiting_since, c.last_item_at, c.done_at, c.version, c.created_at,
  li.author_handle as last_author_handle, li.author_name as last_author_name, left(li.text, 280) as last_text, li.direction as last_direction,
  exists (select 1 from items f where f.workspace_id = c.workspace_id and f.conversation_id = c.id and f.moderation <> 'visible') as flagged`;

export const CONVERSATION_JOINS = `join connections cn on cn.id = c.connection_id
  left join users u on u.id = c.assignee_user_id
  left join teams t on t.id = c.team_id
  left join items li on li.id = c.last_item_id`;

const iso = (d: Date | string | null) => (d === null || d === undefined ? null : new Date(d).toISOString());

export function conversationOutput(r: any) {
  return {
    id: r.id, platform: r.platform, connection: { id: r.connection_id, name: r.connection_name }, threadKey: r.thread_key,
    status: r.status, statusAt: iso(r.status_at), snoozedUntil: iso(r.snoozed_until),
    assignee: r.assignee_user_id ? { id: r.assignee_user_id, name: r.assignee_name } : null,
    team: r.team_id ? { id: r.team_id, name: r.team_name } : null,
    priority: r.priority, labels: r.labels ?? [], language: r.language,
    itemCount: r.item_count, inboundCount: r.inbound_count,
    firstInboundAt: iso(r.first_inbound_at), lastInboundAt: iso(r.last_inbound_at),
    firstOutboundAt: iso(r.first_outbound_at), lastOutboundAt: iso(r.last_outbound_at),
    awaitingSince: iso(r.awaiting_since), lastItemAt: iso(r.last_item_at), doneAt: iso(r.done_at), version: r.version,
    preview: { authorHandle: r.last_author_handle, authorName: r.last_author_name, text: r.last_text, direction: r.last_direction },
    flagged: !!r.flagged,
  };
}
export type ConversationOutput = ReturnType<typeof conversationOutput>;

/** Cursor: the sort time (PostgreSQL's own text, microseconds kept) and id of the last row shown, opaque to clients. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const encodeCursor = (at: string, id: number) => Buffer.from(`${at}|${id}`).toString('base64url');
function decodeCursor(c: string): { at: string; id: number } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  if (!TIMESTAMP.test(at ?? '') || !/^\d+$/.test(id ?? '')) throw new HttpError(400, 'invalid_input', 'cursor: not a cursor from this list');
  return { at, id: Number(id) };
}

export async function listConversations(db: Db, workspaceId: string, userId: string | null, f: ListFilters, now: Date = new Date()) {
  const params: unknown[] = [workspaceId];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const where = ['c.workspace_id = $1', 'c.first_inbound_at is not null'];

  const statuses = f.status ?? ['new', 'open', 'waiting'];
  const plain = statuses.filter((s) => s !== 'snoozed');
  const awake = '(c.snoozed_until is null or c.snoozed_until <= now())';
  const parts: string[] = [];
  if (plain.length) parts.push(`(c.status = any(${p(plain)}::text[]) and ${awake})`);
  if (statuses.includes('snoozed')) parts.push('c.snoozed_until > now()');
  where.push(parts.length ? `(${parts.join(' or ')})` : 'false');

  if (f.view === 'mine') where.push(`c.assignee_user_id = ${p(userId)}`);
  if (f.view === 'unassigned') where.push('c.assignee_user_id is null');
  if (f.view === 'team') where.push(`c.team_id in (select team_id from team_members where user_id = ${p(userId)})`);
  if (f.assignee === 'none') where.push('c.assignee_user_id is null');
  else if (f.assignee) where.push(`c.assignee_user_id = ${p(f.assignee)}`);
  if (f.team) where.push(`c.team_id = ${p(f.team)}`);
  if (f.platform?.length) where.push(`c.platform = any(${p(f.platform)}::text[])`);
  if (f.connection) where.push(`c.connection_id = ${p(f.connection)}`);
  if (f.language) where.push(`c.language = ${p(f.language)}`);
  if (f.labels?.length) where.push(`c.labels @> ${p(f.labels)}::text[]`);
  if (f.priority !== undefined) where.push(`c.priority >= ${p(f.priority)}`);
  if (f.from) where.push(`c.last_item_at >= ${p(f.from)}`);
  if (f.to) where.push(`c.last_item_at < ${p(f.to)}`);
  if (f.flagged !== undefined) {
    where.push(`${f.flagged ? '' : 'not '}exists (select 1 from items fl where fl.workspace_id = c.workspace_id and fl.conversation_id = c.id and fl.moderation <> 'visible')`);
  }
  if (f.sla === 'breached') where.push(`c.sla_due_at <= ${p(now)}`);
  if (f.sla === 'due_soon') where.push(`c.sla_due_at > ${p(now)} and c.sla_due_at <= ${p(new Date(+now + 3_600_000))}`);
  // Search: the conversation's own vector (GIN), so the match is one more condition next to the
  // filters above. Where that vector can match more than the items would (words from different
  // items, a phrase, a conversation too long for a vector), candidates are checked against their
  // items, so a conversation is found exactly when one of its items matches.
  let recheck: { needs: string; exact: string; multi: boolean } | null = null;
  if (f.q) {
    const [{ exact }] = await db.query<{ exact: string }>(`select ${SEARCH_QUERY.replaceAll('$Q', '$1')}::text as exact`, [f.q]);
    const shape = searchShape(exact);
    if (shape.negated) {
      // "-word" excludes per item; a conversation vector cannot say that, so match through the items.
      where.push(`c.id in (select s.conversation_id from items s where s.workspace_id = $1 and s.search @@ ${p(exact)}::tsquery)`);
    } else {
      where.push(`(c.search @@ ${p(shape.loose)}::tsquery or c.search_incomplete)`);
      recheck = { needs: shape.multi ? 'true' : 'c.search_incomplete', exact, multi: shape.multi };
    }
  }
  const desc = f.sort === 'latest';
  const order = desc ? 'c.last_item_at desc, c.id desc' : 'c.last_item_at asc, c.id asc';
  const after = (cur: { at: string; id: number }, ps: (v: unknown) => string) =>
    `(c.last_item_at, c.id) ${desc ? '<' : '>'} (${ps(cur.at)}::timestamptz, ${ps(cur.id)}::bigint)`;
  const cursor = f.cursor ? decodeCursor(f.cursor) : null;
  let rows: any[];
  if (!recheck) {
    if (cursor) where.push(after(cursor, p));
    rows = await db.query<any>(
      `select ${CONVERSATION_COLUMNS}, c.last_item_at::text as sort_at from conversations c ${CONVERSATION_JOINS}
       where ${where.join(' and ')} order by ${order} limit ${p(f.limit + 1)}`, params);
  } else {
    // The planner settings searchPage sets last until the transaction ends; a caller's transaction
    // (if any) goes on, so they are put back here.
    rows = await db.transaction(async (tx) => {
      try { return await searchPage(tx, f, where, params, order, after, cursor, recheck!); }
      finally { await tx.exec('reset enable_seqscan; reset enable_indexscan').catch(() => {}); }
    });
  }
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map(conversationOutput),
    nextCursor: more && last ? encodeCursor(last.sort_at, last.id) : null,
  };
}

/** Matches up to this many: read from the search index and sorted; more: walk the list order. */
const FEW_MATCHES = 2000;

/**
 * A page of searched conversations. How many conversations match (with every filter, counted up
 * to FEW_MATCHES from the GIN index) decides the plan: few, and they are read through the index
 * and sorted, so a rare word or one that matches nothing costs a few index pages instead of a walk
 * through every conversation (the planner cannot know a word is rare and walks the list order);
 * many, and walking the list order finds a page after at most a few thousand conversations.
 */
async function searchPage(tx: Db, f: ListFilters, where: string[], params: unknown[], order: string,
  after: (cur: { at: string; id: number }, ps: (v: unknown) => string) => string,
  cursor: { at: string; id: number } | null, recheck: { needs: string; exact: string; multi: boolean }): Promise<any[]> {
  const withCursor = (ps: unknown[], cur: { at: string; id: number } | null) => {
    const q = (v: unknown) => { ps.push(v); return `$${ps.length}`; };
    return cur ? [...where, after(cur, q)] : where;
  };
  await tx.exec('set local enable_seqscan = off; set local enable_indexscan = off');
  const countParams = [...params];
  const countWhere = withCursor(countParams, cursor);
  const [{ n }] = await tx.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from conversations c where ${countWhere.join(' and ')} limit ${FEW_MATCHES}) m`, countParams);
  if (n === 0) return [];
  if (n >= FEW_MATCHES) await tx.exec('set local enable_seqscan = on; set local enable_indexscan = on');
  // Candidates in list order, a batch at a time, until a page and one more have passed the check.
  // Most pass (words found together in a conversation are mostly in one item), so the first
  // batch is a page; each further one is twice as large.
  let batch = f.limit + 1;
  const kept: number[] = [];
  for (;; batch = Math.min(batch * 2, 5000)) {
    const ps = [...params];
    const conds = withCursor(ps, cursor);
    ps.push(recheck.exact, batch);
    const cands = await tx.query<{ id: number; sort_at: string; ok: boolean }>(
      `select c.id, c.sort_at, case when ${recheck.needs} then exists (select 1 from items s where s.workspace_id = c.workspace_id
         and s.conversation_id = c.id and s.search @@ $${ps.length - 1}::tsquery) else true end as ok
       from (select c.id, c.workspace_id, c.search_incomplete, c.last_item_at, c.last_item_at::text as sort_at from conversations c
             where ${conds.join(' and ')} order by ${order} limit $${ps.length}) c
       order by ${order}`, ps);
    kept.push(...cands.filter((r) => r.ok).map((r) => r.id));
    const last = cands[cands.length - 1];
    if (kept.length > f.limit || cands.length < batch || !last) break;
    cursor = { at: last.sort_at, id: last.id };
  }
  const ids = kept.slice(0, f.limit + 1);
  if (!ids.length) return [];
  await tx.exec('set local enable_seqscan = on; set local enable_indexscan = on');
  return tx.query<any>(
    `select ${CONVERSATION_COLUMNS}, c.last_item_at::text as sort_at from conversations c ${CONVERSATION_JOINS}
     where c.id = any($1::bigint[]) order by ${order}`, [ids]);
}

/**
 * What a search's tsquery (PostgreSQL's text form) asks: several words or a phrase (`&`, `<->`),
 * which a conversation's vector can match with words from different items; a negation (`!`); and
 * the query with phrases loosened to "all these words", which a vector without positions can match.
 */
export function searchShape(query: string): { multi: boolean; negated: boolean; loose: string } {
  let multi = false;
  let negated = false;
  let loose = '';
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === "'") {
      // A quoted lexeme; '' inside is a quote.
      let j = i + 1;
      for (; j < query.length; j++) {
        if (query[j] === "'") { if (query[j + 1] === "'") j++; else break; }
      }
      loose += query.slice(i, j + 1);
      i = j;
    } else if (ch === '<') {
      const end = query.indexOf('>', i);
      multi = true;
      loose += '&';
      i = end < 0 ? query.length : end;
    } else {
      if (ch === '&') multi = true;
      if (ch === '!') negated = true;
      loose += ch;
    }
  }
  return { multi, negated, loose };
}
