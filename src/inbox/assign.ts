// Automatic assignment of new conversations: the first team (by name) that takes the platform
// and assigns automatically gets the conversation, and within it the available member who was
// assigned longest ago (round-robin) or who has the fewest unfinished conversations
// (load-balanced). One batch is decided in memory and written set-based.
import type { Db } from '../store/db.js';

interface Team { id: string; auto_assign: 'round_robin' | 'load_balanced'; platforms: string[] }
interface Member { team_id: string; user_id: string; last_assigned_at: Date | string | null; load: number }

export async function autoAssign(tx: Db, workspaceId: string, conversationIds: number[]): Promise<void> {
  const teams = await tx.query<Team>(
    `select id, auto_assign, platforms from teams where workspace_id = $1 and auto_assign <> 'off' order by name`, [workspaceId]);
  if (!teams.length) return;
  // Only conversations with something from a member need a person.
  const convs = await tx.query<{ id: number; platform: string }>(
    `select c.id, c.platform from conversations c where c.id = any($1::bigint[]) and c.assignee_user_id is null and c.team_id is null
       and c.inbound_count > 0 and c.status = 'new'
       and not exists (select 1 from events e where e.conversation_id = c.id and e.type = 'inbox.assignment')
     order by c.id for update of c`, [conversationIds]);
  if (!convs.length) return;
  // Locks the members' rows: two ingests assigning at once take turns instead of picking the same person.
  const members = await tx.query<Member>(
    `select m.team_id, m.user_id, m.last_assigned_at,
       (select count(*)::int from conversations c where c.workspace_id = $1 and c.assignee_user_id = m.user_id and c.status <> 'done') as load
     from team_members m join memberships ms on ms.workspace_id = $1 and ms.user_id = m.user_id
     where m.team_id = any($2::uuid[]) and m.available and ms.role <> 'analyst'
     order by m.team_id, m.user_id for update of m`, [workspaceId, teams.map((t) => t.id)]);
  const byTeam = new Map<string, Member[]>();
  members.forEach((m) => byTeam.set(m.team_id, [...(byTeam.get(m.team_id) ?? []), m]));

  const picks: { id: number; team: string; user: string | null }[] = [];
  let clock = Date.now();
  for (const c of convs) {
    const team = teams.find((t) => t.platforms.length === 0 || t.platforms.includes(c.platform));
    if (!team) continue;
    const pool = byTeam.get(team.id) ?? [];
    const pick = pool.length ? pool.reduce((best, m) => (better(team.auto_assign, m, best) ? m : best)) : null;
    if (pick) { pick.load++; pick.last_assigned_at = new Date(++clock).toISOString(); }
    picks.push({ id: c.id, team: team.id, user: pick?.user_id ?? null });
  }
  if (!picks.length) return;
  await tx.query(
    `update conversations c set team_id = p.team, assignee_user_id = p.user_id, version = c.version + 1, updated_at = now()
     from jsonb_to_recordset($1::jsonb) as p(id bigint, team uuid, user_id uuid) where c.id = p.id`,
    [JSON.stringify(picks.map((p) => ({ id: p.id, team: p.team, user_id: p.user })))]);
  const assigned = members.filter((m) => picks.some((p) => p.user === m.user_id && p.team === m.team_id))
    .map((m) => ({ team_id: m.team_id, user_id: m.user_id, at: m.last_assigned_at }));
  if (assigned.length) {
    await tx.query(
      `update team_members m set last_assigned_at = t.at from jsonb_to_recordset($1::jsonb) as t(team_id uuid, user_id uuid, at timestamptz)
       where m.team_id = t.team_id and m.user_id = t.user_id`, [JSON.stringify(assigned)]);
  }
  await tx.query(
    `insert into events (workspace_id, conversation_id, actor, type, data)
     select $1, p.id, 'auto-assign', 'inbox.assignment',
       jsonb_build_object('before', jsonb_build_object('userId', null, 'teamId', null), 'after', jsonb_build_object('userId', p.user_id, 'teamId', p.team), 'reason', $2::text)
     from jsonb_to_recordset($3::jsonb) as p(id bigint, team uuid, user_id uuid)`,
    [workspaceId, 'automatic assignment', JSON.stringify(picks.map((p) => ({ id: p.id, team: p.team, user_id: p.user })))]);

}

/** Is candidate a better pick than best? Ties go to who waited longest, then a stable order. */
function better(mode: Team['auto_assign'], candidate: Member, best: Member): boolean {
  // The database hands back a Date, a pick made in this batch an ISO string; Date.parse of a
  // Date's text would drop the milliseconds and tie two assignments in the same second.
  const waited = (m: Member) => (m.last_assigned_at ? new Date(m.last_assigned_at).getTime() : 0);
  if (mode === 'load_balanced' && candidate.load !== best.load) return candidate.load < best.load;
  if (waited(candidate) !== waited(best)) return waited(candidate) < waited(best);
  return candidate.user_id < best.user_id;
}
