// Figures per person, computed from items and conversations (nothing stored that could go stale):
// activity, reach, the team's last contact, member level, and what keep-in-touch looks at.
import type { Db } from '../store/db.js';

export const LEVELS = ['observer', 'participant', 'contributor', 'leader'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * The member level, in the spirit of the Orbit model: points = items in the last 90 days
 * + 3 × reach (different members who replied to them in those 90 days). Observer: 0 points
 * (known, quiet lately); participant from 1; contributor from 10; leader from 40 with reach ≥ 5.
 * The UI shows this formula (messages: levelFormula).
 */
export function levelOf(items90: number, reach90: number): Level {
  const points = items90 + 3 * reach90;
  if (points >= 40 && reach90 >= 5) return 'leader';
  if (points >= 10) return 'contributor';
  if (points >= 1) return 'participant';
  return 'observer';
}

export interface PersonStats {
  person_id: number;
  items_total: number;
  items_90: number;
  items_30: number;
  /** Items in the 90 days before the last 30 (for "activity dropped"). */
  items_prev_90: number;
  reach_90: number;
  first_item_at: string | null;
  last_item_at: string | null;
  /** The latest answer of the team in a conversation the person wrote in. */
  last_team_at: string | null;
  /** Whether the team answered in the conversation of the person's first item, after it. */
  first_answered: boolean;
  first_conversation_id: number | null;
  last_conversation_id: number | null;
  level: Level;
  /** The first moment after `now` at which a 30/90/120-day count or the reach would change by time alone. */
  next_change_at: string | null;
}

/** Stats of the given persons (null: every live person of the workspace) at `now`. */
export async function personStats(db: Db, workspaceId: string, now: Date, personIds: number[] | null): Promise<PersonStats[]> {
  const rows = await db.query<Omit<PersonStats, 'level'>>(
    `with mine as (
       select d.person_id, i.id, i.created_at, i.conversation_id, i.connection_id, i.platform_id
       from items i join identities d on d.id = i.identity_id join persons p on p.id = d.person_id
       where i.workspace_id = $1 and i.direction = 'inbound' and p.merged_into is null
         and ($3::bigint[] is null or d.person_id = any($3::bigint[]))
     ), act as (
       select person_id, count(*)::int as items_total,
         count(*) filter (where created_at > $2::timestamptz - interval '90 days')::int as items_90,
         count(*) filter (where created_at > $2::timestamptz - interval '30 days')::int as items_30,
         count(*) filter (where created_at <= $2::timestamptz - interval '30 days' and created_at > $2::timestamptz - interval '120 days')::int as items_prev_90,
         min(created_at) as first_item_at, max(created_at) as last_item_at,
         (array_agg(conversation_id order by created_at, id))[1] as first_conversation_id,
         (array_agg(conversation_id order by created_at desc, id desc))[1] as last_conversation_id,
         least(min(created_at + interval '30 days') filter (where created_at + interval '30 days' > $2::timestamptz),
               min(created_at + interval '90 days') filter (where created_at + interval '90 days' > $2::timestamptz),
               min(created_at + interval '120 days') filter (where created_at + interval '120 days' > $2::timestamptz)) as next_change_at
       from mine group by person_id
     ), reach as (
       select m.person_id, count(distinct rd.person_id)::int as reach_90, min(c.created_at) + interval '90 days' as reach_change_at
       from mine m join items c on c.connection_id = m.connection_id and c.parent_id = m.platform_id
       join identities rd on rd.id = c.identity_id
       where c.created_at > $2::timestamptz - interval '90 days' and c.direction = 'inbound' and rd.person_id <> m.person_id
       group by m.person_id
     ), team as (
       select x.person_id, max(c.last_outbound_at) as last_team_at
       from (select distinct person_id, conversation_id from mine) x join conversations c on c.id = x.conversation_id
       group by x.person_id
     )
     select a.person_id, a.items_total, a.items_90, a.items_30, a.items_prev_90, coalesce(r.reach_90, 0) as reach_90,
       a.first_item_at, a.last_item_at, t.last_team_at, a.first_conversation_id, a.last_conversation_id,
       coalesce(fc.last_outbound_at >= a.first_item_at, false) as first_answered,
       least(a.next_change_at, r.reach_change_at) as next_change_at
     from act a left join reach r on r.person_id = a.person_id left join team t on t.person_id = a.person_id
     left join conversations fc on fc.id = a.first_conversation_id`,
    [workspaceId, now.toISOString(), personIds]);
  // Both drivers give Date objects; the figures are ISO strings from here on.
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return rows.map((r) => ({ ...r, first_item_at: iso(r.first_item_at), last_item_at: iso(r.last_item_at), last_team_at: iso(r.last_team_at),
    next_change_at: iso(r.next_change_at), level: levelOf(r.items_90, r.reach_90) }));
}
