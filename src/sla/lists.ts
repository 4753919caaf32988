// The inbox views "breached" and "due soon": open conversations by their next due time, most
// urgent first (index conversations_sla_due, migration 006).
import type { Db } from '../store/db.js';

export type SlaState = 'breached' | 'due_soon';

export async function slaConversations(db: Db, workspaceId: string, state: SlaState, now: Date, soonMinutes = 60, limit = 100) {
  const rows = await db.query<{ id: number; sla_due_at: Date; sla_due_kind: string; status: string; platform: string }>(
    state === 'breached'
      ? `select id, sla_due_at, sla_due_kind, status, platform from conversations
         where workspace_id = $1 and sla_due_at is not null and sla_due_at <= $2 and status <> 'done'
         order by sla_due_at, id limit $3`
      : `select id, sla_due_at, sla_due_kind, status, platform from conversations
         where workspace_id = $1 and sla_due_at > $2 and sla_due_at <= $2::timestamptz + make_interval(mins => $4) and status <> 'done'
         order by sla_due_at, id limit $3`,
    state === 'breached' ? [workspaceId, now, limit] : [workspaceId, now, limit, soonMinutes]);
  return rows.map((c) => ({ id: c.id, status: c.status, platform: c.platform, dueAt: c.sla_due_at, dueKind: c.sla_due_kind }));
}
