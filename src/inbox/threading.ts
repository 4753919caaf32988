// Items join their conversation at ingest, in the ingest transaction and set-based: one
// conversation per (connection, thread key). The thread key is the item's thread id; an item
// without one continues its stored parent's conversation, else names its parent, else is a root
// (its own platform id). So a reply that arrives before its post opens the conversation under
// the thread id, and the post, arriving later with that platform id, joins it.
import type { Db } from '../store/db.js';
import { autoAssign } from './assign.js';
import { rebuildConversationSearch } from './search.js';

/** An item row about to be stored, as ingest builds it. */
export interface IncomingRow { connection_id: string; platform: string; platform_id: string; thread_id: string | null; parent_id: string | null; conversation_id?: number }

/**
 * Before the items are written: finds or opens each row's conversation and sets
 * `row.conversation_id`, so the item is stored with it (no second write of the item).
 * Returns the conversations opened now.
 */
export async function openConversations(tx: Db, workspaceId: string, rows: IncomingRow[]): Promise<number[]> {
  if (!rows.length) return [];
  const keyed = await tx.query<{ i: number; connection_id: string; platform: string; key: string }>(
    `select t.i, t.c as connection_id, t.p as platform,
       coalesce(t.thread_id,
         (select pc.thread_key from items pi join conversations pc on pc.id = pi.conversation_id
          where t.parent_id is not null and pi.connection_id = t.c and pi.platform_id = t.parent_id),
         t.parent_id, t.pid) as key
     from unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(i, c, p, pid, thread_id, parent_id)
     order by t.c, key`,
    [rows.map((_, i) => i), rows.map((r) => r.connection_id), rows.map((r) => r.platform), rows.map((r) => r.platform_id), rows.map((r) => r.thread_id), rows.map((r) => r.parent_id)]);
  const conns = keyed.map((k) => k.connection_id);
  const keys = keyed.map((k) => k.key);
  // Sorted by key, so two ingests lock conversation rows in the same order (no deadlock).
  const created = await tx.query<{ id: number }>(
    `insert into conversations (workspace_id, connection_id, platform, thread_key, last_item_at)
     select distinct $1::uuid, c, p, k, now() from unnest($2::uuid[], $3::text[], $4::text[]) as t(c, p, k)
     order by 2, 4
     on conflict (connection_id, thread_key) do nothing returning id`, [workspaceId, conns, keyed.map((k) => k.platform), keys]);
  const found = await tx.query<{ id: number; connection_id: string; thread_key: string }>(
    `select cv.id, cv.connection_id, cv.thread_key from (select distinct c, k from unnest($1::uuid[], $2::text[]) as u(c, k)) t
     join conversations cv on cv.connection_id = t.c and cv.thread_key = t.k`, [conns, keys]);
  const byKey = new Map(found.map((f) => [`${f.connection_id}\u0000${f.thread_key}`, f.id]));
  keyed.forEach((k) => { rows[k.i].conversation_id = byKey.get(`${k.connection_id}\u0000${k.key}`); });
  return created.map((c) => c.id);
}

export interface Written { id: number; inserted: boolean; conversation_id: number | null }

/**
 * After the items are written: their conversations' counts and times, status changes an
 * arrival causes, and automatic assignment. `previous` holds the conversation each re-delivered
 * item was in before (an edit may move it to another thread).
 */
export async function joinConversations(tx: Db, workspaceId: string, written: Written[], previous: Map<number, number | null>, opened: number[]): Promise<void> {
  if (!written.length) return;
  const inserted = written.filter((w) => w.inserted).map((w) => w.id);
  const turned = await markDirection(tx, written.map((w) => w.id));

  // New items add to their conversation's figures; an edit that moved an item to another thread
  // or made it the team's own recounts the conversations concerned from their items.
  const recount = new Set<number>();
  for (const w of written) {
    const before = previous.get(w.id);
    if (w.inserted || before === w.conversation_id) continue;
    if (before) recount.add(before);
    if (w.conversation_id) recount.add(w.conversation_id);
  }
  const isNew = new Set(inserted);
  written.forEach((w) => { if (!isNew.has(w.id) && turned.has(w.id) && w.conversation_id) recount.add(w.conversation_id); });
  const added = written.filter((w) => w.inserted && w.conversation_id);
  // An edited item's text is analysed again: until then its old words must not match, so the
  // search vectors of its conversations (before and after a move) are rebuilt without it.
  const edited = new Set<number>();
  for (const w of written) {
    if (w.inserted) continue;
    const before = previous.get(w.id);
    if (before) edited.add(before);
    if (w.conversation_id) edited.add(w.conversation_id);
  }
  const touched = [...new Set([...recount, ...edited, ...added.map((w) => w.conversation_id!)])].sort((a, b) => a - b);
  if (!touched.length) return;
  // Lock the conversations in id order before the updates below, so concurrent ingests (and
  // people changing a conversation, who lock the same way) queue instead of deadlocking.
  await tx.query(`select id from conversations where id = any($1::bigint[]) order by id for update`, [touched]);
  await addToConversations(tx, added.map((w) => w.id), [...recount]);
  await recomputeConversations(tx, [...recount]);
  await rebuildConversationSearch(tx, [...edited]);
  await followArrivals(tx, workspaceId, inserted);
  // New conversations, and old ones whose first member item just came (under the team's own post).
  await autoAssign(tx, workspaceId, [...new Set([...opened, ...touched])]);
}

/**
 * Adds newly stored items to their conversations' counts and times without reading the older
 * items (a busy thread has thousands); only the waiting time looks at the items after the team's
 * last answer, through the (conversation, created_at) index.
 */
async function addToConversations(tx: Db, itemIds: number[], skip: number[]): Promise<void> {
  if (!itemIds.length) return;
  await tx.query(
    `update conversations c set item_count = c.item_count + a.n, inbound_count = c.inbound_count + a.nin,
       first_inbound_at = least(c.first_inbound_at, a.fin), last_inbound_at = greatest(c.last_inbound_at, a.lin),
       first_outbound_at = least(c.first_outbound_at, a.fout), last_outbound_at = greatest(c.last_outbound_at, a.lout),
       last_item_id = case when c.last_item_id is null or (a.last_at, a.last_id) > (c.last_item_at, c.last_item_id) then a.last_id else c.last_item_id end,
       last_item_at = case when c.last_item_id is null or (a.last_at, a.last_id) > (c.last_item_at, c.last_item_id) then a.last_at else c.last_item_at end,
       -- Without a new answer from the team, new member items can only start the wait earlier;
       -- otherwise (or when older items arrive late) look at the items after the last answer.
       awaiting_since = case
         when a.lout is null and a.fin is null then c.awaiting_since
         when a.lout is null and a.fin > coalesce(c.last_outbound_at, '-infinity'::timestamptz) then least(c.awaiting_since, a.fin)
         else (select min(x.created_at) from items x where x.conversation_id = c.id and x.direction = 'inbound'
               and x.created_at > coalesce(greatest(c.last_outbound_at, a.lout), '-infinity'::timestamptz)) end,
       root_item_id = coalesce(c.root_item_id, (select r.id from items r where r.connection_id = c.connection_id and r.platform_id = c.thread_key)),
       updated_at = now()
     from (select conversation_id, count(*)::int as n,
             count(*) filter (where direction = 'inbound')::int as nin,
             min(created_at) filter (where direction = 'inbound') as fin,
             max(created_at) filter (where direction = 'inbound') as lin,
             min(created_at) filter (where direction = 'outbound') as fout,
             max(created_at) filter (where direction = 'outbound') as lout,
             max(created_at) as last_at,
             (array_agg(id order by created_at desc, id desc))[1] as last_id
           from items where id = any($1::bigint[]) and conversation_id is not null group by conversation_id) a
     where c.id = a.conversation_id and not (c.id = any($2::bigint[]))`, [itemIds, skip]);
}

/** Outbound: written by one of the connection's own accounts (settings.ownAccounts: ids or handles). */
async function markDirection(tx: Db, ids: number[]): Promise<Set<number>> {
  const rows = await tx.query<{ id: number }>(
    `update items i set direction = 'outbound'
     from connections c
     where i.id = any($1::bigint[]) and c.id = i.connection_id and i.direction = 'inbound'
       and jsonb_typeof(c.settings->'ownAccounts') = 'array'
       and exists (select 1 from jsonb_array_elements_text(c.settings->'ownAccounts') a
                   where lower(a) = lower(i.author_platform_id) or lower(a) = lower(i.author_handle))
     returning i.id`, [ids]);
  return new Set(rows.map((r) => r.id));
}

/**
 * The derived times of conversations, from their items. A reply from Allmende that failed to
 * send is no answer, so it does not count as outbound.
 */
export async function recomputeConversations(tx: Db, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await tx.query(
    `update conversations c set item_count = a.n, inbound_count = a.nin, first_inbound_at = a.fin, last_inbound_at = a.lin,
       first_outbound_at = a.fout, last_outbound_at = a.lout, last_item_at = a.last_at, last_item_id = a.last_id,
       awaiting_since = (select min(x.created_at) from items x where x.conversation_id = c.id and x.direction = 'inbound'
                         and x.created_at > coalesce(a.lout, '-infinity'::timestamptz)),
       root_item_id = (select r.id from items r where r.connection_id = c.connection_id and r.platform_id = c.thread_key),
       updated_at = now()
     from (select conversation_id, count(*)::int as n,
             count(*) filter (where direction = 'inbound')::int as nin,
             min(created_at) filter (where direction = 'inbound') as fin,
             max(created_at) filter (where direction = 'inbound') as lin,
             min(created_at) filter (where direction = 'outbound' and send_state is distinct from 'failed') as fout,
             max(created_at) filter (where direction = 'outbound' and send_state is distinct from 'failed') as lout,
             max(created_at) as last_at,
             (array_agg(id order by created_at desc, id desc))[1] as last_id
           from items where conversation_id = any($1::bigint[]) group by conversation_id) a
     where c.id = a.conversation_id`, [ids]);
}

/**
 * New items move a conversation on: a member's answer reopens a waiting, done or snoozed one; an
 * answer the team wrote on the platform itself puts a new or open one to waiting. Only items newer
 * than the last status change count, so importing old history does not reopen old threads.
 */
async function followArrivals(tx: Db, workspaceId: string, inserted: number[]): Promise<void> {
  if (!inserted.length) return;
  const changed = await tx.query<{ id: number; before: string; after: string; snoozed: string | null; direction: string }>(
    `with latest as (
       select distinct on (conversation_id) conversation_id, direction, created_at from items
       where id = any($1::bigint[]) and conversation_id is not null order by conversation_id, created_at desc, id desc)
     update conversations c set
       status = case when l.direction = 'outbound' then 'waiting' when o.status = 'new' then 'new' else 'open' end,
       status_at = now(), snoozed_until = null, done_at = null, version = c.version + 1, updated_at = now()
     from latest l join conversations o on o.id = l.conversation_id
     where c.id = o.id and l.created_at > o.status_at and (
       (l.direction = 'inbound' and (o.status in ('waiting', 'done') or o.snoozed_until is not null)) or
       (l.direction = 'outbound' and o.status in ('new', 'open')))
     returning c.id, o.status as before, c.status as after, o.snoozed_until as snoozed, l.direction`, [inserted]);
  if (!changed.length) return;
  await tx.query(
    `insert into events (workspace_id, conversation_id, actor, type, data)
     select $1, e.id, 'ingest', 'inbox.status', jsonb_build_object('before', e.before, 'after', e.after, 'snoozedUntil', e.snoozed, 'reason', e.reason)
     from jsonb_to_recordset($2::jsonb) as e(id bigint, before text, after text, snoozed timestamptz, reason text)`,
    [workspaceId, JSON.stringify(changed.map((c) => ({ ...c, reason: c.direction === 'inbound' ? 'member answered' : 'team answered on the platform' })))]);
}
