// Ingest: normalised items into the store, idempotent on (connection, platform id), and the
// analyse job for them enqueued in the same transaction, so no stored item misses the pipeline.
import type { Db } from '../store/db.js';
import type { Queue } from '../store/queue.js';
import type { ItemInput } from '../core/item.js';
import { STAGE_QUEUE } from './stages.js';
import { openConversations, joinConversations, type IncomingRow } from '../inbox/threading.js';
import { identifyAuthors, type AuthorRow } from '../people/identify.js';

export interface IngestResult { created: number; updated: number; duplicate: number; itemIds: number[] }

export interface IngestTarget {
  workspaceId: string;
  /** Fixed connection (webhooks); otherwise each item's platform + connection name decides. */
  connectionId?: string;
}

const DEFAULT_CONNECTION = 'default';

/** Finds or creates the connections the batch names; returns key "platform\0name" -> id. */
async function resolveConnections(tx: Db, workspaceId: string, items: ItemInput[]): Promise<Map<string, string>> {
  const keys = [...new Set(items.map((i) => `${i.platform}\u0000${i.connection ?? DEFAULT_CONNECTION}`))];
  const platforms = keys.map((k) => k.split('\u0000')[0]);
  const names = keys.map((k) => k.split('\u0000')[1]);
  await tx.query(
    `insert into connections (workspace_id, platform, name)
     select $1, p, n from unnest($2::text[], $3::text[]) as t(p, n)
     on conflict (workspace_id, platform, name) do nothing`, [workspaceId, platforms, names]);
  const rows = await tx.query<{ id: string; platform: string; name: string }>(
    `select id, platform, name from connections where workspace_id = $1 and (platform, name) in
       (select * from unnest($2::text[], $3::text[]))`, [workspaceId, platforms, names]);
  return new Map(rows.map((r) => [`${r.platform}\u0000${r.name}`, r.id]));
}

export async function ingest(db: Db, queue: Queue, target: IngestTarget, items: ItemInput[]): Promise<IngestResult> {
  if (items.length === 0) return { created: 0, updated: 0, duplicate: 0, itemIds: [] };
  const result = await store(db, queue, target, items);
  // Inside a caller's transaction (import, webhook) the job is not visible yet; the poll finds it.
  if (result.itemIds.length) queue.notify(STAGE_QUEUE.analyse);
  return result;
}

async function store(db: Db, queue: Queue, target: IngestTarget, items: ItemInput[]): Promise<IngestResult> {
  return db.transaction(async (tx) => {
    const conns = target.connectionId ? null : await resolveConnections(tx, target.workspaceId, items);
    // The same item twice in one batch: the last delivery wins, the earlier count as duplicates.
    const byKey = new Map<string, Record<string, unknown>>();
    items.forEach((it) => {
      const connectionId = target.connectionId ?? conns!.get(`${it.platform}\u0000${it.connection ?? DEFAULT_CONNECTION}`)!;
      byKey.set(`${connectionId}\u0000${it.platformId}`, {
        connection_id: connectionId,
        platform: it.platform,
        platform_id: it.platformId,
        kind: it.kind,
        thread_id: it.threadId ?? null,
        parent_id: it.parentId ?? null,
        author_platform_id: it.author.platformUserId ?? null,
        author_handle: it.author.handle ?? null,
        author_name: it.author.displayName ?? null,
        author_url: it.author.profileUrl ?? null,
        text: it.text,
        language_hint: it.language ?? null,
        links: it.links,
        media: it.media,
        created_at: it.createdAt ?? new Date().toISOString(),
        permalink: it.permalink ?? null,
        raw: it.raw ?? null,
      });
    });
    const rows = [...byKey.values()];
    const inBatchDuplicates = items.length - rows.length;
    // Each item is stored with its conversation (the inbox's thread), opened here if new.
    const opened = await openConversations(tx, target.workspaceId, rows as unknown as IncomingRow[]);
    // Each author is an identity (and a person) before the item is stored with it.
    await identifyAuthors(tx, target.workspaceId, rows as unknown as AuthorRow[]);

    // Previous text of items that exist already, so an edit is kept in the event log.
    const before = await tx.query<{ id: number; text: string; conversation_id: number | null }>(
      `select i.id, i.text, i.conversation_id from items i join jsonb_to_recordset($1::jsonb) as r(connection_id uuid, platform_id text)
         on i.connection_id = r.connection_id and i.platform_id = r.platform_id`,
      [JSON.stringify(rows.map((r) => ({ connection_id: r.connection_id, platform_id: r.platform_id })))]);
    const previousText = new Map(before.map((b) => [b.id, b.text]));

    // An unchanged re-delivery updates nothing (WHERE on the conflict), so it is not returned.
    const written = await tx.query<{ id: number; inserted: boolean; conversation_id: number | null }>(
      `insert into items (workspace_id, connection_id, platform, platform_id, kind, thread_id, parent_id,
         author_platform_id, author_handle, author_name, author_url, text, language_hint, links, media,
         created_at, permalink, raw, conversation_id, identity_id)
       select $1, r.connection_id, r.platform, r.platform_id, r.kind, r.thread_id, r.parent_id,
         r.author_platform_id, r.author_handle, r.author_name, r.author_url, r.text, r.language_hint,
         coalesce(r.links, '{}'), coalesce(r.media, '[]'), r.created_at, r.permalink, r.raw, r.conversation_id, r.identity_id
       from jsonb_to_recordset($2::jsonb) as r(connection_id uuid, platform text, platform_id text, kind text,
         thread_id text, parent_id text, author_platform_id text, author_handle text, author_name text,
         author_url text, text text, language_hint text, links text[], media jsonb, created_at timestamptz,
         permalink text, raw jsonb, conversation_id bigint, identity_id bigint)
       on conflict (connection_id, platform_id) do update set
         kind = excluded.kind, thread_id = excluded.thread_id, parent_id = excluded.parent_id, conversation_id = excluded.conversation_id,
         author_handle = excluded.author_handle, author_name = excluded.author_name, author_url = excluded.author_url,
         text = excluded.text, language_hint = excluded.language_hint, links = excluded.links, media = excluded.media,
         permalink = excluded.permalink, raw = excluded.raw, edited_at = now(), identity_id = coalesce(items.identity_id, excluded.identity_id),
         stage = 'ingested', stage_at = now(), text_normalised = null, text_folded = null, language = null, search = null
       where (items.text, items.kind, items.thread_id, items.parent_id, items.author_handle, items.author_name, items.links, items.media, items.permalink)
         is distinct from (excluded.text, excluded.kind, excluded.thread_id, excluded.parent_id, excluded.author_handle, excluded.author_name, excluded.links, excluded.media, excluded.permalink)
       returning id, (xmax = 0) as inserted, conversation_id`,
      [target.workspaceId, JSON.stringify(rows)]);

    const created = written.filter((w) => w.inserted).length;
    const updatedIds = written.filter((w) => !w.inserted).map((w) => w.id);
    if (updatedIds.length) {
      await tx.query(
        `insert into events (workspace_id, item_id, actor, type, data)
         select $1, id, 'ingest', 'item.edited', jsonb_build_object('previousText', prev)
         from unnest($2::bigint[], $3::text[]) as t(id, prev)`,
        [target.workspaceId, updatedIds, updatedIds.map((id) => previousText.get(id) ?? null)]);
    }
    // Items join their conversation in this same transaction: no stored item is outside the inbox.
    await joinConversations(tx, target.workspaceId, written, new Map(before.map((b) => [b.id, b.conversation_id])), opened);
    const itemIds = written.map((w) => w.id);
    if (itemIds.length) await queue.send(STAGE_QUEUE.analyse, { itemIds }, tx);
    return { created, updated: updatedIds.length, duplicate: inBatchDuplicates + rows.length - written.length, itemIds };
  });
}
