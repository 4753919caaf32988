// Keeps every conversation's SLA clock current and records breaches. Runs every second in the
// worker process: first the conversations that changed (updated_at) since their due times were
// computed (a new item, a reply, a status change — or a policy change), then those whose next
// unalerted due time the clock has passed. An alert is recorded once per conversation, kind and
// due time (unique key), so two workers or a re-run never record it twice.
import type { Db } from '../store/db.js';
import { listPolicies, getCalendar, matchPolicy, type Policy } from './policies.js';
import { dueTimes } from './due.js';
import type { BusinessCalendar } from './calendar.js';

const BATCH = 500;

interface Row {
  id: number; workspace_id: string; updated_at: string; platform: string; labels: string[]; priority: number; status: string;
  first_inbound_at: Date | null; last_outbound_at: Date | null; awaiting_since: Date | null; sla_due_at: Date | null;
}

const COLUMNS = `id, workspace_id, updated_at::text as updated_at, platform, labels, priority, status, first_inbound_at, last_outbound_at, awaiting_since, sla_due_at`;

async function settings(db: Db, cache: Map<string, { policies: Policy[]; calendar: BusinessCalendar }>, ws: string) {
  let s = cache.get(ws);
  if (!s) {
    s = { policies: await listPolicies(db, ws), calendar: await getCalendar(db, ws) };
    cache.set(ws, s);
  }
  return s;
}

/** Computes due times for conversations in the batch and records the breaches `now` has passed. */
async function update(db: Db, rows: Row[], now: Date, cache: Map<string, { policies: Policy[]; calendar: BusinessCalendar }>): Promise<number> {
  const updates: Record<string, unknown>[] = [];
  const alerts: Record<string, unknown>[] = [];
  for (const r of rows) {
    const { policies, calendar } = await settings(db, cache, r.workspace_id);
    const policy = matchPolicy(policies, r);
    const dues = dueTimes(policy, calendar, r);
    const passed = dues.filter((d) => +d.at <= +now);
    const pending = dues.filter((d) => +d.at > now.getTime());
    for (const d of passed) alerts.push({ workspace_id: r.workspace_id, conversation_id: r.id, policy_id: policy!.id, kind: d.kind, due_at: d.at.toISOString(), breached_at: now.toISOString() });
    updates.push({ id: r.id, updated_at: r.updated_at, policy_id: policy?.id ?? null, due_at: dues[0]?.at.toISOString() ?? null, due_kind: dues[0]?.kind ?? null, alert_at: pending[0]?.at.toISOString() ?? null });
  }
  let recorded = 0;
  await db.transaction(async (tx) => {
    // Lock in id order and skip rows ingest is writing (ingest locks conversations in id order
    // too): the sweep never waits on ingest, and never deadlocks with it. Skipped rows stay stale
    // and come back next round; so does a conversation that changed meanwhile (the updated_at guard).
    const locked = new Set((await tx.query<{ id: number }>(
      `select id from conversations where id = any($1::bigint[]) order by id for update skip locked`, [rows.map((r) => r.id)])).map((r) => Number(r.id)));
    const mine = updates.filter((u) => locked.has(Number(u.id)));
    const mineAlerts = alerts.filter((a) => locked.has(Number(a.conversation_id)));
    await tx.query(
      `update conversations c set sla_policy_id = u.policy_id, sla_due_at = u.due_at, sla_due_kind = u.due_kind, sla_alert_at = u.alert_at, sla_computed_for = c.updated_at
       from jsonb_to_recordset($1::jsonb) as u(id bigint, updated_at timestamptz, policy_id uuid, due_at timestamptz, due_kind text, alert_at timestamptz)
       where c.id = u.id and c.updated_at = u.updated_at`, [JSON.stringify(mine)]);
    if (mineAlerts.length) {
      const inserted = await tx.query(
        `insert into sla_alerts (workspace_id, conversation_id, policy_id, kind, due_at, breached_at)
         select a.workspace_id, a.conversation_id, a.policy_id, a.kind, a.due_at, a.breached_at
         from jsonb_to_recordset($1::jsonb) as a(workspace_id uuid, conversation_id bigint, policy_id uuid, kind text, due_at timestamptz, breached_at timestamptz)
         on conflict (conversation_id, kind, due_at) do nothing returning id, workspace_id, conversation_id, kind`, [JSON.stringify(mineAlerts)]);
      recorded = inserted.length;
      if (inserted.length) {
        await tx.query(
          `insert into events (workspace_id, conversation_id, actor, type, data)
           select (a->>'workspace_id')::uuid, (a->>'conversation_id')::bigint, 'sla', 'sla.breached', jsonb_build_object('alert', a->'id', 'kind', a->'kind')
           from jsonb_array_elements($1::jsonb) a`, [JSON.stringify(inserted)]);
      }
    }
  });
  return recorded;
}

/** One round of the SLA clock. Returns how many conversations were looked at and alerts recorded. */
export async function sweepSla(db: Db, now: Date): Promise<{ computed: number; alerts: number }> {
  const cache = new Map<string, { policies: Policy[]; calendar: BusinessCalendar }>();
  let computed = 0;
  let alerts = 0;
  for (let round = 0; round < 20; round++) {
    const stale = await db.query<Row>(`select ${COLUMNS} from conversations where sla_computed_for is distinct from updated_at order by id limit ${BATCH}`);
    if (!stale.length) break;
    alerts += await update(db, stale, now, cache);
    computed += stale.length;
    if (stale.length < BATCH) break;
  }
  for (let round = 0; round < 20; round++) {
    const due = await db.query<Row>(`select ${COLUMNS} from conversations where sla_alert_at <= $1 order by sla_alert_at limit ${BATCH}`, [now]);
    if (!due.length) break;
    alerts += await update(db, due, now, cache);
    computed += due.length;
    if (due.length < BATCH) break;
  }
  return { computed, alerts };
}
