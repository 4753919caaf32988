// Removing a team or a label. The conversations that carry it lose it first, each with its own
// assignment or label event (as if a person had changed them one by one), so a conversation's
// history explains why its team or label went; then the definition goes, with a workspace event.
// A label an SLA policy matches on is refused: silently changing which clock applies would
// surprise the team, so the policy is changed first.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { changeConversations, type Actor } from './state.js';

const CHUNK = 1000;

async function recordRemoval(db: Db, workspaceId: string, actor: Actor, type: string, data: unknown) {
  await db.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, $5)`,
    [workspaceId, actor.userId, `${actor.kind ?? 'person'}:${actor.name}`, type, JSON.stringify(data)]);
}

/** Conversations matching `where` in chunks, until none is left (new ones may arrive meanwhile). */
async function drainMatching(db: Db, workspaceId: string, where: string, param: unknown, change: (ids: number[]) => Promise<number[]>): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = (await db.query<{ id: number }>(`select id from conversations where workspace_id = $1 and ${where} limit ${CHUNK}`, [workspaceId, param])).map((r) => r.id);
    if (!ids.length) return total;
    total += (await change(ids)).length;
  }
}

export async function deleteTeam(db: Db, workspaceId: string, actor: Actor, teamId: string): Promise<{ conversations: number }> {
  const [team] = await db.query<{ name: string }>(`select name from teams where workspace_id = $1 and id = $2`, [workspaceId, teamId]);
  if (!team) throw new HttpError(404, 'not_found', 'no such team in this workspace');
  const conversations = await drainMatching(db, workspaceId, 'team_id = $2', teamId,
    (ids) => changeConversations(db, workspaceId, actor, ids, { kind: 'assignment', teamId: null }, `team "${team.name}" deleted`));
  // A conversation handed to the team in the last moment loses it through the foreign key.
  await db.query(`delete from teams where workspace_id = $1 and id = $2`, [workspaceId, teamId]);
  await recordRemoval(db, workspaceId, actor, 'inbox.team_deleted', { teamId, name: team.name, conversations });
  return { conversations };
}

export async function deleteLabel(db: Db, workspaceId: string, actor: Actor, name: string): Promise<{ conversations: number }> {
  const [label] = await db.query(`select 1 from labels where workspace_id = $1 and name = $2`, [workspaceId, name]);
  if (!label) throw new HttpError(404, 'not_found', `no label "${name}" in this workspace`);
  const policies = await db.query<{ name: string }>(`select name from sla_policies where workspace_id = $1 and $2 = any(labels) order by position`, [workspaceId, name]);
  if (policies.length) {
    throw new HttpError(409, 'in_use', `the SLA policies ${policies.map((p) => `"${p.name}"`).join(', ')} match on the label "${name}"; change them first`, { policies: policies.map((p) => p.name) });
  }
  const conversations = await drainMatching(db, workspaceId, 'labels @> array[$2::text]', name,
    (ids) => changeConversations(db, workspaceId, actor, ids, { kind: 'labels', remove: [name] }, `label "${name}" deleted`));
  await db.query(`delete from labels where workspace_id = $1 and name = $2`, [workspaceId, name]);
  await recordRemoval(db, workspaceId, actor, 'inbox.label_deleted', { name, conversations });
  return { conversations };
}
