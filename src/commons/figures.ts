// The community figures that come straight from SQL: the commons ratio's weekly trend, newcomer
// activation and retention by monthly cohort. Their definitions are the ones the page shows
// (web/src/messages/commons.ts); change both together.
import type { Db } from '../store/db.js';
import { AUTHOR, TEAM, periodParams, type Period } from './interactions.js';

/** Replies member→member and member↔team, per week (Monday, UTC) of the period. */
export interface RatioWeek { week: string; memberToMember: number; withTeam: number; ratio: number | null }

export async function ratioTrend(db: Db, p: Period): Promise<RatioWeek[]> {
  const rows = await db.query<{ week: string; mm: number; mt: number }>(`
    with r as (
      select date_trunc('week', i.created_at at time zone 'UTC') as week, ${AUTHOR('i', 'd')} as a, ${AUTHOR('par', 'pd')} as b
      from items i
      join items par on par.connection_id = i.connection_id and par.platform_id = i.parent_id
      left join identities d on d.id = i.identity_id
      left join identities pd on pd.id = par.identity_id
      where i.workspace_id = $1 and i.created_at >= $2 and i.created_at < $3 and ($4::text[] is null or i.platform = any($4)) and i.parent_id is not null)
    select to_char(week, 'YYYY-MM-DD') as week,
      count(*) filter (where a <> ${TEAM} and b <> ${TEAM})::int as mm,
      count(*) filter (where (a = ${TEAM}) <> (b = ${TEAM}))::int as mt
    from r where a is not null and b is not null and a <> b
    group by week order by week`, periodParams(p));
  return rows.map((r) => ({ week: r.week, memberToMember: r.mm, withTeam: r.mt, ratio: r.mm + r.mt ? r.mm / (r.mm + r.mt) : null }));
}

export interface Newcomers {
  /** Persons whose first item (on the chosen platforms) was written in the period. */
  count: number;
  /** … whose first item got a reply from anyone else within 30 days. */
  answered: number;
  /** … of which from another member (not the team). */
  answeredByMembers: number;
  /** … who wrote again more than a day and at most 30 days after their first item. */
  returned: number;
  answeredShare: number | null;
  returnedShare: number | null;
}

export async function newcomers(db: Db, p: Period): Promise<Newcomers> {
  const [r] = await db.query<{ count: number; answered: number; by_members: number; returned: number }>(`
    with firsts as (
      select distinct on (d.person_id) d.person_id, i.connection_id, i.platform_id, i.created_at
      from items i join identities d on d.id = i.identity_id
      where i.workspace_id = $1 and i.direction = 'inbound' and i.created_at >= $2 and i.created_at < $3 and ($4::text[] is null or i.platform = any($4))
      order by d.person_id, i.created_at, i.id),
    fresh as (
      select f.* from firsts f
      where not exists (
        select 1 from identities d join items j on j.identity_id = d.id
        where d.person_id = f.person_id and j.direction = 'inbound' and j.created_at < $2 and ($4::text[] is null or j.platform = any($4)))),
    judged as (
      select
        (select bool_or(r.direction = 'inbound') from items r left join identities rd on rd.id = r.identity_id
          where r.connection_id = f.connection_id and r.parent_id = f.platform_id
            and r.created_at <= f.created_at + interval '30 days'
            and (r.direction = 'outbound' or rd.person_id is distinct from f.person_id)) as answered_by_member,
        exists (
          select 1 from identities d join items k on k.identity_id = d.id
          where d.person_id = f.person_id and k.direction = 'inbound'
            and k.created_at > f.created_at + interval '1 day' and k.created_at <= f.created_at + interval '30 days'
            and ($4::text[] is null or k.platform = any($4))) as returned
      from fresh f)
    select count(*)::int as count,
      count(*) filter (where answered_by_member is not null)::int as answered,
      count(*) filter (where answered_by_member)::int as by_members,
      count(*) filter (where returned)::int as returned
    from judged`, periodParams(p));
  return {
    count: r.count, answered: r.answered, answeredByMembers: r.by_members, returned: r.returned,
    answeredShare: r.count ? r.answered / r.count : null,
    returnedShare: r.count ? r.returned / r.count : null,
  };
}

/** One monthly cohort: persons whose first item fell in that month, and how many wrote k months later. */
export interface Cohort { month: string; size: number; active: number[] }

/** The cohorts of the twelve months up to the end of the period (UTC months). */
export async function retention(db: Db, p: Period): Promise<Cohort[]> {
  const rows = await db.query<{ cohort: string; k: number; n: number }>(`
    with act as (
      select d.person_id, date_trunc('month', i.created_at at time zone 'UTC') as m
      from items i join identities d on d.id = i.identity_id
      where i.workspace_id = $1 and i.direction = 'inbound' and i.created_at < $2 and ($3::text[] is null or i.platform = any($3))
      group by 1, 2),
    firsts as (select person_id, min(m) as cohort from act group by 1)
    select to_char(f.cohort, 'YYYY-MM') as cohort,
      ((extract(year from a.m) - extract(year from f.cohort)) * 12 + extract(month from a.m) - extract(month from f.cohort))::int as k,
      count(*)::int as n
    from firsts f join act a using (person_id)
    where f.cohort >= date_trunc('month', $2::timestamptz at time zone 'UTC') - interval '11 months'
    group by 1, 2 order by 1, 2`, [p.workspaceId, p.to, p.platforms?.length ? p.platforms : null]);
  const byMonth = new Map<string, Cohort>();
  for (const r of rows) {
    let c = byMonth.get(r.cohort);
    if (!c) byMonth.set(r.cohort, c = { month: r.cohort, size: 0, active: [] });
    if (r.k === 0) c.size = r.n;
    c.active[r.k] = r.n;
  }
  for (const c of byMonth.values()) c.active = Array.from({ length: c.active.length }, (_, k) => c.active[k] ?? 0);
  return [...byMonth.values()];
}
