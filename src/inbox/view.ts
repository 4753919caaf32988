// One conversation with its context: the whole thread (the post it hangs under first), the
// earlier exchanges with the same people (matched on platform user id or handle, on any
// platform, until people are linked properly), the internal notes and the history.
import type { Db } from '../store/db.js';
import { CONVERSATION_COLUMNS, CONVERSATION_JOINS, conversationOutput } from './list.js';

const MAX_ITEMS = 500;
const MAX_EARLIER = 20;

const iso = (d: Date | string | null) => (d === null || d === undefined ? null : new Date(d).toISOString());

const ITEM_COLUMNS = `i.id, i.platform, i.platform_id, i.kind, i.thread_id, i.parent_id, i.author_platform_id, i.author_handle, i.author_name,
  i.author_url, i.text, i.language, i.created_at, i.permalink, i.moderation, i.direction, i.send_state, i.send_error, i.sent_by,
  su.name as sent_by_name, i.conversation_id,
  coalesce((select jsonb_agg(jsonb_build_object('kind', s.kind, 'label', s.label, 'score', s.score, 'evidence', s.evidence) order by s.id)
            from signals s where s.item_id = i.id and s.kind in ('claim', 'domain', 'campaign', 'link_wave', 'newcomer_burst')), '[]') as misinfo`;

export function threadItemOutput(r: any) {
  return {
    id: r.id, platform: r.platform, platformId: r.platform_id, kind: r.kind, threadId: r.thread_id, parentId: r.parent_id,
    author: { platformUserId: r.author_platform_id, handle: r.author_handle, displayName: r.author_name, profileUrl: r.author_url },
    text: r.text, language: r.language, createdAt: iso(r.created_at), permalink: r.permalink, moderation: r.moderation,
    direction: r.direction, send: r.send_state ? { state: r.send_state, error: r.send_error, by: r.sent_by ? { id: r.sent_by, name: r.sent_by_name } : null } : null,
    conversationId: r.conversation_id,
    // Misinformation signals with their evidence (known claim, listed source, suspected campaign).
    misinfo: r.misinfo ?? [],
  };
}

export async function conversationRow(db: Db, workspaceId: string, id: number) {
  const [row] = await db.query<any>(`select ${CONVERSATION_COLUMNS}, c.root_item_id from conversations c ${CONVERSATION_JOINS} where c.workspace_id = $1 and c.id = $2`, [workspaceId, id]);
  return row ?? null;
}

export async function getConversation(db: Db, workspaceId: string, id: number, userId: string | null) {
  const row = await conversationRow(db, workspaceId, id);
  if (!row) return null;
  // The latest MAX_ITEMS, shown oldest first; the root is fetched on its own if it fell off.
  const items = (await db.query<any>(
    `select ${ITEM_COLUMNS} from items i left join users su on su.id = i.sent_by
     where i.conversation_id = $1 order by i.created_at desc, i.id desc limit ${MAX_ITEMS}`, [id])).reverse();
  let root = items.find((i) => i.id === row.root_item_id) ?? null;
  if (!root && row.root_item_id) {
    [root] = await db.query<any>(`select ${ITEM_COLUMNS} from items i left join users su on su.id = i.sent_by where i.id = $1`, [row.root_item_id]);
  }
  const members = items.filter((i) => i.direction === 'inbound');
  // A platform user id means the same person only on its own platform; a handle on any.
  const accounts = [...new Map(members.filter((i) => i.author_platform_id).map((i) => [`${i.platform}\u0000${i.author_platform_id}`, i])).values()];
  const handles = [...new Set(members.map((i) => i.author_handle).filter(Boolean))];
  const earlier = accounts.length || handles.length ? await db.query<any>(
    // Two branches, each walking its own author index newest first; one OR would walk all items.
    `select ${ITEM_COLUMNS} from items i left join users su on su.id = i.sent_by
     where i.id in (
       (select id from items where workspace_id = $1 and author_platform_id = any($3::text[]) and conversation_id is distinct from $2
          and (author_platform_id, platform) in (select * from unnest($3::text[], $4::text[]))
        order by id desc limit ${MAX_EARLIER})
       union
       (select id from items where workspace_id = $1 and author_handle = any($5::text[]) and conversation_id is distinct from $2
        order by id desc limit ${MAX_EARLIER}))
     order by i.created_at desc limit ${MAX_EARLIER}`,
    [workspaceId, id, accounts.map((a) => a.author_platform_id), accounts.map((a) => a.platform), handles]) : [];
  const notes = await db.query<any>(
    `select n.id, n.text, n.created_at, n.author_user_id, u.name as author_name,
       coalesce((select jsonb_agg(jsonb_build_object('id', m.user_id, 'name', mu.name)) from note_mentions m join users mu on mu.id = m.user_id where m.note_id = n.id), '[]') as mentions
     from notes n left join users u on u.id = n.author_user_id where n.conversation_id = $1 order by n.id`, [id]);
  if (userId) {
    await db.query(`update note_mentions set seen_at = now() where user_id = $1 and seen_at is null and note_id in (select id from notes where conversation_id = $2)`, [userId, id]);
  }
  const history = await db.query<any>(
    `select e.id, e.type, e.actor, e.data, e.created_at from events e where e.conversation_id = $1 order by e.id desc limit 200`, [id]);
  return {
    conversation: conversationOutput(row),
    root: root ? threadItemOutput(root) : null,
    items: items.map(threadItemOutput),
    earlier: earlier.map(threadItemOutput),
    notes: notes.map((n) => ({ id: n.id, text: n.text, createdAt: iso(n.created_at), author: n.author_user_id ? { id: n.author_user_id, name: n.author_name } : null, mentions: n.mentions })),
    history: history.map((e) => ({ id: e.id, type: e.type, actor: e.actor, data: e.data, createdAt: iso(e.created_at) })),
  };
}
