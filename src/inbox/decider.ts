// After analysis the inbox learns each conversation's language (of its first analysed member
// item), so lists filter on one indexed column instead of searching items.
import type { Db } from '../store/db.js';
import type { Decider } from '../pipeline/stages.js';

export const inboxDecider: Decider = {
  async decide(tx: Db, items: { id: number }[]) {
    await tx.query(
      // The stage holds its items; a conversation another transaction holds (a reply being sent,
      // an ingest) is skipped rather than waited for, so the two never wait on each other. A
      // skipped conversation gets its language with its next analysed item.
      `update conversations c set language = f.language
       from (select distinct on (conversation_id) conversation_id, language from items
             where id = any($1::bigint[]) and conversation_id is not null and direction = 'inbound' and language is not null
             order by conversation_id, created_at, id) f
       where c.id = f.conversation_id and c.id in (
         select id from conversations where id in (select conversation_id from items where id = any($1::bigint[]))
           and language is null order by id for update skip locked)`, [items.map((i) => i.id)]);
  },
};
