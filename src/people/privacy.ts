// Privacy: everything Allmende holds about a person (export, JSON), erasure of their personal
// data keeping anonymised counts, and the retention sweep for raw platform payloads. Export and
// erasure are events. Erasure is the one place where stored history is rewritten: the law's right
// to erasure outranks the append-only log, so events about the person lose their personal content
// and one 'person.erased' event (counts only) says that it happened.
import type { Db } from '../store/db.js';
import type { Actor } from './merge.js';
import { rebuildConversationSearch } from '../inbox/search.js';

/** The person and every person merged into it (their ids all point at the same human). */
async function allIds(db: Db, workspaceId: string, personId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `with recursive m(id) as (select $1::bigint union select p.id from persons p join m on p.merged_into = m.id where p.workspace_id = $2)
     select id from m`, [personId, workspaceId]);
  return rows.map((r) => r.id);
}

export async function exportPerson(db: Db, workspaceId: string, personId: number, actor: Actor) {
  const ids = await allIds(db, workspaceId, personId);
  const q = (sql: string) => db.query(sql, [ids, workspaceId]);
  const data = {
    exportedAt: new Date().toISOString(),
    persons: await q(`select * from persons where id = any($1::bigint[]) and workspace_id = $2 order by id`),
    identities: await q(`select * from identities where person_id = any($1::bigint[]) and workspace_id = $2 order by id`),
    items: await q(`select i.id, i.platform, i.platform_id, i.kind, i.thread_id, i.parent_id, i.author_platform_id, i.author_handle, i.author_name,
                      i.author_url, i.text, i.language, i.links, i.media, i.created_at, i.received_at, i.edited_at, i.permalink, i.raw, i.moderation
                    from items i join identities d on d.id = i.identity_id where d.person_id = any($1::bigint[]) and i.workspace_id = $2 order by i.created_at, i.id`),
    signals: await q(`select s.item_id, s.kind, s.label, s.score, s.evidence, s.source, s.created_at from signals s
                      join items i on i.id = s.item_id join identities d on d.id = i.identity_id where d.person_id = any($1::bigint[]) and s.workspace_id = $2 order by s.id`),
    notes: await q(`select n.id, n.text, n.created_at, u.name as author from person_notes n left join users u on u.id = n.author_user_id
                    where n.person_id = any($1::bigint[]) and n.workspace_id = $2 order by n.id`),
    links: await q(`select l.* from identity_links l join identities d on d.id in (l.identity_a, l.identity_b)
                    where d.person_id = any($1::bigint[]) and l.workspace_id = $2 order by l.id`),
    events: await q(`select e.id, e.type, e.actor, e.data, e.created_at from events e
                     where e.workspace_id = $2 and (e.person_id = any($1::bigint[])
                       or e.item_id in (select i.id from items i join identities d on d.id = i.identity_id where d.person_id = any($1::bigint[])))
                     order by e.id`),
  };
  await db.query(`insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.exported', $5)`,
    [workspaceId, personId, actor.userId, actor.name, JSON.stringify({ items: data.items.length, identities: data.identities.length })]);
  return data;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the person's personal data: their items' text, author fields and raw payloads; their
 * identities' handles, names, e-mail, profile; the person's name, tags, fields and notes; their
 * names where the team wrote them (replies and internal notes in their conversations). Kept:
 * the rows themselves, so counts per platform, month and conversation stay right.
 */
export async function erasePerson(db: Db, workspaceId: string, personId: number, actor: Actor): Promise<{ items: number; identities: number }> {
  return db.transaction(async (tx) => {
    const ids = await allIds(tx, workspaceId, personId);
    const idents = await tx.query<{ id: number; handle: string | null; display_name: string | null; platform_user_id: string; email: string | null; profile_url: string | null }>(
      `select id, handle, display_name, platform_user_id, email, profile_url from identities where person_id = any($1::bigint[]) and workspace_id = $2 for update`, [ids, workspaceId]);
    const persons = await tx.query<{ display_name: string | null }>(`select display_name from persons where id = any($1::bigint[])`, [ids]);
    const identityIds = idents.map((d) => d.id);
    const items = await tx.query<{ id: number; conversation_id: number | null; author_name: string | null; author_handle: string | null }>(
      `select id, conversation_id, author_name, author_handle from items where identity_id = any($1::bigint[]) for update`, [identityIds]);
    const itemIds = items.map((i) => i.id);
    const conversations = [...new Set(items.map((i) => i.conversation_id).filter((c): c is number => c !== null))];
    // Every form of their name Allmende knows, longest first (so "Anna Berg" goes before "Anna").
    const names = [...new Set([
      ...idents.flatMap((d) => [d.handle, d.display_name, d.platform_user_id, d.email, d.profile_url, d.handle?.replace(/^@/, '')]),
      ...persons.map((p) => p.display_name), ...items.flatMap((i) => [i.author_name, i.author_handle])]
      .filter((s): s is string => !!s && s.trim().length >= 3))].sort((a, b) => b.length - a.length);
    const pattern = names.length ? names.map(escapeRe).join('|') : null;

    await tx.query(
      `update items set text = '', text_normalised = null, text_folded = null, search = null, raw = null, links = '{}', media = '[]',
         permalink = null, author_platform_id = null, author_handle = null, author_name = null, author_url = null
       where id = any($1::bigint[])`, [itemIds]);
    await tx.query(`update signals set evidence = '{"erased": true}' where item_id = any($1::bigint[])`, [itemIds]);
    await tx.query(`update events set data = '{"erased": true}' where item_id = any($1::bigint[]) or person_id = any($2::bigint[])`, [itemIds, ids]);
    await tx.query(`delete from identity_links where identity_a = any($1::bigint[]) or identity_b = any($1::bigint[])`, [identityIds]);
    await tx.query(
      `update identities set platform_user_id = 'erased:' || id, handle = null, display_name = null, profile_url = null, email = null,
         email_verified = false, profile_links = '{}', bio = null where id = any($1::bigint[])`, [identityIds]);
    await tx.query(`delete from person_notes where person_id = any($1::bigint[])`, [ids]);
    await tx.query(`update persons set display_name = null, tags = '{}', fields = '{}', erased_at = now(), updated_at = now() where id = any($1::bigint[])`, [ids]);
    if (pattern && conversations.length) {
      // The team's words in their conversations keep their meaning, without the person's name.
      await tx.query(
        `update items set text = regexp_replace(text, $2, '[…]', 'gi'), text_normalised = null, text_folded = null, search = null, raw = null
         where conversation_id = any($1::bigint[]) and direction = 'outbound' and text ~* $2`, [conversations, pattern]);
      await tx.query(`update notes set text = regexp_replace(text, $2, '[…]', 'gi') where conversation_id = any($1::bigint[]) and text ~* $2`, [conversations, pattern]);
      await tx.query(`update actions set payload = '{"erased": true}' where item_id in (select id from items where conversation_id = any($1::bigint[])) and payload::text ~* $2`, [conversations, pattern]);
      await tx.query(`update events set data = '{"erased": true}' where conversation_id = any($1::bigint[]) and data::text ~* $2`, [conversations, pattern]);
    }
    await rebuildConversationSearch(tx, conversations);
    await tx.query(`insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.erased', $5)`,
      [workspaceId, personId, actor.userId, actor.name, JSON.stringify({ items: itemIds.length, identities: identityIds.length, persons: ids.length })]);
    return { items: itemIds.length, identities: identityIds.length };
  });
}

export async function getRetention(db: Db, workspaceId: string): Promise<{ rawRetentionDays: number | null }> {
  const [r] = await db.query<{ raw_retention_days: number | null }>(`select raw_retention_days from privacy_settings where workspace_id = $1`, [workspaceId]);
  return { rawRetentionDays: r?.raw_retention_days ?? null };
}

export async function setRetention(db: Db, workspaceId: string, days: number | null, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getRetention(tx, workspaceId);
    await tx.query(
      `insert into privacy_settings (workspace_id, raw_retention_days, updated_by) values ($1, $2, $3)
       on conflict (workspace_id) do update set raw_retention_days = excluded.raw_retention_days, updated_by = excluded.updated_by, updated_at = now()`,
      [workspaceId, days, actor.userId]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'privacy.retention', $4)`,
      [workspaceId, actor.userId, actor.name, JSON.stringify({ before: before.rawRetentionDays, after: days })]);
  });
}

/** The retention sweep: removes raw payloads older than each workspace allows, a batch at a time. */
export async function purgeRawPayloads(db: Db, now: Date, batch = 5000): Promise<number> {
  const settings = await db.query<{ workspace_id: string; raw_retention_days: number }>(
    `select workspace_id, raw_retention_days from privacy_settings where raw_retention_days is not null`);
  let total = 0;
  for (const s of settings) {
    const rows = await db.query<{ id: number }>(
      `update items set raw = null where id in (
         select id from items where workspace_id = $1 and raw is not null and created_at < $2::timestamptz - make_interval(days => $3) limit $4)
       returning id`, [s.workspace_id, now.toISOString(), s.raw_retention_days, batch]);
    if (rows.length) {
      await db.query(`insert into events (workspace_id, actor, type, data) values ($1, 'retention', 'privacy.raw_purged', $2)`,
        [s.workspace_id, JSON.stringify({ items: rows.length, olderThanDays: s.raw_retention_days })]);
    }
    total += rows.length;
  }
  return total;
}
