// After analysis the inbox learns each conversation's language (of its first analysed member
// item), so lists filter on one indexed column instead of searching items.
import type { Db } from '../store/db.js';
import type { Decider } from '../pipeline/stages.js';

export const inboxDecider: Decider = {
  async decide(tx: Db, items: { id: number }[]) {
    await tx.query(
      `update conversations c set language = f.language
       from (select distinct on (conversation_id) conversation_id, language from items
             where id = any($1::bigint[]) and conversation_id is not null and direction = 'inbound' and language is not null
             order by conversation_id, created_at, id) f
       where c.id = f.conversation_id and c.language is null`, [items.map((i) => i.id)]);
  },
};
