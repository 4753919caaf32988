-- Inbox search per conversation: the lexemes of all its items' search vectors (items.search,
-- filled by analyse), without positions, in one tsvector with its own GIN index, so a search is
-- a condition on `conversations` like every other filter instead of a walk through the items.
-- Bounded: PostgreSQL refuses a tsvector with more than 1 MB of lexeme text, so a conversation
-- stops collecting lexemes past 256 kB (search null, search_incomplete true); the inbox then
-- matches such a conversation through its items (src/inbox/search.ts).
alter table conversations add column search tsvector;
alter table conversations add column search_incomplete boolean not null default false;

update conversations c set
  search = case when b.bytes <= 262144 then array_to_tsvector(b.lexemes) end,
  search_incomplete = b.bytes > 262144
from (select conversation_id, array_agg(lexeme) as lexemes, sum(octet_length(lexeme)) as bytes
      from (select distinct i.conversation_id, l.lexeme from items i cross join lateral unnest(i.search) l
            where i.conversation_id is not null and i.search is not null) d
      group by conversation_id) b
where c.id = b.conversation_id;

create index conversations_search on conversations using gin (search);
create index conversations_search_incomplete on conversations (workspace_id) where search_incomplete;
