// The search vector of a conversation (conversations.search, 007_conversation_search.sql): the
// distinct lexemes of its items' search vectors, without positions. Kept set-based: analyse (and
// a reply from Allmende) adds the lexemes of items whose vector was just written; an edit or a
// move rebuilds the conversations concerned from their items, so a removed word stops matching.
// Past SEARCH_LEXEME_BYTES of lexeme text a conversation stops collecting (PostgreSQL refuses a
// tsvector over 1 MB): search is null and search_incomplete true, and the list matches it
// through its items instead, so a long conversation never makes ingest or analyse fail.
import type { Db } from '../store/db.js';

export const SEARCH_LEXEME_BYTES = 262_144;

/** Adds the lexemes of these items (their `search` is written) to their conversations. */
export async function addToConversationSearch(tx: Db, itemIds: number[]): Promise<void> {
  if (!itemIds.length) return;
  // Lock in id order, as ingest and the SLA sweep do, so the three never deadlock.
  const locked = await tx.query<{ id: number }>(
    `select id from conversations where id in (select conversation_id from items where id = any($1::bigint[]) and search is not null)
       and not search_incomplete order by id for update`, [itemIds]);
  if (!locked.length) return;
  // Only lexemes the conversation lacks: a conversation whose words are all known is not rewritten.
  await tx.query(
    `with n as (
       select d.conversation_id, array_agg(d.lexeme) as lexemes
       from (select distinct i.conversation_id, l.lexeme from items i cross join lateral unnest(i.search) l
             where i.id = any($1::bigint[]) and i.conversation_id = any($2::bigint[])) d
       group by d.conversation_id),
     m as (
       select n.conversation_id as id, f.fresh, f.have + f.adds <= $3 as fits
       from n join conversations cv on cv.id = n.conversation_id
       cross join lateral (select coalesce(tsvector_to_array(cv.search), '{}') as known) k
       cross join lateral (select array(select unnest(n.lexemes) except select unnest(k.known)) as fresh) a
       cross join lateral (select a.fresh,
         coalesce((select sum(octet_length(x)) from unnest(k.known) x), 0) as have,
         coalesce((select sum(octet_length(x)) from unnest(a.fresh) x), 0) as adds) f
       where cardinality(f.fresh) > 0 or cv.search is null)
     update conversations c set
       search = case when m.fits then coalesce(c.search, ''::tsvector) || array_to_tsvector(m.fresh) end,
       search_incomplete = not m.fits
     from m where c.id = m.id`, [itemIds, locked.map((l) => l.id), SEARCH_LEXEME_BYTES]);
}

/** Rebuilds the vectors of these conversations from their items (after an edit or a move). */
export async function rebuildConversationSearch(tx: Db, conversationIds: number[]): Promise<void> {
  if (!conversationIds.length) return;
  await tx.query(
    `update conversations c set
       search = case when coalesce(b.bytes, 0) <= $2 then array_to_tsvector(coalesce(b.lexemes, '{}')) end,
       search_incomplete = coalesce(b.bytes, 0) > $2
     from unnest($1::bigint[]) as t(id)
     left join (select conversation_id, array_agg(lexeme) as lexemes, sum(octet_length(lexeme)) as bytes
                from (select distinct i.conversation_id, l.lexeme from items i cross join lateral unnest(i.search) l
                      where i.conversation_id = any($1::bigint[]) and i.search is not null) d
                group by conversation_id) b on b.conversation_id = t.id
     where c.id = t.id`, [conversationIds, SEARCH_LEXEME_BYTES]);
}
