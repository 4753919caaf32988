// SLA policies per workspace: response and resolution targets, on business hours or the wall
// clock, chosen per conversation by platform, label and priority — the first match wins.
import { z } from 'zod';
import type { Db } from '../store/db.js';
import { PLATFORMS } from '../core/platforms.js';
import { calendarInput, DEFAULT_CALENDAR, type BusinessCalendar } from './calendar.js';

const minutes = z.number().int().min(1).max(525_600).nullable().default(null);

export const policyInput = z.object({
  name: z.string().trim().min(1).max(100),
  platforms: z.array(z.enum(PLATFORMS)).max(50).default([]),
  labels: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  priorities: z.array(z.number().int().min(0).max(3)).max(4).default([]),
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
  businessHours: z.boolean().default(true),
}).refine((p) => p.firstResponseMinutes || p.nextResponseMinutes || p.resolutionMinutes, { message: 'set at least one target (firstResponseMinutes, nextResponseMinutes or resolutionMinutes)', path: ['firstResponseMinutes'] });
export type PolicyInput = z.infer<typeof policyInput>;
export type Policy = PolicyInput & { id: string; position: number };

/** What a policy's conditions look at. */
export interface ConversationFacts { platform: string; labels: string[]; priority: number }

export function matchPolicy(policies: readonly Policy[], c: ConversationFacts): Policy | null {
  return policies.find((p) =>
    (!p.platforms.length || p.platforms.includes(c.platform as any)) &&
    (!p.labels.length || p.labels.some((l) => c.labels.includes(l))) &&
    (!p.priorities.length || p.priorities.includes(c.priority))) ?? null;
}

export async function listPolicies(db: Db, workspaceId: string): Promise<Policy[]> {
  const rows = await db.query<any>(`select * from sla_policies where workspace_id = $1 order by position, name`, [workspaceId]);
  return rows.map((r) => ({
    id: r.id, position: r.position, name: r.name, platforms: r.platforms, labels: r.labels, priorities: r.priorities.map(Number),
    firstResponseMinutes: r.first_response_minutes, nextResponseMinutes: r.next_response_minutes, resolutionMinutes: r.resolution_minutes,
    businessHours: r.business_hours,
  }));
}

/** Replaces the policy list in the order given (the order is the matching order). */
export async function savePolicies(db: Db, workspaceId: string, policies: PolicyInput[]): Promise<Policy[]> {
  await db.transaction(async (tx) => {
    const keep = await tx.query<{ id: string; name: string }>(`select id, name from sla_policies where workspace_id = $1`, [workspaceId]);
    const byName = new Map(keep.map((k) => [k.name, k.id]));
    // Policies keep their id when their name stays, so alerts still point at them.
    await tx.query(`delete from sla_policies where workspace_id = $1 and not (name = any($2::text[]))`, [workspaceId, policies.map((p) => p.name)]);
    for (const [position, p] of policies.entries()) {
      const values = [workspaceId, p.name, position, p.platforms, p.labels, p.priorities, p.firstResponseMinutes, p.nextResponseMinutes, p.resolutionMinutes, p.businessHours];
      if (byName.has(p.name)) {
        await tx.query(`update sla_policies set position = $3, platforms = $4, labels = $5, priorities = $6, first_response_minutes = $7,
          next_response_minutes = $8, resolution_minutes = $9, business_hours = $10, updated_at = now() where workspace_id = $1 and name = $2`, values);
      } else {
        await tx.query(`insert into sla_policies (workspace_id, name, position, platforms, labels, priorities, first_response_minutes, next_response_minutes, resolution_minutes, business_hours)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, values);
      }
    }
    await tx.query(`insert into events (workspace_id, actor, type, data) values ($1, 'person', 'sla.policies_changed', $2)`, [workspaceId, JSON.stringify({ policies: policies.map((p) => p.name) })]);
    await invalidateDueTimes(tx, workspaceId);
  });
  return listPolicies(db, workspaceId);
}

export async function getCalendar(db: Db, workspaceId: string): Promise<BusinessCalendar> {
  const [row] = await db.query<{ calendar: unknown }>(`select calendar from sla_calendars where workspace_id = $1`, [workspaceId]);
  return row ? calendarInput.parse(row.calendar) : DEFAULT_CALENDAR;
}

export async function saveCalendar(db: Db, workspaceId: string, calendar: BusinessCalendar, userId: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`insert into sla_calendars (workspace_id, calendar, updated_by) values ($1, $2, $3)
      on conflict (workspace_id) do update set calendar = excluded.calendar, updated_by = excluded.updated_by, updated_at = now()`, [workspaceId, JSON.stringify(calendar), userId]);
    await invalidateDueTimes(tx, workspaceId);
  });
}

/** Every open conversation's due times are computed again by the next sweep. */
async function invalidateDueTimes(tx: Db, workspaceId: string): Promise<void> {
  // Locked in id order, as ingest locks them, so the two never deadlock.
  await tx.query(`update conversations set sla_computed_for = null where id in (
    select id from conversations where workspace_id = $1 and (status <> 'done' or sla_due_at is not null) order by id for update)`, [workspaceId]);
}
