// Items join their conversation at ingest, in the ingest transaction and set-based: one
// conversation per (connection, thread key). The thread key is the item's thread id; an item
// without one continues its stored parent's conversation, else names its parent, else is a root
// (its own platform id). So a reply that arrives before its post opens the conversation under
// the thread id, and the post, arriving later with that platform id, joins it.
import type { Db } from '../store/db.js';
import { autoAssign } from './assign.js';

export interface Written { id: number; inserted: boolean }

export async function joinConversations(tx: Db, workspaceId: string, written: Written[]): Promise<void> {
  if (!written.length) return;
  const ids = written.map((w) => w.id);
  await markDirection(tx, ids);

  const rows = await tx.query<{ id: number; connection_id: string; platform: string; key: string; old: number | null }>(
    `select i.id, i.connection_id, i.platform, i.conversation_id as old,
       coalesce(i.thread_id, pc.thread_key, i.parent_id, i.platform_id) as key
     from items i
     left join items p on i.thread_id is null and i.parent_id is not null and p.connection_id = i.connection_id and p.platform_id = i.parent_id
     left join conversations pc on pc.id = p.conversation_id
     where i.id = any($1::bigint[]) order by i.connection_id, key`, [ids]);

  // Sorted by key, so two ingests lock conversation rows in the same order (no deadlock).
  const created = await tx.query<{ id: number }>(
    `insert into conversations (workspace_id, connection_id, platform, thread_key, last_item_at)
     select distinct $1::uuid, c, p, k, now() from unnest($2::uuid[], $3::text[], $4::text[]) as t(c, p, k)
     order by 2, 4
     on conflict (connection_id, thread_key) do nothing returning id`,
    [workspaceId, rows.map((r) => r.connection_id), rows.map((r) => r.platform), rows.map((r) => r.key)]);

  const moved = await tx.query<{ conversation_id: number }>(
    `update items i set conversation_id = c.id
     from unnest($1::bigint[], $2::uuid[], $3::text[]) as t(id, conn, key)
     join conversations c on c.connection_id = t.conn and c.thread_key = t.key
     where i.id = t.id and i.conversation_id is distinct from c.id
     returning c.id as conversation_id`,
    [rows.map((r) => r.id), rows.map((r) => r.connection_id), rows.map((r) => r.key)]);

  const touched = new Set<number>(moved.map((m) => m.conversation_id));
  rows.forEach((r) => { if (r.old) touched.add(r.old); });
  const inserted = written.filter((w) => w.inserted).map((w) => w.id);
  // Items that changed without moving still change the times (an edit may change nothing, cheap).
  if (!touched.size && !inserted.length) return;
  const convIds = await tx.query<{ id: number }>(
    `select distinct conversation_id as id from items where id = any($1::bigint[]) and conversation_id is not null`, [ids]);
  convIds.forEach((c) => touched.add(c.id));
  await recomputeConversations(tx, [...touched]);
  await followArrivals(tx, workspaceId, inserted);
  // New conversations, and old ones whose first member item just came (under the team's own post).
  await autoAssign(tx, workspaceId, [...new Set([...created.map((c) => c.id), ...touched])]);
}

/** Outbound: written by one of the connection's own accounts (settings.ownAccounts: ids or handles). */
async function markDirection(tx: Db, ids: number[]): Promise<void> {
  await tx.query(
    `update items i set direction = 'outbound'
     from connections c
     where i.id = any($1::bigint[]) and c.id = i.connection_id and i.direction = 'inbound'
       and jsonb_typeof(c.settings->'ownAccounts') = 'array'
       and exists (select 1 from jsonb_array_elements_text(c.settings->'ownAccounts') a
                   where lower(a) = lower(i.author_platform_id) or lower(a) = lower(i.author_handle))`, [ids]);
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
