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
 * The filter as SQL on person_stats s alone (every condition on the person id or on s), values go
 * to `params`; so the same text serves the page (joined with persons), the total (person_stats
 * alone: it holds exactly the live persons once freshStats ran) and keep in touch. The search is a
 * plain substring of the name or of a handle (ILIKE, as the list always did), asked as one set of
 * ids so each half can use its trigram index (migration 016; without pg_trgm it is a scan).
 */
function filterSql(f: PeopleFilter, params: unknown[]): string {
  const add = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const parts: string[] = [];
  if (f.tags?.length) parts.push(`s.person_id in (select x.id from persons x where x.workspace_id = $1 and x.tags @> ${add(f.tags)}::text[])`);
  // Identities are matched in one pass (a hashed set), not probed once per person.
  if (f.platform) parts.push(`s.person_id in (select d.person_id from identities d where d.workspace_id = $1 and d.platform = ${add(f.platform)})`);
  if (f.level) parts.push(`s.level = ${add(f.level)}`);
  if (f.q) {
    const q = add(f.q);
    parts.push(`s.person_id in (select x.id from persons x where x.workspace_id = $1 and x.display_name ilike '%' || ${q} || '%'
      union all select d.person_id from identities d where d.workspace_id = $1 and d.handle ilike '%' || ${q} || '%')`);
  }
  return parts.length ? parts.join(' and ') : 'true';
}

/**
 * The persons in the lists: person_stats has a row for each live one (not merged, not erased);
 * the conditions on persons are repeated so its partial indexes (name order) apply.
 */
const LIVE = `from person_stats s join persons p on p.id = s.person_id
  where s.workspace_id = $1 and p.workspace_id = $1 and p.merged_into is null and p.erased_at is null`;

/** A row of the list: the kept figures, the person's name and tags, platforms and handles. */
const SELECT = `select s.person_id, s.items_total, s.items_90, s.items_30, s.items_prev_90, s.reach_90, s.first_item_at, s.last_item_at, s.last_team_at,
       s.first_answered, s.first_conversation_id, s.last_conversation_id, s.level, p.display_name, p.tags,
       array(select distinct d.platform from identities d where d.person_id = p.id order by 1) as platforms,
       array(select distinct coalesce(d.handle, d.platform_user_id) from identities d where d.person_id = p.id order by 1) as handles`;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export async function listPeople(db: Db, workspaceId: string, now: Date, filter: PeopleFilter, page: Page = {}): Promise<PersonRow[]> {
  await freshStats(db, workspaceId, now);
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  params.push(page.limit ?? 500, page.offset ?? 0);
  const rows = await db.query<any>(
    `${SELECT} ${LIVE} and ${where}
     order by ${SORTS[page.sort ?? 'last']} limit $${params.length - 1} offset $${params.length}`, params);
  return rows.map(toRow);
}

const toRow = ({ display_name, ...r }: any): PersonRow => ({
  ...r, displayName: display_name, first_item_at: iso(r.first_item_at), last_item_at: iso(r.last_item_at), last_team_at: iso(r.last_team_at),
});

/**
 * Everyone the filter matches, in the list's order, for the CSV export, handed to `write` a chunk
 * at a time through a cursor, so neither every row nor the whole file is ever held at once. The
 * figures are brought up to date first (the returned function runs the export, so a failure there
 * is still a plain error answer). The cursor lives in one transaction: a snapshot, however long the
 * reader takes. JIT is off for it: the planner's estimate for 100,000 rows with their identities
 * looks big enough to compile, and compiling cost more than the whole read (1.2 s of 2.7 s, at
 * 100,000 persons on PostgreSQL 15).
 */
export async function exportPeople(db: Db, workspaceId: string, now: Date, filter: PeopleFilter, sort: PeopleSort = 'last', chunk = 2000):
  Promise<(write: (rows: PersonRow[]) => Promise<void> | void) => Promise<number>> {
  await freshStats(db, workspaceId, now);
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  return (write) => db.transaction(async (tx) => {
    // Every row will be read: plan for all of them (one sort), not for the first few (an index walk).
    await tx.query('set local cursor_tuple_fraction = 1');
    if (tx.kind === 'postgres') await tx.query('set local jit = off');
    await tx.query(`declare people_export no scroll cursor for ${SELECT} ${LIVE} and ${where} order by ${SORTS[sort]}`, params);
    let n = 0;
    for (;;) {
      const rows = await tx.query<any>(`fetch forward ${chunk} from people_export`);
      if (rows.length) await write(rows.map(toRow));
      n += rows.length;
      if (rows.length < chunk) break;
    }
    await tx.query('close people_export');
    return n;
  });
}

/** How many people the filter matches (for paging); reads the figures listPeople just brought up to date. */
export async function countPeople(db: Db, workspaceId: string, filter: PeopleFilter): Promise<number> {
  const params: unknown[] = [workspaceId];
  const where = filterSql(filter, params);
  // person_stats has a row for each live person after freshStats, so the persons join is not needed here.
  const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from person_stats s where s.workspace_id = $1 and ${where}`, params);
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
  const shortest = Math.min(DEFAULT_QUIET_DAYS, ...segments.map((seg) => seg.quiet_days));
  const params: unknown[] = [workspaceId, now.toISOString(), DEFAULT_QUIET_DAYS, page.reason ?? null, offset + limit, shortest];
  // The limits that apply to a person: the default for contributors and leaders, then each
  // segment's. Of those that are passed, the shortest wins (the earlier on a tie); the shortest
  // that applies is passed whenever any is, so this is "the shortest limit wins".
  const passed = (days: string) => `coalesce(s.last_team_at, s.first_item_at) < $2::timestamptz - make_interval(secs => ${days} * 86400.0)`;
  const limits = [`($3::int, null::text, 0, s.level in ('contributor', 'leader'))`];
  segments.forEach((seg, i) => {
    const where = filterSql(seg.filters, params);
    params.push(seg.quiet_days, seg.name);
    limits.push(`($${params.length - 1}::int, $${params.length}::text, ${i + 1}, ${where})`);
  });
  params.push(limit, offset);
  // Each reason's list is read in the list's order through an index (person_stats_last and the
  // partial indexes of 015) and stops at the page's end before they are merged, so a page reads
  // about offset + limit people per reason. "Quiet" first drops, on the person_stats row alone,
  // everyone who is not past the shortest limit of all, then asks which limit applies.
  const ORDER = 'order by s.last_item_at desc nulls last, s.person_id desc';
  const rows = await db.query<any>(
    `with quiet as (
       select 'quiet' as reason, 1 as k, s.*, p.display_name, q.days, q.segment
       from person_stats s join persons p on p.id = s.person_id
       cross join lateral (select x.days, x.segment from (values ${limits.join(', ')}) x(days, segment, ord, applies)
         where x.applies and ${passed('x.days')} order by x.days, x.ord limit 1) q
       where s.workspace_id = $1 and p.workspace_id = $1 and p.merged_into is null and p.erased_at is null
         and ($4::text is null or $4 = 'quiet') and s.items_total > 0 and ${passed('$6::int')}
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
