// Changes people make to conversations: status and snooze, assignment, labels, priority. Like
// moderation, the event log is the truth: each change appends an event with actor, before and
// after, and in the same transaction updates the derived columns. Rows are locked first (in id
// order), so two people closing the same conversation at once make one change and one event;
// the second sees it done already and changes nothing.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';

export const STATUSES = ['new', 'open', 'waiting', 'done'] as const;
export type Status = (typeof STATUSES)[number];

/** Who changes: a person (the default), or a tool such as the outbox. */
export interface Actor { userId: string | null; name: string; kind?: string }

/** Who acts in a request: the signed-in person, or an API token. */
export const actorOf = (req: FastifyRequest): Actor => ({ userId: req.auth?.user?.id ?? null, name: req.auth?.user?.name ?? 'API token' });

interface Row { id: number; status: Status; snoozed_until: string | null; assignee_user_id: string | null; team_id: string | null; labels: string[]; priority: number }

type Patch = Partial<Pick<Row, 'status' | 'snoozed_until' | 'assignee_user_id' | 'team_id' | 'labels' | 'priority'>>;

export type Change =
  | { kind: 'status'; to: Status; snoozeUntil?: string | null }
  | { kind: 'assignment'; userId?: string | null; teamId?: string | null }
  | { kind: 'labels'; add?: string[]; remove?: string[] }
  | { kind: 'priority'; to: number };

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** What a change does to one conversation: the event type, before/after, and the columns to write. */
function apply(row: Row, c: Change): { type: string; before: unknown; after: unknown; patch: Patch } | null {
  switch (c.kind) {
    case 'status': {
      const snooze = c.snoozeUntil === undefined ? (c.to === row.status ? iso(row.snoozed_until) : null) : iso(c.snoozeUntil);
      if (c.to === row.status && snooze === iso(row.snoozed_until)) return null;
      return { type: 'inbox.status', before: row.status, after: c.to, patch: { status: c.to, snoozed_until: snooze } };
    }
    case 'assignment': {
      const userId = c.userId === undefined ? row.assignee_user_id : c.userId;
      const teamId = c.teamId === undefined ? row.team_id : c.teamId;
      if (userId === row.assignee_user_id && teamId === row.team_id) return null;
      return { type: 'inbox.assignment', before: { userId: row.assignee_user_id, teamId: row.team_id }, after: { userId, teamId }, patch: { assignee_user_id: userId, team_id: teamId } };
    }
    case 'labels': {
      const remove = new Set(c.remove ?? []);
      const labels = [...new Set([...row.labels.filter((l) => !remove.has(l)), ...(c.add ?? [])])].sort();
      if (labels.join('\u0000') === [...row.labels].sort().join('\u0000')) return null;
      return { type: 'inbox.labels', before: row.labels, after: labels, patch: { labels } };
    }
    case 'priority':
      if (c.to === row.priority) return null;
      return { type: 'inbox.priority', before: row.priority, after: c.to, patch: { priority: c.to } };
  }
}

/** Applies one change to conversations of a workspace; returns the ids that changed. */
export async function changeConversations(db: Db, workspaceId: string, actor: Actor, ids: number[], change: Change, reason?: string): Promise<number[]> {
  if (!ids.length) return [];
  return db.transaction(async (tx) => {
    const rows = await tx.query<Row>(
      `select id, status, snoozed_until, assignee_user_id, team_id, labels, priority from conversations
       where workspace_id = $1 and id = any($2::bigint[]) order by id for update`, [workspaceId, ids]);
    const done = rows.map((r) => ({ row: r, out: apply(r, change) })).filter((d) => d.out);
    if (!done.length) return [];
    const patches = done.map(({ row, out }) => ({ ...row, snoozed_until: iso(row.snoozed_until), ...out!.patch }));
    const statusChanged = change.kind === 'status';
    await tx.query(
      `update conversations c set status = p.status, snoozed_until = p.snoozed_until, assignee_user_id = p.assignee_user_id,
         team_id = p.team_id, labels = p.labels, priority = p.priority, version = c.version + 1, updated_at = now(),
         status_at = case when $2 then now() else c.status_at end,
         done_at = case when not $2 then c.done_at when p.status = 'done' then now() else null end
       from jsonb_to_recordset($1::jsonb) as p(id bigint, status text, snoozed_until timestamptz, assignee_user_id uuid, team_id uuid, labels text[], priority smallint)
       where c.id = p.id`, [JSON.stringify(patches), statusChanged]);
    await tx.query(
      `insert into events (workspace_id, conversation_id, actor_user_id, actor, type, data)
       select $1, e.id, $2, $3, e.type, e.data from jsonb_to_recordset($4::jsonb) as e(id bigint, type text, data jsonb)`,
      [workspaceId, actor.userId, `${actor.kind ?? 'person'}:${actor.name}`, JSON.stringify(done.map(({ row, out }) => ({
        id: row.id, type: out!.type,
        data: { before: out!.before, after: out!.after, ...(change.kind === 'status' ? { snoozedUntil: out!.patch.snoozed_until ?? null } : {}), reason: reason ?? null },
      })))]);
    return done.map((d) => d.row.id);
  });
}

/** Conversations whose snooze ended go back to open (or stay new), each with its event. */
export async function wakeSnoozed(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const woken = await tx.query<{ id: number; workspace_id: string; before: string; after: string; snoozed: string }>(
      `update conversations c set snoozed_until = null, status = case when o.status = 'new' then 'new' else 'open' end,
         status_at = now(), done_at = null, version = c.version + 1, updated_at = now()
       from conversations o
       where c.id = o.id and o.id in (select id from conversations where snoozed_until <= now() order by snoozed_until limit 1000 for update skip locked)
       returning c.id, c.workspace_id, o.status as before, c.status as after, o.snoozed_until as snoozed`);
    if (woken.length) {
      await tx.query(
        `insert into events (workspace_id, conversation_id, actor, type, data)
         select e.workspace_id, e.id, 'snooze', 'inbox.status', jsonb_build_object('before', e.before, 'after', e.after, 'snoozedUntil', e.snoozed, 'reason', 'snooze ended')
         from jsonb_to_recordset($1::jsonb) as e(id bigint, workspace_id uuid, before text, after text, snoozed timestamptz)`, [JSON.stringify(woken)]);
    }
    return woken.length;
  });
}
