// Internal notes on a conversation, with @mentions of colleagues. They stay in Allmende: no
// action is ever queued for them. A mention names a member of the workspace by the part of
// their e-mail before the @, or by their name without spaces; the person sees it in "mentions".
import type { Db } from '../store/db.js';

const MENTION = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}_.-]{2,64})/gu;

export function mentionedNames(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[2].replace(/[.-]+$/, '').toLowerCase()))];
}

export async function addNote(db: Db, workspaceId: string, conversationId: number, authorId: string | null, text: string) {
  return db.transaction(async (tx) => {
    const names = mentionedNames(text);
    const people = names.length ? await tx.query<{ id: string; name: string }>(
      `select u.id, u.name from memberships m join users u on u.id = m.user_id
       where m.workspace_id = $1 and u.disabled_at is null
         and (lower(split_part(u.email, '@', 1)) = any($2::text[]) or lower(replace(u.name, ' ', '')) = any($2::text[]))`,
      [workspaceId, names]) : [];
    const [note] = await tx.query<{ id: number; created_at: string }>(
      `insert into notes (workspace_id, conversation_id, author_user_id, text) values ($1, $2, $3, $4) returning id, created_at`,
      [workspaceId, conversationId, authorId, text]);
    const others = people.filter((p) => p.id !== authorId);
    if (others.length) {
      await tx.query(`insert into note_mentions (note_id, user_id, workspace_id) select $1, unnest($2::uuid[]), $3`, [note.id, others.map((p) => p.id), workspaceId]);
    }
    await tx.query(`insert into events (workspace_id, conversation_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'person', 'inbox.note', $4)`,
      [workspaceId, conversationId, authorId, JSON.stringify({ noteId: note.id, mentions: others.map((p) => p.id) })]);
    return { id: note.id, createdAt: new Date(note.created_at).toISOString(), mentions: people.map((p) => ({ id: p.id, name: p.name })) };
  });
}

/** Notes that mention the person, newest first, with whether they were seen. */
export async function mentionsOf(db: Db, workspaceId: string, userId: string, limit: number) {
  const rows = await db.query<any>(
    `select n.id, n.conversation_id, n.text, n.created_at, u.name as author_name, m.seen_at
     from note_mentions m join notes n on n.id = m.note_id left join users u on u.id = n.author_user_id
     where m.user_id = $1 and m.workspace_id = $2 order by m.note_id desc limit $3`, [userId, workspaceId, limit]);
  return rows.map((r) => ({ noteId: r.id, conversationId: r.conversation_id, text: r.text, createdAt: new Date(r.created_at).toISOString(), author: r.author_name, seen: !!r.seen_at }));
}
