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
  name: 'lower(p.display_name) asc nulls last, p.id desc',
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
  // Identities are matched in one pass (a hashed set), not probed once per person.
  if (f.platform) parts.push(`p.id in (select d.person_id from identities d where d.workspace_id = $1 and d.platform = ${add(f.platform)})`);
  if (f.level) parts.push(`s.level = ${add(f.level)}`);
  if (f.q) {
    const q = add(f.q);
    parts.push(`(p.display_name ilike '%' || ${q} || '%' or p.id in (select d.person_id from identities d where d.workspace_id = $1 and d.handle ilike '%' || ${q} || '%'))`);
  }
  return parts.length ? parts.join(' and ') : 'true';
}

/**
 * The persons in the lists: person_stats has a row for each live one (not merged, not erased);
 * the conditions on persons are repeated so its partial indexes (name order) apply.
 */
const LIVE = `from person_stats s join persons p on p.id = s.person_id
  where s.workspace_id = $1 and p.workspace_id = $1 and p.merged_into is null and p.erased_at is null`;

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

/** How many people the filter matches (for paging); reads the figures listPeople just brought up to date. */
export async function countPeople(db: Db, workspaceId: string, filter: PeopleFilter): Promise<number> {
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  const sql = where === 'true' ? 'select count(*)::int as n from person_stats where workspace_id = $1' : `select count(*)::int as n ${LIVE} and ${where}`;
  const [{ n }] = await db.query<{ n: number }>(sql, params);
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
  const limit = page.limit ?? 1_000_000, offset = page.offset ?? 0;
  const params: unknown[] = [workspaceId, now.toISOString(), DEFAULT_QUIET_DAYS, page.reason ?? null, offset + limit];
  // Every limit that applies to a person and is passed: the default for contributors and leaders,
  // then each segment's. The shortest limit is passed whenever any is, so filtering first and
  // taking the shortest (the earlier on a tie) is what "the shortest limit wins" means.
  const passed = (days: string) => `s.items_total > 0 and coalesce(s.last_team_at, s.first_item_at) < $2::timestamptz - make_interval(secs => ${days} * 86400.0)`;
  const limits = [`select s.person_id, $3::int as days, null::text as segment, 0 as ord ${LIVE} and s.level in ('contributor', 'leader') and ${passed('$3')}`];
  segments.forEach((seg, i) => {
    const where = filterSql(seg.filters, params);
    params.push(seg.quiet_days, seg.name);
    limits.push(`select s.person_id, $${params.length - 1}::int, $${params.length}::text, ${i + 1} ${LIVE} and ${where} and ${passed(`$${params.length - 1}`)}`);
  });
  params.push(limit, offset);
  // Each reason's list is read in the list's order and cut at the page's end before they are
  // merged, so a page reads at most offset + limit people per reason (partial indexes, 015).
  const ORDER = 'order by s.last_item_at desc nulls last, s.person_id desc';
  const rows = await db.query<any>(
    `with limits as (
       select distinct on (person_id) person_id, days, segment from (${limits.join(' union all ')}) x order by person_id, days, ord
     ), quiet as (
       select 'quiet' as reason, 1 as k, s.*, p.display_name, q.days, q.segment
       from limits q join person_stats s on s.person_id = q.person_id join persons p on p.id = s.person_id
       where $4::text is null or $4 = 'quiet'
       ${ORDER} limit $5
     ), dropped as (
       select 'dropped' as reason, 2 as k, s.*, p.display_name, null::int as days, null::text as segment ${LIVE}
         and ($4::text is null or $4 = 'dropped') and s.items_prev_90 >= 6 and s.items_30 < s.items_prev_90 / 6.0
       ${ORDER} limit $5
     ), newcomer as (
       select 'newcomer' as reason, 3 as k, s.*, p.display_name, null::int as days, null::text as segment ${LIVE}
         and ($4::text is null or $4 = 'newcomer') and not s.first_answered and s.first_item_at >= $2::timestamptz - make_interval(secs => 30 * 86400.0)
       ${ORDER} limit $5
     )
     select * from (select * from quiet union all select * from dropped union all select * from newcomer) s
     order by s.last_item_at desc nulls last, s.person_id desc, s.k limit $${params.length - 1} offset $${params.length}`, params);
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
