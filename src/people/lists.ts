// The people lists: everyone (filters, segments, sorting, pages, CSV) and keep in touch. Both read
// the kept per-person figures (person_stats), brought up to date first, so a page costs an index
// scan instead of recounting every item of the workspace.
import type { Db } from '../store/db.js';
import type { Level, PersonStats } from './stats.js';
import { freshStats } from './stored-stats.js';

/** Segment filters: tags (all of them), platform, level, a name/handle search. */
export interface PeopleFilter { tags?: string[]; platform?: string; level?: Level; q?: string }

export interface PersonRow extends Omit<PersonStats, 'next_change_at'> {
  displayName: string | null; tags: string[]; platforms: string[]; handles: string[];
}

/** Orders of the list; each ends on the person id, so pages do not overlap. */
export const SORTS = {
  last: 's.last_item_at desc nulls last, s.person_id desc',
  name: 'lower(p.display_name) asc nulls last, s.person_id desc',
  items: 's.items_90 desc, s.last_item_at desc nulls last, s.person_id desc',
  reach: 's.reach_90 desc, s.last_item_at desc nulls last, s.person_id desc',
  team: 's.last_team_at asc nulls first, s.last_item_at desc nulls last, s.person_id desc',
} as const;
export type PeopleSort = keyof typeof SORTS;

export interface Page { limit?: number; offset?: number; sort?: PeopleSort }

/**
 * The filter as SQL on persons p and person_stats s; values go to `params`. The search is a plain
 * substring of the name or of a handle (ILIKE, as the list always did).
 */
function filterSql(f: PeopleFilter, params: unknown[]): string {
  const add = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const parts: string[] = [];
  if (f.tags?.length) parts.push(`p.tags @> ${add(f.tags)}::text[]`);
  if (f.platform) parts.push(`exists (select 1 from identities d where d.person_id = p.id and d.platform = ${add(f.platform)})`);
  if (f.level) parts.push(`s.level = ${add(f.level)}`);
  if (f.q) {
    const q = add(f.q);
    parts.push(`(p.display_name ilike '%' || ${q} || '%' or exists (select 1 from identities d where d.person_id = p.id and d.handle ilike '%' || ${q} || '%'))`);
  }
  return parts.length ? parts.join(' and ') : 'true';
}

const LIVE = `from person_stats s join persons p on p.id = s.person_id
  where s.workspace_id = $1 and p.merged_into is null and p.erased_at is null`;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export async function listPeople(db: Db, workspaceId: string, now: Date, filter: PeopleFilter, page: Page = {}): Promise<PersonRow[]> {
  await freshStats(db, workspaceId, now);
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  params.push(page.limit ?? 500, page.offset ?? 0);
  const rows = await db.query<any>(
    `select s.person_id, s.items_total, s.items_90, s.items_30, s.items_prev_90, s.reach_90, s.first_item_at, s.last_item_at, s.last_team_at,
       s.first_answered, s.first_conversation_id, s.last_conversation_id, s.level, p.display_name, p.tags,
       array(select distinct d.platform from identities d where d.person_id = p.id order by 1) as platforms,
       array(select distinct coalesce(d.handle, d.platform_user_id) from identities d where d.person_id = p.id order by 1) as handles
     ${LIVE} and ${where}
     order by ${SORTS[page.sort ?? 'last']} limit $${params.length - 1} offset $${params.length}`, params);
  return rows.map(({ display_name, ...r }) => ({
    ...r, displayName: display_name, first_item_at: iso(r.first_item_at), last_item_at: iso(r.last_item_at), last_team_at: iso(r.last_team_at),
  }));
}

/** How many people the filter matches (for paging). */
export async function countPeople(db: Db, workspaceId: string, now: Date, filter: PeopleFilter): Promise<number> {
  await freshStats(db, workspaceId, now);
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n ${LIVE} and ${where}`, params);
  return n;
}

export type KeepInTouchReason = 'quiet' | 'dropped' | 'newcomer';
export interface KeepInTouchRow { reason: KeepInTouchReason; personId: number; displayName: string | null; level: Level; segment: string | null;
  lastItemAt: string | null; lastTeamAt: string | null; conversationId: number | null; detail: Record<string, unknown> }

/** Without a segment, contributors and leaders "matter", with this many quiet days. */
export const DEFAULT_QUIET_DAYS = 30;

/**
 * Keep in touch: people who matter and have not heard from the team for longer than their
 * segment allows (contributors and leaders: 30 days unless a segment says otherwise; the
 * shortest limit of their segments wins); people who wrote less than half as much in the last 30
 * days as per 30 days in the 90 before (at least 6 items then); newcomers (first item in the last
 * 30 days) whose first item the team did not answer. Ordered like the list (latest item first),
 * a person's reasons in this order; `reason` picks one list, limit/offset a page of it.
 */
export async function keepInTouch(db: Db, workspaceId: string, now: Date, segments: { name: string; filters: PeopleFilter; quiet_days: number }[],
  page: { reason?: KeepInTouchReason; limit?: number; offset?: number } = {}): Promise<KeepInTouchRow[]> {
  await freshStats(db, workspaceId, now);
  const params: unknown[] = [workspaceId, now.toISOString(), DEFAULT_QUIET_DAYS];
  // Every limit that applies to a person: the default for contributors and leaders, then each segment's.
  const limits = [`select s.person_id, $3::int as days, null::text as segment, 0 as ord ${LIVE} and s.level in ('contributor', 'leader')`];
  segments.forEach((seg, i) => {
    const where = filterSql(seg.filters, params);
    params.push(seg.quiet_days, seg.name);
    limits.push(`select s.person_id, $${params.length - 1}::int, $${params.length}::text, ${i + 1} ${LIVE} and ${where}`);
  });
  params.push(page.reason ?? null, page.limit ?? 1_000_000, page.offset ?? 0);
  const [reason, limit, offset] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
  const rows = await db.query<any>(
    `with limits as (
       select distinct on (person_id) person_id, days, segment from (${limits.join(' union all ')}) x order by person_id, days, ord
     ), live as (
       select s.*, p.display_name, extract(epoch from $2::timestamptz - coalesce(s.last_team_at, s.first_item_at)) / 86400 as quiet_for
       ${LIVE}
     ), due as (
       select 'quiet' as reason, 1 as k, l.*, q.days, q.segment from live l join limits q on q.person_id = l.person_id
       where l.items_total > 0 and (l.quiet_for is null or l.quiet_for > q.days)
       union all
       select 'dropped', 2, l.*, null, null from live l where l.items_prev_90 >= 6 and l.items_30 < l.items_prev_90 / 3.0 / 2
       union all
       select 'newcomer', 3, l.*, null, null from live l
       where l.first_item_at is not null and l.first_item_at >= $2::timestamptz - interval '30 days' and not l.first_answered
     )
     select * from due where ${reason}::text is null or reason = ${reason}
     order by last_item_at desc nulls last, person_id desc, k limit ${limit} offset ${offset}`, params);
  return rows.map((r) => {
    const base = { personId: r.person_id, displayName: r.display_name, level: r.level, lastItemAt: iso(r.last_item_at), lastTeamAt: iso(r.last_team_at) };
    if (r.reason === 'quiet') {
      const since = r.last_team_at ?? r.first_item_at;
      const days = Math.floor((now.getTime() - (since ? new Date(since).getTime() : 0)) / 86_400_000);
      return { reason: 'quiet', ...base, conversationId: r.last_conversation_id, segment: r.segment, detail: { quietDays: r.days, daysWithoutContact: days } };
    }
    if (r.reason === 'dropped') {
      return { reason: 'dropped', ...base, conversationId: r.last_conversation_id, segment: null,
        detail: { last30: r.items_30, per30Before: Math.round((r.items_prev_90 / 3) * 10) / 10 } };
    }
    return { reason: 'newcomer', ...base, conversationId: r.first_conversation_id, segment: null, detail: { firstItemAt: iso(r.first_item_at) } };
  });
}
