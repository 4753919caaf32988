// Reading one person: the person page (identities, timeline across platforms, notes, relationship
// summary). The lists (everyone, segments, keep in touch) are in lists.ts.
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
