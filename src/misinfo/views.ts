// What the misinformation pages read: per-claim figures (items over time, platforms, first seen,
// share answered by the team, a rising alert), campaigns with their items and accounts.
import type { Db } from '../store/db.js';
import { csvField } from './domains.js';

/** A claim is rising when its last 24 hours have at least this many items and RISING_FACTOR times its daily average of the week before. */
const RISING_MIN = 5;
const RISING_FACTOR = 3;

export async function claimsOverview(db: Db, ws: string, now: Date) {
  const rows = await db.query<any>(
    `with m as (
       select (s.evidence->>'claimId')::uuid as claim_id, i.id, i.platform, i.created_at, i.conversation_id
       from signals s join items i on i.id = s.item_id where s.workspace_id = $1 and s.kind = 'claim')
     select c.id, c.text_de, c.text_en, c.verdict, c.fact_check_url,
       (select count(*)::int from m where m.claim_id = c.id) as items,
       (select min(created_at) from m where m.claim_id = c.id) as first_seen,
       (select coalesce(jsonb_object_agg(platform, n), '{}') from (select platform, count(*)::int as n from m where m.claim_id = c.id group by platform) p) as platforms,
       (select coalesce(jsonb_object_agg(day, n), '{}') from (select to_char(date_trunc('day', created_at), 'YYYY-MM-DD') as day, count(*)::int as n from m where m.claim_id = c.id group by 1) d) as days,
       (select count(*)::int from m where m.claim_id = c.id and exists (
          select 1 from items r where r.conversation_id = m.conversation_id and r.direction = 'outbound' and r.created_at >= m.created_at)) as answered,
       (select count(*)::int from m where m.claim_id = c.id and m.created_at > $2::timestamptz - interval '1 day') as last_day,
       (select count(*)::int from m where m.claim_id = c.id and m.created_at <= $2::timestamptz - interval '1 day' and m.created_at > $2::timestamptz - interval '8 days') as week_before
     from claims c where c.workspace_id = $1 order by c.created_at desc`, [ws, now]);
  return rows.map((r) => ({
    id: r.id, textDe: r.text_de, textEn: r.text_en, verdict: r.verdict, factCheckUrl: r.fact_check_url,
    items: r.items, firstSeen: r.first_seen ? new Date(r.first_seen).toISOString() : null, platforms: r.platforms, days: r.days,
    answeredShare: r.items ? r.answered / r.items : null,
    lastDay: r.last_day,
    rising: r.last_day >= RISING_MIN && r.last_day >= RISING_FACTOR * (r.week_before / 7),
  }));
}

export function claimsCsv(rows: Awaited<ReturnType<typeof claimsOverview>>): string {
  const head = 'id,text_de,text_en,verdict,fact_check_url,items,first_seen,answered_share,last_24h,rising';
  return [head, ...rows.map((r) => [r.id, r.textDe ?? '', r.textEn ?? '', r.verdict, r.factCheckUrl ?? '', String(r.items), r.firstSeen ?? '',
    r.answeredShare === null ? '' : r.answeredShare.toFixed(3), String(r.lastDay), r.rising ? 'yes' : 'no'].map(csvField).join(','))].join('\r\n') + '\r\n';
}

export async function listCampaigns(db: Db, ws: string, limit: number) {
  const rows = await db.query<any>(
    `select c.id, c.kind, c.sample, c.first_seen, c.last_seen, count(ci.item_id)::int as items,
       count(distinct coalesce(i.author_platform_id, i.id::text))::int as accounts, array_agg(distinct i.platform) as platforms
     from campaigns c join campaign_items ci on ci.campaign_id = c.id join items i on i.id = ci.item_id
     where c.workspace_id = $1 group by c.id order by c.last_seen desc limit $2`, [ws, limit]);
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, sample: r.sample, firstSeen: new Date(r.first_seen).toISOString(), lastSeen: new Date(r.last_seen).toISOString(), items: r.items, accounts: r.accounts, platforms: r.platforms }));
}

export async function campaignDetail(db: Db, ws: string, id: number) {
  const [c] = (await listCampaigns(db, ws, 10_000)).filter((x) => x.id === id);
  if (!c) return null;
  const items = await db.query<any>(
    `select i.id, i.platform, i.author_platform_id, i.author_handle, i.author_name, coalesce(i.text_normalised, i.text) as text, i.created_at, i.moderation, i.permalink, ci.similarity,
       i.raw->'author'->>'createdAt' as account_created,
       (select count(*)::int from items p where p.workspace_id = i.workspace_id and p.author_platform_id = i.author_platform_id) as author_items
     from campaign_items ci join items i on i.id = ci.item_id where ci.campaign_id = $1 order by i.created_at, i.id`, [id]);
  const accounts = new Map<string, { id: string; handle: string | null; platform: string; items: number; itemsInWorkspace: number; accountCreated: string | null }>();
  const timeline = new Map<string, number>();
  for (const i of items) {
    const key = `${i.platform}:${i.author_platform_id ?? i.id}`;
    const a = accounts.get(key) ?? { id: i.author_platform_id, handle: i.author_handle, platform: i.platform, items: 0, itemsInWorkspace: i.author_items, accountCreated: i.account_created ?? null };
    a.items++;
    accounts.set(key, a);
    const hour = new Date(i.created_at).toISOString().slice(0, 13) + ':00';
    timeline.set(hour, (timeline.get(hour) ?? 0) + 1);
  }
  return {
    ...c,
    items: items.map((i) => ({ id: Number(i.id), platform: i.platform, author: { handle: i.author_handle, displayName: i.author_name }, text: i.text, createdAt: new Date(i.created_at).toISOString(), moderation: i.moderation, permalink: i.permalink, similarity: i.similarity })),
    accounts: [...accounts.values()],
    timeline: [...timeline].map(([hour, n]) => ({ hour, items: n })),
  };
}
