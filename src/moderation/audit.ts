// The moderation log read back: filtered lists, CSV, and figures per moderator and per rule.
import type { Db } from '../store/db.js';

export interface AuditFilter { actorKind?: string; actor?: string; after?: string; from?: string; to?: string; limit: number }

export async function auditEvents(db: Db, workspaceId: string, f: AuditFilter) {
  const rows = await db.query<any>(
    `select e.id, e.created_at, e.item_id, e.data->>'actorKind' as actor_kind, e.data->>'actorName' as actor_name,
       e.data->>'before' as before, e.data->>'after' as after, e.data->>'reason' as reason, e.data->>'tool' as tool,
       i.platform, i.platform_id, left(i.text, 200) as excerpt
     from events e join items i on i.id = e.item_id
     where e.workspace_id = $1 and e.type = 'moderation'
       and ($2::text is null or e.data->>'actorKind' = $2)
       and ($3::text is null or e.data->>'actorName' = $3)
       and ($4::text is null or e.data->>'after' = $4)
       and ($5::timestamptz is null or e.created_at >= $5)
       and ($6::timestamptz is null or e.created_at < $6)
     order by e.id desc limit $7`,
    [workspaceId, f.actorKind ?? null, f.actor ?? null, f.after ?? null, f.from ?? null, f.to ?? null, f.limit]);
  return rows.map((r) => ({
    id: r.id, at: new Date(r.created_at).toISOString(), itemId: r.item_id, actorKind: r.actor_kind, actor: r.actor_name,
    before: r.before, after: r.after, reason: r.reason, tool: r.tool, platform: r.platform, platformId: r.platform_id, excerpt: r.excerpt,
  }));
}

/** CSV for spreadsheets; cells that a spreadsheet would run as a formula are defused. */
export function auditCsv(events: Awaited<ReturnType<typeof auditEvents>>): string {
  const cols = ['at', 'itemId', 'platform', 'platformId', 'actorKind', 'actor', 'before', 'after', 'reason', 'tool', 'excerpt'] as const;
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [cols.join(','), ...events.map((e) => cols.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}

/**
 * Per actor (each person, each rule, each model): how many changes, what share a person later
 * reversed ("overturned"), and the median time from the item's arrival to the change.
 */
export async function moderationFigures(db: Db, workspaceId: string, days: number) {
  const rows = await db.query<any>(
    `with ev as (
       select e.id, e.item_id, e.actor, e.data->>'actorKind' as kind, e.data->>'actorName' as name, e.created_at, i.received_at
       from events e join items i on i.id = e.item_id
       where e.workspace_id = $1 and e.type = 'moderation' and e.created_at > now() - make_interval(days => $2))
     select kind, name, count(*)::int as volume,
       avg(case when exists (select 1 from events l where l.item_id = ev.item_id and l.type = 'moderation' and l.id > ev.id
                             and l.data->>'actorKind' = 'person' and l.actor <> ev.actor) then 1 else 0 end)::float8 as overturned,
       percentile_cont(0.5) within group (order by extract(epoch from ev.created_at - ev.received_at))::float8 as median_seconds
     from ev group by kind, name order by volume desc`, [workspaceId, days]);
  return {
    days,
    definitions: {
      volume: 'moderation changes made by this actor in the period',
      overturned: 'share of those changes that a person later changed again on the same item',
      medianSeconds: "median time from the item's arrival in Allmende to the change",
    },
    actors: rows.map((r) => ({ kind: r.kind, actor: r.name, volume: r.volume, overturned: r.overturned, medianSeconds: r.median_seconds })),
  };
}
