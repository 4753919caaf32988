// Reading people: the person page (identities, timeline across platforms, notes, relationship
// summary), the list with filters (segments), and keep in touch.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { personStats, type PersonStats, type Level } from './stats.js';

/** A merged person's id leads to the person it was merged into. */
export async function livePersonId(db: Db, workspaceId: string, id: number): Promise<number> {
  for (let i = 0, at = id; i < 50; i++) {
    const [p] = await db.query<{ merged_into: number | null }>(`select merged_into from persons where id = $1 and workspace_id = $2`, [at, workspaceId]);
    if (!p) throw new HttpError(404, 'not_found', `no person ${id} in this workspace`);
    if (p.merged_into === null) return at;
    at = p.merged_into;
  }
  throw new HttpError(500, 'merge_cycle', `person ${id} is merged in a cycle`);
}

export async function personPage(db: Db, workspaceId: string, id: number, now: Date) {
  const [person] = await db.query<any>(
    `select id, display_name as "displayName", first_seen_at as "firstSeenAt", tags, fields, erased_at as "erasedAt" from persons where id = $1 and workspace_id = $2`, [id, workspaceId]);
  if (!person) throw new HttpError(404, 'not_found', `no person ${id} in this workspace`);
  const identities = await db.query<any>(
    `select id, platform, platform_user_id as "platformUserId", handle, display_name as "displayName", profile_url as "profileUrl",
       email, email_verified as "emailVerified", profile_links as "profileLinks", first_seen_at as "firstSeenAt"
     from identities where person_id = $1 order by first_seen_at, id`, [id]);
  // Items they wrote, the team's replies in those conversations, moderation of their items, notes.
  const timeline = await db.query<any>(
    `with theirs as (select i.id, i.conversation_id from items i join identities d on d.id = i.identity_id where d.person_id = $1)
     select * from (
       select 'item' as kind, i.id, i.created_at as at, i.platform, i.text, i.permalink, i.conversation_id as "conversationId", i.moderation, null::text as actor
       from items i join theirs t on t.id = i.id
       union all
       select 'reply', o.id, o.created_at, o.platform, o.text, o.permalink, o.conversation_id, null, coalesce(u.name, o.author_name)
       from items o left join users u on u.id = o.sent_by
       where o.direction = 'outbound' and o.conversation_id in (select conversation_id from theirs where conversation_id is not null)
       union all
       select 'moderation', e.item_id, e.created_at, null, coalesce(e.data->>'reason', e.type), null, null, e.data->>'after', e.actor
       from events e join theirs t on t.id = e.item_id where e.type like 'moderation%'
       union all
       select 'note', n.id, n.created_at, null, n.text, null, null, null, u.name
       from person_notes n left join users u on u.id = n.author_user_id where n.person_id = $1
     ) x order by at desc, id desc limit 500`, [id]);
  const merges = await db.query<any>(
    `select e.id, e.created_at as at, e.actor, e.data->'from' as "fromPerson", e.data->'evidence' as evidence,
       jsonb_array_length(e.data->'identities') as identities,
       exists (select 1 from events s where s.workspace_id = e.workspace_id and s.type = 'person.split' and (s.data->>'mergeEvent')::bigint = e.id) as split
     from events e where e.workspace_id = $2 and e.type = 'person.merged' and (e.data->>'into')::bigint = $1 order by e.id desc`, [id, workspaceId]);
  const [stats] = await personStats(db, workspaceId, now, [id]);
  return { person, identities, timeline, merges, summary: await summary(db, id, stats ?? null) };
}

/**
 * The relationship in figures. Answered: their items after which the team wrote in the same
 * conversation; how fast: the median time to that answer. Reciprocity: the share of their items
 * that reply to another member. Tone: per month, the mean of the moderation classifier's highest
 * score on their items (0 calm … 1 hostile) — the only text signal available here, not a full
 * sentiment analysis.
 */
async function summary(db: Db, personId: number, stats: PersonStats | null) {
  const [r] = await db.query<any>(
    `with theirs as (select i.* from items i join identities d on d.id = i.identity_id where d.person_id = $1 and i.direction = 'inbound'),
     answered as (
       select t.id, (select min(o.created_at) from items o where o.conversation_id = t.conversation_id and o.direction = 'outbound'
                     and o.created_at > t.created_at and o.send_state is distinct from 'failed') - t.created_at as wait
       from theirs t where t.conversation_id is not null)
     select (select count(*)::int from theirs) as items,
       (select count(*)::int from answered where wait is not null) as answered,
       (select extract(epoch from percentile_cont(0.5) within group (order by wait))::float from answered where wait is not null) as "medianAnswerSeconds",
       (select count(*)::int from theirs t join items p on p.connection_id = t.connection_id and p.platform_id = t.parent_id
          join identities pd on pd.id = p.identity_id where p.direction = 'inbound' and pd.person_id <> $1) as "repliesToMembers",
       (select count(*)::int from theirs where parent_id is not null) as replies`, [personId]);
  // Per month: hostility (the moderation classifier's highest score, where it ran) and sentiment
  // (src/people/sentiment.ts; a post without opinion words has no signal and counts as 0).
  const tone = await db.query<any>(
    `select to_char(date_trunc('month', i.created_at), 'YYYY-MM') as month, avg(h.score)::float as hostility,
       avg(coalesce(se.score, 0))::float as sentiment, count(*) filter (where se.score > 0)::int as positive,
       count(*) filter (where se.score < 0)::int as negative, count(*)::int as items
     from items i join identities d on d.id = i.identity_id
     left join lateral (select max(score) as score from signals s where s.item_id = i.id and s.kind = 'classifier') h on true
     left join lateral (select score from signals s where s.item_id = i.id and s.kind = 'sentiment' order by s.id desc limit 1) se on true
     where d.person_id = $1 and i.direction = 'inbound' group by 1 order by 1`, [personId]);
  const months = stats?.first_item_at ? Math.max(1, (Date.parse(stats.last_item_at!) - Date.parse(stats.first_item_at)) / (30 * 86_400_000)) : 1;
  return {
    items: r.items,
    perMonth: Math.round((r.items / months) * 10) / 10,
    answered: r.answered,
    answeredShare: r.items ? r.answered / r.items : null,
    medianAnswerSeconds: r.medianAnswerSeconds,
    reciprocity: r.items ? r.repliesToMembers / r.items : null,
    repliesToMembers: r.repliesToMembers,
    tone,
    firstSeenAt: stats?.first_item_at ?? null,
    lastItemAt: stats?.last_item_at ?? null,
    lastTeamAt: stats?.last_team_at ?? null,
    level: stats?.level ?? ('observer' as Level),
    items90: stats?.items_90 ?? 0,
    reach90: stats?.reach_90 ?? 0,
  };
}

/** Segment filters: tags (all of them), platform, level, a name/handle search. */
export interface PeopleFilter { tags?: string[]; platform?: string; level?: Level; q?: string }

export interface PersonRow extends PersonStats {
  displayName: string | null; tags: string[]; platforms: string[]; handles: string[];
}

export async function listPeople(db: Db, workspaceId: string, now: Date, filter: PeopleFilter, limit = 500): Promise<PersonRow[]> {
  const people = await db.query<{ id: number; display_name: string | null; tags: string[]; platforms: string[]; handles: string[] }>(
    `select p.id, p.display_name, p.tags, array_agg(distinct d.platform) as platforms, array_agg(distinct coalesce(d.handle, d.platform_user_id)) as handles
     from persons p join identities d on d.person_id = p.id
     where p.workspace_id = $1 and p.merged_into is null and p.erased_at is null
       and ($2::text[] is null or p.tags @> $2::text[])
     group by p.id
     having ($3::text is null or $3 = any(array_agg(d.platform)))
       and ($4::text is null or p.display_name ilike '%' || $4 || '%' or bool_or(d.handle ilike '%' || $4 || '%'))`,
    [workspaceId, filter.tags?.length ? filter.tags : null, filter.platform ?? null, filter.q ?? null]);
  const stats = new Map((await personStats(db, workspaceId, now, people.map((p) => p.id))).map((s) => [s.person_id, s]));
  const rows = people.map((p) => {
    const s = stats.get(p.id) ?? emptyStats(p.id);
    return { ...s, displayName: p.display_name, tags: p.tags, platforms: p.platforms, handles: p.handles };
  }).filter((r) => !filter.level || r.level === filter.level);
  rows.sort((a, b) => (b.last_item_at ?? '').localeCompare(a.last_item_at ?? '') || b.person_id - a.person_id);
  return rows.slice(0, limit);
}

const emptyStats = (id: number): PersonStats => ({
  person_id: id, items_total: 0, items_90: 0, items_30: 0, items_prev_90: 0, reach_90: 0, first_item_at: null, last_item_at: null,
  last_team_at: null, first_answered: false, first_conversation_id: null, last_conversation_id: null, level: 'observer',
});

export type KeepInTouchReason = 'quiet' | 'dropped' | 'newcomer';
export interface KeepInTouchRow { reason: KeepInTouchReason; personId: number; displayName: string | null; level: Level; segment: string | null;
  lastItemAt: string | null; lastTeamAt: string | null; conversationId: number | null; detail: Record<string, unknown> }

const DAY = 86_400_000;
/** Without a segment, contributors and leaders "matter", with this many quiet days. */
export const DEFAULT_QUIET_DAYS = 30;

/**
 * Keep in touch: people who matter and have not heard from the team for longer than their
 * segment allows (contributors and leaders: 30 days unless a segment says otherwise); people
 * who wrote less than half as much in the last 30 days as per 30 days in the 90 before (at least
 * 6 items then); newcomers (first item in the last 30 days) whose first item the team did not
 * answer.
 */
export async function keepInTouch(db: Db, workspaceId: string, now: Date, segments: { name: string; filters: PeopleFilter; quiet_days: number }[]): Promise<KeepInTouchRow[]> {
  const all = await listPeople(db, workspaceId, now, {}, 1_000_000);
  const quietDays = new Map<number, { days: number; segment: string | null }>();
  for (const r of all) if (r.level === 'contributor' || r.level === 'leader') quietDays.set(r.person_id, { days: DEFAULT_QUIET_DAYS, segment: null });
  for (const s of segments) {
    const members = await listPeople(db, workspaceId, now, s.filters, 1_000_000);
    for (const m of members) {
      const had = quietDays.get(m.person_id);
      if (!had || s.quiet_days < had.days) quietDays.set(m.person_id, { days: s.quiet_days, segment: s.name });
    }
  }
  const out: KeepInTouchRow[] = [];
  const base = (r: PersonRow) => ({ personId: r.person_id, displayName: r.displayName, level: r.level, lastItemAt: r.last_item_at, lastTeamAt: r.last_team_at, conversationId: r.last_conversation_id });
  for (const r of all) {
    const q = quietDays.get(r.person_id);
    const since = Date.parse(r.last_team_at ?? r.first_item_at ?? '') || 0;
    if (q && r.items_total > 0 && now.getTime() - since > q.days * DAY) {
      out.push({ reason: 'quiet', ...base(r), segment: q.segment, detail: { quietDays: q.days, daysWithoutContact: Math.floor((now.getTime() - since) / DAY) } });
    }
    const before = r.items_prev_90 / 3;
    if (r.items_prev_90 >= 6 && r.items_30 < before / 2) {
      out.push({ reason: 'dropped', ...base(r), segment: null, detail: { last30: r.items_30, per30Before: Math.round(before * 10) / 10 } });
    }
    if (r.first_item_at && now.getTime() - Date.parse(r.first_item_at) <= 30 * DAY && !r.first_answered) {
      out.push({ reason: 'newcomer', ...base(r), conversationId: r.first_conversation_id, segment: null, detail: { firstItemAt: r.first_item_at } });
    }
  }
  return out;
}
