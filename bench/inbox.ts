// The inbox at scale: a workspace with 1,000,000 items in 250,000 conversations, loaded in bulk
// (SQL generate_series, bypassing the pipeline: this measures reading, not ingest), then
//   - the conversation list (part A's listConversations) with each filter and with full-text
//     search, p50/p95/p99 over `--queries` queries each;
//   - the SLA views "breached" and "due soon";
//   - opening a conversation (part A's getConversation);
//   - the SLA sweep computing every open conversation's due times (conversations/s);
//   - the figures page (inboxMetrics) over 30 days.
// Targets (issue 3): list and search p95 < 100 ms on PostgreSQL, < 300 ms on PGlite; open p95 < 100 ms.
// A failing target prints the query plan (EXPLAIN ANALYZE) of its slowest query.
//
//   node --import tsx bench/inbox.ts [--items 1000000] [--db pglite|postgres|both] [--queries 200]
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { listConversations, listFilters } from '../src/inbox/list.js';
import { getConversation } from '../src/inbox/view.js';
import { rebuildConversationSearch } from '../src/inbox/search.js';
import { sweepSla } from '../src/sla/sweep.js';
import { slaConversations } from '../src/sla/lists.js';
import { inboxMetrics } from '../src/sla/metrics.js';
import { args, freshDatabase, fmt, MB, percentile, memorySampler, cpuReader } from './ingest.js';

type Kind = 'pglite' | 'postgres';
const LIST_TARGET: Record<Kind, number> = { postgres: 100, pglite: 300 };
const OPEN_TARGET = 100;
export const PLATFORMS = ['facebook', 'instagram', 'mastodon', 'bluesky', 'youtube', 'x', 'email', 'forum', 'website', 'tiktok', 'threads', 'reddit'];
const LABELS = ['rechnung', 'störung', 'fahrplan', 'lob', 'vip', 'presse'];

// Sentence parts, written for this bench; three per item give ~10^5 distinct texts plus a number.
const DE = [
  ['Wann fährt die Buslinie', 'Warum ist der Strom', 'Seit heute früh ist die Wasserleitung', 'Die neue Tarifreform', 'Mein Abo für das Schwimmbad', 'Der Fahrplan am Wochenende', 'Die Baustelle am Hafen', 'Das Kundenzentrum'],
  ['schon wieder ausgefallen', 'nach Nordstadt wieder', 'ohne Ankündigung geändert', 'viel zu teuer geworden', 'heute nicht erreichbar', 'endlich pünktlich', 'seit Wochen ein Ärgernis', 'wirklich gut gelöst'],
  ['– könnt ihr das bitte prüfen?', ', danke für die schnelle Hilfe!', '. Wer ist dafür zuständig?', ', ich warte auf eine Rückerstattung.', '. Gibt es einen Ersatzverkehr?', '. Super Arbeit, weiter so!', '. Bitte meldet euch per Nachricht.', '. Das ist eine Zumutung.'],
];
const EN = [
  ['When does the bus line', 'Why is the power', 'Since this morning the water supply', 'The new fare system', 'My swimming pool pass', 'The weekend timetable', 'The construction at the harbour', 'The customer centre'],
  ['keep failing again', 'to Northtown run again', 'changed without notice', 'got far too expensive', 'unreachable today', 'finally on time', 'annoying for weeks', 'really well done'],
  [' - can you please check?', ', thanks for the quick help!', '. Who is responsible?', ', I am waiting for a refund.', '. Is there a replacement service?', '. Great job, keep going!', '. Please send me a message.', '. This is unacceptable.'],
];
export const SEARCHES = ['Stromausfall', 'Strom ausgefallen', 'Rückerstattung', 'Ersatzverkehr', 'Fahrplan Wochenende', 'Schwimmbad', 'Baustelle Hafen', 'refund', 'replacement service', 'timetable', 'swimming pool', 'Kundenzentrum erreichbar', 'Tarifreform teuer', 'customer centre', 'Zumutung', 'unacceptable', '"Buslinie nach Nordstadt"', 'Wasserleitung', 'harbour construction', 'Nordstadt'];

const sqlArray = (xs: string[]) => `array[${xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(',')}]`;

export async function load(db: Db, items: number, log: (m: string) => void): Promise<{ workspaceId: string; userId: string; teamId: string; now: Date }> {
  const threads = Math.floor(items / 4);
  const [ws] = await db.query<{ id: string }>(`insert into workspaces (slug, name) values ('bench', 'Bench') returning id`);
  const users = await db.query<{ id: string }>(
    `insert into users (email, name, password_hash) select 'agent' || g || '@example.org', 'Agent ' || g, 'x' from generate_series(1, 20) g returning id`);
  await db.query(`insert into memberships (workspace_id, user_id, role) select $1, id, 'moderator' from users`, [ws.id]);
  const teams = await db.query<{ id: string }>(`insert into teams (workspace_id, name) select $1, 'Team ' || g from generate_series(1, 4) g returning id`, [ws.id]);
  await db.query(`insert into team_members (team_id, user_id, workspace_id) select t.id, u.id, $1 from teams t cross join users u where (hashtext(t.id::text || u.id::text) & 3) = 0`, [ws.id]);
  const conns = await db.query<{ id: string; platform: string }>(
    `insert into connections (workspace_id, platform, name) select $1, p, 'Stadtwerke ' || p from unnest(${sqlArray(PLATFORMS)}::text[]) p returning id, platform`, [ws.id]);
  const connIds = conns.map((c) => c.id);
  const start = Date.parse('2025-11-01T00:00:00Z');
  const spanS = 365 * 86_400;
  const now = new Date(start + spanS * 1000 + 3_600_000);

  // Conversations 1..threads (identity starts at 1 in a fresh database), every field the list filters on.
  const t0 = performance.now();
  const CHUNK = 50_000;
  for (let lo = 1; lo <= threads; lo += CHUNK) {
    const hi = Math.min(threads, lo + CHUNK - 1);
    await db.query(
      `insert into conversations (workspace_id, connection_id, platform, thread_key, status, assignee_user_id, team_id, priority, labels, language, last_item_at, created_at)
       select $1, ($2::uuid[])[1 + c % ${PLATFORMS.length}], ($3::text[])[1 + c % ${PLATFORMS.length}], 't' || c,
         (array['done','done','done','done','new','new','open','open','open','waiting'])[1 + (c * 7) % 10],
         case when c % 10 < 3 then null else ($4::uuid[])[1 + (c / 10 * 7) % 20] end,
         case when c % 5 = 0 then null else ($5::uuid[])[1 + (c * 3) % 4] end,
         (c * 11) % 4,
         case when c % 4 = 0 then array[($6::text[])[1 + c % 6]] when c % 17 = 0 then array[($6::text[])[1 + c % 6], 'vip'] else '{}' end,
         case when c % 5 < 3 then 'de' else 'en' end,
         to_timestamp(${start / 1000} + c::float8 * ${spanS} / ${threads}), now()
       from generate_series($7::int, $8::int) c`,
      [ws.id, connIds, conns.map((c) => c.platform), users.map((u) => u.id), teams.map((t) => t.id), LABELS, lo, hi]);
  }
  log(`  conversations: ${fmt(threads)} in ${fmt((performance.now() - t0) / 1000, 1)} s`);

  // Items: item n belongs to conversation ((n-1) % threads) + 1 and is its k-th (k = (n-1) / threads);
  // the team answered (k = 1, outbound) in two of three conversations; about 1 % are held by moderation.
  const t1 = performance.now();
  const de = DE.map(sqlArray);
  const en = EN.map(sqlArray);
  const ITEM_CHUNK = 25_000;
  for (let lo = 1; lo <= items; lo += ITEM_CHUNK) {
    const hi = Math.min(items, lo + ITEM_CHUNK - 1);
    await db.query(
      `insert into items (workspace_id, connection_id, platform, platform_id, kind, thread_id, author_platform_id, author_handle, author_name,
         text, text_normalised, language, created_at, stage, conversation_id, direction, moderation, search)
       select $1, c.connection_id, c.platform, 'i' || n, case when k = 0 then 'post' else 'comment' end, c.thread_key,
         case when out then 'team' else 'u' || ((n * 2654435761) % 40000) end,
         case when out then '@stadtwerke' else '@leser' || ((n * 2654435761) % 40000) end,
         case when out then 'Stadtwerke' else 'Leser ' || ((n * 2654435761) % 40000) end,
         x.text, x.text, c.language, c.last_item_at - make_interval(secs => (3 - k) * 1800 + (n % 600)), 'done', c.id,
         case when out then 'outbound' else 'inbound' end, case when n % 97 = 0 then 'held' else 'visible' end,
         to_tsvector(case when c.language = 'de' then 'german'::regconfig else 'english'::regconfig end, x.text)
       from generate_series($2::int, $3::int) n
       cross join lateral (select ((n - 1) % ${threads}) + 1 as cid, (n - 1) / ${threads} as k) p
       join conversations c on c.id = p.cid
       cross join lateral (select p.k = 1 and p.cid % 3 <> 0 as out) o
       cross join lateral (select case when c.language = 'de'
           then (${de[0]})[1 + n % 8] || ' ' || (${de[1]})[1 + (n / 8) % 8] || (${de[2]})[1 + (n / 64) % 8] || ' (' || n || ')'
           else (${en[0]})[1 + n % 8] || ' ' || (${en[1]})[1 + (n / 8) % 8] || (${en[2]})[1 + (n / 64) % 8] || ' (' || n || ')' end as text) x`,
      [ws.id, lo, hi]);
    if (((hi / ITEM_CHUNK) | 0) % 8 === 0 || hi === items) log(`  items: ${fmt(hi)} / ${fmt(items)} (${fmt(hi / ((performance.now() - t1) / 1000))} rows/s)`);
  }
  // The derived times, as part A keeps them (threading.ts recomputeConversations), in bulk.
  const t2 = performance.now();
  for (let lo = 1; lo <= threads; lo += CHUNK) {
    await db.query(
      `update conversations c set item_count = a.n, inbound_count = a.nin, first_inbound_at = a.fin, last_inbound_at = a.lin,
         first_outbound_at = a.fout, last_outbound_at = a.lout, last_item_at = a.last_at, last_item_id = a.last_id,
         awaiting_since = case when a.lin > coalesce(a.lout, '-infinity') then (select min(x.created_at) from items x where x.conversation_id = c.id and x.direction = 'inbound' and x.created_at > coalesce(a.lout, '-infinity')) end,
         done_at = case when c.status = 'done' then a.last_at + interval '1 hour' end, status_at = a.last_at
       from (select conversation_id, count(*)::int as n, count(*) filter (where direction = 'inbound')::int as nin,
               min(created_at) filter (where direction = 'inbound') as fin, max(created_at) filter (where direction = 'inbound') as lin,
               min(created_at) filter (where direction = 'outbound') as fout, max(created_at) filter (where direction = 'outbound') as lout,
               max(created_at) as last_at, (array_agg(id order by created_at desc, id desc))[1] as last_id
             from items where conversation_id between $1 and $2 group by conversation_id) a
       where c.id = a.conversation_id`, [lo, Math.min(threads, lo + CHUNK - 1)]);
  }
  log(`  items: ${fmt(items)} in ${fmt((t2 - t1) / 1000, 1)} s (${fmt(items / ((t2 - t1) / 1000))} rows/s); conversation times in ${fmt((performance.now() - t2) / 1000, 1)} s`);
  // The conversations' search vectors (007), as analyse keeps them, rebuilt from the items in bulk.
  const t4 = performance.now();
  for (let lo = 1; lo <= threads; lo += CHUNK) {
    const ids = Array.from({ length: Math.min(threads, lo + CHUNK - 1) - lo + 1 }, (_, i) => lo + i);
    await rebuildConversationSearch(db, ids);
  }
  log(`  conversation search vectors: ${fmt((performance.now() - t4) / 1000, 1)} s`);
  const t3 = performance.now();
  await db.exec('vacuum analyze');
  log(`  vacuum analyze: ${fmt((performance.now() - t3) / 1000, 1)} s`);
  return { workspaceId: ws.id, userId: users[3].id, teamId: teams[1].id, now };
}

interface Timed { name: string; n: number; p50: number; p95: number; p99: number; rows: number; target: number; slowest: () => Promise<void> }

async function timeIt(name: string, n: number, target: number, run: (i: number) => Promise<number>, explain: (i: number) => Promise<void>): Promise<Timed> {
  const ms: number[] = [];
  let rows = 0;
  let worst = { ms: -1, i: 0 };
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    rows += await run(i);
    const d = performance.now() - t;
    ms.push(d);
    if (d > worst.ms) worst = { ms: d, i };
  }
  ms.sort((a, b) => a - b);
  return { name, n, p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99), rows: rows / n, target, slowest: () => explain(worst.i) };
}

/** The SQL listConversations sends, captured, for EXPLAIN ANALYZE. */
function capturing(db: Db): { db: Db; last: () => { sql: string; params: unknown[] } } {
  let last = { sql: '', params: [] as unknown[] };
  const wrapped: Db = { ...db, kind: db.kind, query: (sql: string, params?: unknown[]) => { last = { sql, params: params ?? [] }; return db.query(sql, params); } } as Db;
  return { db: wrapped, last: () => last };
}

async function runOne(kind: Kind, items: number, queries: number, log: (m: string) => void) {
  const fresh = await freshDatabase(kind);
  const db = await openDb({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir });
  const mem = memorySampler();
  const cpu = cpuReader();
  try {
    await migrate(db, () => {});
    log(`\n== ${kind}: ${fmt(items)} items in ${fmt(items / 4)} conversations`);
    const t0 = performance.now();
    const w = await load(db, items, log);
    const loadS = (performance.now() - t0) / 1000;

    // The SLA clock for every conversation: one policy in business hours.
    await db.query(`insert into sla_calendars (workspace_id, calendar) values ($1, $2)`, [w.workspaceId, JSON.stringify({
      timeZone: 'Europe/Berlin', holidays: [{ date: '2026-10-03', name: 'Tag der Deutschen Einheit' }],
      hours: { sun: [], sat: [], ...Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '18:00' }]])) } })]);
    await db.query(`insert into sla_policies (workspace_id, name, position, first_response_minutes, next_response_minutes, resolution_minutes, business_hours) values ($1, 'Alle', 0, 240, 480, 4800, true)`, [w.workspaceId]);
    const ts = performance.now();
    let swept = 0;
    for (let round = 0; round < 1000; round++) {
      const r = await sweepSla(db, w.now);
      swept += r.computed;
      if (r.computed === 0) break;
    }
    const sweepS = (performance.now() - ts) / 1000;
    log(`  SLA sweep: ${fmt(swept)} conversations in ${fmt(sweepS, 1)} s (${fmt(swept / sweepS)} conversations/s)`);
    await db.exec('analyze conversations');

    const cap = capturing(db);
    const explainList = (filters: (i: number) => Record<string, unknown>) => async (i: number) => {
      await listConversations(cap.db, w.workspaceId, w.userId, listFilters.parse(filters(i)));
      const { sql, params } = cap.last();
      const plan = await db.query<any>(`explain (analyze, buffers) ${sql}`, params);
      log(plan.map((r) => Object.values(r)[0]).join('\n'));
    };
    const list = (filters: (i: number) => Record<string, unknown>) => async (i: number) =>
      (await listConversations(db, w.workspaceId, w.userId, listFilters.parse(filters(i)))).conversations.length;
    const cases: [string, (i: number) => Record<string, unknown>][] = [
      ['list: open (default)', () => ({})],
      ['list: done', () => ({ status: 'done' })],
      ['list: mine', () => ({ view: 'mine' })],
      ['list: unassigned', () => ({ view: 'unassigned' })],
      ['list: team', () => ({ team: w.teamId })],
      ['list: platform', (i) => ({ platform: PLATFORMS[i % PLATFORMS.length] })],
      ['list: language', (i) => ({ language: i % 2 ? 'de' : 'en' })],
      ['list: label', (i) => ({ labels: LABELS[i % LABELS.length] })],
      ['list: priority ≥ 3', () => ({ priority: 3 })],
      ['list: flagged', () => ({ flagged: 'true' })],
      ['list: date range (a week)', (i) => ({ from: new Date(+w.now - (i % 50 + 1) * 7 * 86_400_000).toISOString(), to: new Date(+w.now - (i % 50) * 7 * 86_400_000).toISOString(), status: 'new,open,waiting,done' })],
      ['list: page 2 (cursor)', () => ({ status: 'done' })],
      ['search (German/English)', (i) => ({ q: SEARCHES[i % SEARCHES.length], status: 'new,open,waiting,done' })],
      ['search + platform', (i) => ({ q: SEARCHES[i % SEARCHES.length], platform: PLATFORMS[i % PLATFORMS.length], status: 'new,open,waiting,done' })],
      ['search, open only (default statuses)', (i) => ({ q: SEARCHES[i % SEARCHES.length] })],
    ];
    const results: Timed[] = [];
    for (const [name, f] of cases) {
      if (name === 'list: page 2 (cursor)') {
        const first = await listConversations(db, w.workspaceId, w.userId, listFilters.parse({ status: 'done' }));
        const cursor = first.nextCursor!;
        results.push(await timeIt(name, queries, LIST_TARGET[kind], list(() => ({ status: 'done', cursor })), explainList(() => ({ status: 'done', cursor }))));
      } else {
        results.push(await timeIt(name, queries, LIST_TARGET[kind], list(f as any), explainList(f as any)));
      }
      const r = results[results.length - 1];
      log(`  ${r.name}: p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms, p99 ${fmt(r.p99, 1)} ms (${fmt(r.rows, 0)} rows)`);
    }
    for (const state of ['breached', 'due_soon'] as const) {
      const r = await timeIt(`SLA: ${state}`, queries, LIST_TARGET[kind], async () => (await slaConversations(db, w.workspaceId, state, w.now, 24 * 60, 50)).length, async () => {
        const plan = await db.query<any>(`explain analyze select id from conversations where workspace_id = $1 and sla_due_at is not null and sla_due_at <= $2 and status <> 'done' order by sla_due_at, id limit 50`, [w.workspaceId, w.now]);
        log(plan.map((x) => Object.values(x)[0]).join('\n'));
      });
      results.push(r);
      log(`  ${r.name}: p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms, p99 ${fmt(r.p99, 1)} ms (${fmt(r.rows, 0)} rows)`);
    }
    // The figures page over the last 30 days (not a target of the issue; measured to know its cost).
    const metrics = await timeIt('metrics: 30 days by platform', 5, 10_000, async () =>
      (await inboxMetrics(db, w.workspaceId, { from: new Date(+w.now - 30 * 86_400_000), to: w.now, groupBy: 'platform' })).total.inbound, async () => {});
    results.push(metrics);
    log(`  ${metrics.name}: p50 ${fmt(metrics.p50, 0)} ms, max ${fmt(metrics.p99, 0)} ms (${fmt(metrics.rows, 0)} inbound items)`);
    const threads = Math.floor(items / 4);
    const open = await timeIt('open a conversation', queries, OPEN_TARGET, async (i) => {
      const id = 1 + ((i * 7919) % threads);
      return (await getConversation(db, w.workspaceId, id, null))?.items.length ?? 0;
    }, async () => {});
    results.push(open);
    log(`  ${open.name}: p50 ${fmt(open.p50, 1)} ms, p95 ${fmt(open.p95, 1)} ms, p99 ${fmt(open.p99, 1)} ms (${fmt(open.rows, 1)} items)`);

    for (const r of results.filter((x) => x.p95 >= x.target)) {
      log(`\n-- ${kind}: "${r.name}" misses its target (p95 ${fmt(r.p95, 1)} ms ≥ ${r.target} ms); plan of its slowest query:`);
      await r.slowest();
    }
    const [{ size }] = await db.query<{ size: number }>(`select pg_database_size(current_database())::float8 as size`);
    return { kind, items, loadS, sweep: swept / sweepS, results, peak: mem.stop(), cpu: cpu(), size };
  } finally {
    await db.close();
    await fresh.cleanup();
  }
}

async function main() {
  const a = args();
  const items = Number(a.items ?? 1_000_000);
  const queries = Number(a.queries ?? 200);
  const kinds: Kind[] = a.db === 'both' || !a.db ? ['postgres', 'pglite'] : [a.db as Kind];
  const log = (m: string) => console.log(m);
  const all = [];
  for (const k of kinds) all.push(await runOne(k, items, queries, log));
  console.log('\n== summary (ms; targets: list/search p95 < 100 PostgreSQL, < 300 PGlite; open p95 < 100)');
  for (const r of all) {
    console.log(`\n${r.kind}: ${fmt(r.items)} items, load ${fmt(r.loadS, 0)} s, SLA sweep ${fmt(r.sweep)} conversations/s, database ${MB(r.size)}, peak RSS ${MB(r.peak.rss)}, machine CPU busy ${fmt(r.cpu * 100)} %`);
    console.log('| query | p50 | p95 | p99 | rows | target p95 | |');
    console.log('|---|---|---|---|---|---|---|');
    for (const x of r.results) console.log(`| ${x.name} | ${fmt(x.p50, 1)} | ${fmt(x.p95, 1)} | ${fmt(x.p99, 1)} | ${fmt(x.rows, 0)} | < ${x.target} | ${x.p95 < x.target ? 'PASS' : 'FAIL'} |`);
  }
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
