// The search vector of a conversation (conversations.search, 007_conversation_search.sql): the
// distinct lexemes of its items' search vectors, without positions. Kept set-based: analyse (and
// a reply from Allmende) adds the lexemes of items whose vector was just written; an edit or a
// move rebuilds the conversations concerned from their items, so a removed word stops matching.
// Past SEARCH_VECTOR_BYTES a conversation stops collecting (PostgreSQL refuses a tsvector over
// 1 MB): search is null and search_incomplete true, and the list matches it through its items
// instead, so a long conversation never makes ingest or analyse fail.
import type { Db } from '../store/db.js';

/** The size of the vector as PostgreSQL holds it (pg_column_size: lexemes plus their headers). */
export const SEARCH_VECTOR_BYTES = 262_144;

/** Adds the lexemes of these items (their `search` is written) to their conversations. */
export async function addToConversationSearch(tx: Db, itemIds: number[]): Promise<void> {
  if (!itemIds.length) return;
  // Lock in id order, as ingest and the SLA sweep do, so the three never deadlock.
  const locked = await tx.query<{ id: number }>(
    `select id from conversations where id in (select conversation_id from items where id = any($1::bigint[]) and search is not null)
       and not search_incomplete order by id for update`, [itemIds]);
  if (!locked.length) return;
  // PostgreSQL's own tsvector merge (||) does the deduplication; a conversation whose words were
  // all known keeps its row untouched (a rewrite costs a new entry in every index of the table).
  await tx.query(
    `with n as (
       select i.conversation_id, array_to_tsvector(array_agg(l.lexeme)) as words
       from items i cross join lateral unnest(tsvector_to_array(i.search)) l(lexeme)
       where i.id = any($1::bigint[]) and i.conversation_id = any($2::bigint[])
       group by i.conversation_id),
     m as (
       select cv.id, v.merged, pg_column_size(v.merged) <= $3 as fits
       from n join conversations cv on cv.id = n.conversation_id
       cross join lateral (select coalesce(cv.search, ''::tsvector) || n.words as merged) v
       where cv.search is null or length(v.merged) > length(cv.search))
     update conversations c set search = case when m.fits then m.merged end, search_incomplete = not m.fits
     from m where c.id = m.id`, [itemIds, locked.map((l) => l.id), SEARCH_VECTOR_BYTES]);
}

/** Rebuilds the vectors of these conversations from their items (after an edit or a move). */
export async function rebuildConversationSearch(tx: Db, conversationIds: number[]): Promise<void> {
  if (!conversationIds.length) return;
  await tx.query(
    `update conversations c set
       search = case when pg_column_size(v.words) <= $2 then v.words end,
       search_incomplete = pg_column_size(v.words) > $2
     from unnest($1::bigint[]) as t(id)
     left join (select i.conversation_id, array_to_tsvector(array_agg(l.lexeme)) as words
                from items i cross join lateral unnest(tsvector_to_array(i.search)) l(lexeme)
                where i.conversation_id = any($1::bigint[]) and i.search is not null
                group by i.conversation_id) b on b.conversation_id = t.id
     cross join lateral (select coalesce(b.words, ''::tsvector) as words) v
     where c.id = t.id`, [conversationIds, SEARCH_VECTOR_BYTES]);
}
