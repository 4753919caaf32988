// Two signals of coordinated behaviour that need no similar texts:
// - a link wave: the same link (normalised) posted by many accounts within a window, most of
//   them new (the platform says the account is young, or this workspace first saw it lately);
// - a newcomer burst: many authors who never wrote in this workspace before write in one thread
//   within a short window.
// A workspace that started lately has seen everyone only lately: "first seen here" and "never
// wrote here before" count only once it has items from at least newAccountDays before (a
// platform's own account date always counts).
// Set-based: per analyse batch one statement for the links (remember them and read who else
// posted them) and one for the threads. Signals carry their evidence; the rules decide.
import type { Db } from '../store/db.js';
import type { Analyser, SignalRow } from '../pipeline/stages.js';
import { extractLinks } from '../core/text/links.js';
import { getSettings, type MisinfoSettings } from './store.js';

export const SOURCE = 'misinfo-waves:1';
/** Rows read per link and per thread at most: evidence enough, and a bound on the work. */
const MAX_ROWS = 500;
/** Accounts named in a signal's evidence at most (the counts are always complete). */
const MAX_NAMED = 20;
/** Longest link kept (a btree key has a size limit; longer links are cut, not dropped). */
const MAX_LINK = 1000;
const PRUNE_EVERY_MS = 10 * 60_000;

// Parameters that say where a click came from, not what is linked: two posts of one article with
// different campaign tags are the same link.
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|igsh|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref_src|ref_url|si|spm|share|s_cid|oly_.*|vero_.*|__twitter_impression)$/i;

/** The link as compared: no scheme, no "www.", no fragment, no tracking parameters, sorted query. */
export function normaliseLink(url: string): string | null {
  let u: URL;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const params = [...u.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  const query = params.length ? '?' + new URLSearchParams(params).toString() : '';
  const path = u.pathname.replace(/\/+$/, '');
  const host = u.hostname.replace(/^www\./, '') + (u.port ? `:${u.port}` : '');
  return (host + path + query).slice(0, MAX_LINK);
}

export interface Point { t: number; key: string; name: string | null; isNew: boolean; itemId: number }
export interface Window { from: number; to: number; keys: Map<string, Point> }

/**
 * The window of `ms` containing `at` with the most distinct keys (first point per key kept), or
 * null. Points sorted by time; a window worth looking at starts at a point.
 */
export function busiestWindow(points: Point[], at: number, ms: number, score: (keys: Map<string, Point>) => number = (k) => k.size): Window | null {
  let best: Window | null = null;
  let bestScore = -1;
  for (let i = 0; i < points.length; i++) {
    const from = points[i].t;
    if (from > at) break;
    if (from < at - ms) continue;
    const keys = new Map<string, Point>();
    let to = from;
    for (let j = i; j < points.length && points[j].t <= from + ms; j++) {
      if (!keys.has(points[j].key)) keys.set(points[j].key, points[j]);
      to = points[j].t;
    }
    const s = score(keys);
    if (s > bestScore) { best = { from, to, keys }; bestScore = s; }
  }
  return best;
}

const named = (w: Window) => [...w.keys.values()].slice(0, MAX_NAMED).map((p) => p.name ?? p.key);
const iso = (t: number) => new Date(t).toISOString();

interface LinkRow { link: string; item_id: number; created_at: Date; account: string; handle: string | null; new_account: boolean }
interface ThreadRow { id: number; conversation_id: number; created_at: Date; identity_id: number; handle: string | null }

// The account's age: the platform's creation date where the payload has one (import format,
// Mastodon), else when this workspace first saw the identity (if it was watching long enough).
const ACCOUNT_CREATED = `coalesce(i.raw->'author'->>'createdAt', i.raw->'status'->'account'->>'created_at', i.raw->'account'->>'created_at')`;

async function linkWaves(db: Db, ws: string, s: MisinfoSettings, batch: { item_id: number; link: string }[]): Promise<LinkRow[]> {
  if (!batch.length) return [];
  const ms = s.linkWaveWindowHours * 3_600_000;
  // Rows inserted by a statement are not visible to its own reads: the batch's rows come from `b`.
  return db.query<LinkRow>(
    `with x as (select * from jsonb_to_recordset($2::jsonb) as x(item_id bigint, link text)),
     ws as (select min(created_at) as start from items where workspace_id = $1),
     b as (select x.link, i.id as item_id, i.created_at,
             coalesce(i.identity_id::text, i.platform || ':' || coalesce(i.author_platform_id, i.author_handle), 'item:' || i.id) as account,
             coalesce(i.author_handle, i.author_name, i.author_platform_id) as handle,
             case when a.made is not null then a.made > i.created_at - make_interval(days => $3)
                  else a.seen > i.created_at - make_interval(days => $3) and ws.start < a.seen - make_interval(days => $3) end as new_account
           from x join items i on i.id = x.item_id left join identities e on e.id = i.identity_id cross join ws
           cross join lateral (select case when ${ACCOUNT_CREATED} is not null then allmende_try_timestamptz(${ACCOUNT_CREATED}) end as made,
                                      coalesce(e.first_seen_at, i.created_at) as seen) a),
     ins as (insert into misinfo_link_posts (workspace_id, link, created_at, item_id, account, handle, new_account)
             select $1, link, created_at, item_id, account, handle, new_account from b on conflict do nothing)
     select link, item_id, created_at, account, handle, new_account from b
     union all
     select p.link, p.item_id, p.created_at, p.account, p.handle, p.new_account
     from (select link, min(created_at) - $4 * interval '1 millisecond' as lo, max(created_at) + $4 * interval '1 millisecond' as hi from b group by link) l
     cross join lateral (select * from misinfo_link_posts p where p.workspace_id = $1 and p.link = l.link and p.created_at between l.lo and l.hi
                         order by p.created_at desc limit ${MAX_ROWS}) p`,
    [ws, JSON.stringify(batch), s.newAccountDays, ms]);
}

/** The batch's items by first-time authors, and the first-time authors' items around them in their threads. */
async function newcomerThreads(db: Db, ws: string, ids: number[], minutes: number, days: number): Promise<(ThreadRow & { in_batch: boolean })[]> {
  // First item of its identity: nothing earlier by the same identity (index items_identity).
  const first = (a: string) => `not exists (select 1 from items k where k.identity_id = ${a}.identity_id and (k.created_at < ${a}.created_at or (k.created_at = ${a}.created_at and k.id < ${a}.id)))`;
  return db.query(
    `with ws as (select min(created_at) + make_interval(days => $4) as warm from items where workspace_id = $3),
     b as (select i.id, i.conversation_id, i.created_at from items i cross join ws
                where i.id = any($1::bigint[]) and i.conversation_id is not null and i.identity_id is not null and i.created_at > ws.warm and ${first('i')}),
     c as (select conversation_id, min(created_at) - make_interval(mins => $2) as lo, max(created_at) + make_interval(mins => $2) as hi from b group by conversation_id)
     select j.id, j.conversation_id, j.created_at, j.identity_id, coalesce(j.author_handle, j.author_name, j.author_platform_id) as handle, j.id = any($1::bigint[]) as in_batch
     from c cross join lateral (select * from items j where j.conversation_id = c.conversation_id and j.created_at between c.lo and c.hi
                                and j.identity_id is not null order by j.created_at limit ${MAX_ROWS}) j
     where ${first('j')} and j.created_at > (select warm from ws)`,
    [ids, minutes, ws, days]);
}

export function wavesAnalyser(): Analyser & { name: string } {
  let pruned = 0;
  return {
    name: 'misinfo-waves',
    async analyse(db, items) {
      const out: SignalRow[] = [];
      if (!items.length) return out;
      if (Date.now() - pruned > PRUNE_EVERY_MS) {
        pruned = Date.now();
        await db.query(`delete from misinfo_link_posts where created_at < now() - interval '31 days'`);
      }
      for (const ws of new Set(items.map((i) => i.workspace_id))) {
        const mine = items.filter((i) => i.workspace_id === ws);
        const settings = await getSettings(db, ws);
        const sig = (itemId: number, kind: string, score: number, evidence: unknown) =>
          out.push({ item_id: itemId, workspace_id: ws, kind, label: null, score, evidence, source: SOURCE });

        // Links: the stage passes the item's links (stored and found in the text) along.
        const batch = mine.flatMap((i) => {
          const links = [...((i as { links?: string[] }).links ?? []), ...extractLinks(i.normalised)];
          return [...new Set(links.map(normaliseLink).filter((l): l is string => !!l))].map((link) => ({ item_id: i.id, link }));
        });
        const byLink = new Map<string, Point[]>();
        const seen = new Set<string>();
        for (const r of await linkWaves(db, ws, settings, batch)) {
          const k = `${r.link}\u0000${r.item_id}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const p: Point = { t: new Date(r.created_at).getTime(), key: r.account, name: r.handle, isNew: r.new_account, itemId: Number(r.item_id) };
          const l = byLink.get(r.link);
          if (l) l.push(p); else byLink.set(r.link, [p]);
        }
        const linkMs = settings.linkWaveWindowHours * 3_600_000;
        const newCount = (keys: Map<string, Point>) => { let n = 0; for (const p of keys.values()) if (p.isNew) n++; return n; };
        for (const points of byLink.values()) points.sort((a, b) => a.t - b.t || a.itemId - b.itemId);
        for (const { item_id, link } of batch) {
          const points = byLink.get(link)!;
          const me = points.find((p) => p.itemId === item_id);
          if (!me || points.length < settings.linkWaveMinAccounts) continue;
          // The window with the most new accounts (ties: fewer accounts in all).
          const w = busiestWindow(points, me.t, linkMs, (keys) => newCount(keys) * 10_000 - keys.size);
          if (!w) continue;
          const fresh = newCount(w.keys);
          if (w.keys.size < settings.linkWaveMinAccounts || fresh * 2 <= w.keys.size) continue;
          sig(item_id, 'link_wave', fresh / w.keys.size, {
            link, accounts: w.keys.size, newAccounts: fresh, newAccountDays: settings.newAccountDays, windowHours: settings.linkWaveWindowHours,
            firstSeen: iso(w.from), lastSeen: iso(w.to), named: named(w),
          });
        }

        // Threads: first-time authors close together in one conversation.
        const rows = await newcomerThreads(db, ws, mine.map((i) => i.id), settings.newcomerWindowMinutes, settings.newAccountDays);
        const byThread = new Map<number, Point[]>();
        for (const r of rows) {
          const p: Point = { t: new Date(r.created_at).getTime(), key: String(r.identity_id), name: r.handle, isNew: true, itemId: Number(r.id) };
          const l = byThread.get(Number(r.conversation_id));
          if (l) l.push(p); else byThread.set(Number(r.conversation_id), [p]);
        }
        const threadMs = settings.newcomerWindowMinutes * 60_000;
        for (const points of byThread.values()) points.sort((a, b) => a.t - b.t || a.itemId - b.itemId);
        for (const r of rows) {
          if (!r.in_batch) continue;
          const points = byThread.get(Number(r.conversation_id))!;
          if (points.length < settings.newcomerMinAuthors) continue;
          const w = busiestWindow(points, new Date(r.created_at).getTime(), threadMs);
          if (!w || w.keys.size < settings.newcomerMinAuthors) continue;
          sig(Number(r.id), 'newcomer_burst', w.keys.size, {
            conversationId: Number(r.conversation_id), authors: w.keys.size, windowMinutes: settings.newcomerWindowMinutes,
            firstSeen: iso(w.from), lastSeen: iso(w.to), named: named(w),
          });
        }
      }
      return out;
    },
  };
}
