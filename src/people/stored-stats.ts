// The kept per-person figures (table person_stats, migration 015) brought up to date before a
// people list is read. A row is what personStats() computes; it is recomputed when the triggers
// noted its person as changed or when one of its time windows moves (next_change_at has come).
// The first read of a workspace (or a clock set back before the last read) computes every row.
// Rows exist only for the persons the lists show: live (not merged, not erased) with an identity.
import type { Db } from '../store/db.js';
import { personStats, type PersonStats } from './stats.js';

const CHUNK = 5000;

/** Makes person_stats right for `now`; returns how many persons were recomputed. */
export async function freshStats(db: Db, workspaceId: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    // One refresher per workspace at a time: a second waits and then finds little left to do.
    await tx.query(`select pg_advisory_xact_lock(7431015, hashtext($1::text))`, [workspaceId]);
    const [state] = await tx.query<{ computed_at: Date }>(`select computed_at from person_stats_state where workspace_id = $1`, [workspaceId]);
    let ids: number[] | null;
    if (!state || now.getTime() < new Date(state.computed_at).getTime()) {
      await tx.query(`delete from person_stats where workspace_id = $1`, [workspaceId]);
      await tx.query(`delete from person_stats_dirty where workspace_id = $1`, [workspaceId]);
      ids = null;
    } else {
      const due = await tx.query<{ person_id: number }>(
        `with popped as (delete from person_stats_dirty where workspace_id = $1 returning person_id)
         select person_id from popped
         union select person_id from person_stats where workspace_id = $1 and next_change_at <= $2`, [workspaceId, now.toISOString()]);
      ids = due.map((d) => d.person_id);
    }
    const n = ids === null ? await computeAll(tx, workspaceId, now) : await recompute(tx, workspaceId, now, ids);
    // Nothing recomputed: nothing to write (a list request stays a read).
    if (ids !== null && !n) return 0;
    await tx.query(
      `insert into person_stats_state (workspace_id, computed_at) values ($1, $2)
       on conflict (workspace_id) do update set computed_at = greatest(person_stats_state.computed_at, excluded.computed_at)`, [workspaceId, now.toISOString()]);
    return n;
  });
}

async function computeAll(tx: Db, workspaceId: string, now: Date): Promise<number> {
  const stats = await personStats(tx, workspaceId, now, null);
  await store(tx, workspaceId, now, stats);
  // Persons with identities but no item of their own (yet) are in the lists too, with zeros.
  await tx.query(
    `insert into person_stats (person_id, workspace_id, items_total, items_90, items_30, items_prev_90, reach_90, first_answered, level, computed_at)
     select p.id, p.workspace_id, 0, 0, 0, 0, 0, false, 'observer', $2 from persons p
     where p.workspace_id = $1 and p.merged_into is null and p.erased_at is null and exists (select 1 from identities d where d.person_id = p.id)
     on conflict (person_id) do nothing`, [workspaceId, now.toISOString()]);
  // The planner must know the table is full now, or it counts a page's total by 100,000 lookups.
  await tx.query('analyze person_stats');
  return stats.length;
}

async function recompute(tx: Db, workspaceId: string, now: Date, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await tx.query(`delete from person_stats where person_id = any($1::bigint[])`, [part]);
    await store(tx, workspaceId, now, await personStats(tx, workspaceId, now, part));
    await tx.query(
      `insert into person_stats (person_id, workspace_id, items_total, items_90, items_30, items_prev_90, reach_90, first_answered, level, computed_at)
       select p.id, p.workspace_id, 0, 0, 0, 0, 0, false, 'observer', $3 from persons p
       where p.id = any($2::bigint[]) and p.workspace_id = $1 and p.merged_into is null and p.erased_at is null and exists (select 1 from identities d where d.person_id = p.id)
       on conflict (person_id) do nothing`, [workspaceId, part, now.toISOString()]);
  }
  return ids.length;
}

async function store(tx: Db, workspaceId: string, now: Date, stats: PersonStats[]): Promise<void> {
  for (let i = 0; i < stats.length; i += CHUNK) {
    await tx.query(
      `insert into person_stats (person_id, workspace_id, items_total, items_90, items_30, items_prev_90, reach_90, first_item_at, last_item_at,
         last_team_at, first_answered, first_conversation_id, last_conversation_id, level, computed_at, next_change_at)
       select x.person_id, $1, x.items_total, x.items_90, x.items_30, x.items_prev_90, x.reach_90, x.first_item_at, x.last_item_at,
         x.last_team_at, x.first_answered, x.first_conversation_id, x.last_conversation_id, x.level, $2, x.next_change_at
       from jsonb_to_recordset($3::jsonb) as x(person_id bigint, items_total int, items_90 int, items_30 int, items_prev_90 int, reach_90 int,
         first_item_at timestamptz, last_item_at timestamptz, last_team_at timestamptz, first_answered boolean, first_conversation_id bigint,
         last_conversation_id bigint, level text, next_change_at timestamptz)
       -- Erased persons stay out of the lists (their counts stay in the items).
       join persons p on p.id = x.person_id and p.erased_at is null`,
      [workspaceId, now.toISOString(), JSON.stringify(stats.slice(i, i + CHUNK))]);
  }
}
