// The commons at scale: 1,000,000 items from 100,000 persons on 5 platforms over a year, on
// PostgreSQL; then the interaction graph and every community figure for the last 90 days.
//
//   node --import tsx bench/commons.ts [--items 1000000] [--persons 100000] [--runs 3] [--view]
//
// Data is made straight in SQL (generate_series), as ingest would have left it before linking:
// every account an identity with a person of its own, 30 % of members with a second account on
// another platform (same handle and name, a separate person until linked; two in five of these
// pairs involve an e-mail account, whose handle is no evidence, see the truth printed after
// linking). 50 communities with their own vocabulary (German and English), 70 % of items replies
// inside their community, 2 % across, 3 % with an @mention, 1 % quoting an earlier item by its
// link, 10 % from the team.
// Database commons_bench_<random> on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// dropped afterwards. Prints wall time per step, p50/p95/p99 of the whole analysis, the graph
// view's size and a ForceAtlas2 layout of it (what the browser's worker does), and peak memory.
// With --view (needs `npm run build:web`): the app on 127.0.0.1 over the same database and Debian's
// chromium with software WebGL open the community page; prints the time until the graph is drawn
// and laid out, and the frame rate while the camera pans and zooms over it.
// For finding slow plans: COMMONS_BENCH_EXPLAIN=1 prints the item generator's plan and stops;
// COMMONS_BENCH_KEEP=1 keeps the database (drop it yourself).
// Target (issue 6): graph and all figures under 60 s and 2 GB.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { UndirectedGraph } from 'graphology';
import fa2Cjs from 'graphology-layout-forceatlas2';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { analyse } from '../src/commons/analysis.js';
import { VIEW_MAX_EDGES, VIEW_MAX_NODES } from '../src/commons/routes.js';
import { linkIdentities } from '../src/people/link.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app.js';
import { buildServer } from '../src/http/server.js';

const forceAtlas2 = fa2Cjs as unknown as typeof fa2Cjs.default;
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const ITEMS = Number(arg('items', '1000000'));
const PERSONS = Number(arg('persons', '100000'));
const RUNS = Number(arg('runs', '3'));
const VIEW = process.argv.includes('--view');
const WS = '00000000-0000-4000-8000-0000000000c1';
const END = new Date('2026-11-25T00:00:00Z');
const DAY = 86_400_000;
const PLATFORMS = ['mastodon', 'bluesky', 'facebook', 'forum', 'email'];

// Per community three topic words; German communities (even) and English ones (odd).
const DE = ['Buslinie', 'Fahrplan', 'Haltestelle', 'Freibad', 'Bücherei', 'Radweg', 'Baustelle', 'Stromausfall', 'Wasserrohr', 'Müllabfuhr', 'Spielplatz', 'Stadtfest', 'Parkplatz', 'Straßenbahn', 'Kita', 'Schule', 'Hafen', 'Markt', 'Theater', 'Sportverein', 'Friedhof', 'Brücke', 'Glasfaser', 'Wärmepumpe', 'Solaranlage'];
const EN = ['tram', 'timetable', 'library', 'swimming', 'bicycle', 'roadworks', 'outage', 'recycling', 'playground', 'festival', 'parking', 'school', 'harbour', 'market', 'theatre', 'football', 'bridge', 'broadband', 'heating', 'solar', 'garden', 'museum', 'hospital', 'concert', 'cinema'];

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * p) - 1)];

function dataSql(): string[] {
  const vocab = (words: string[]) => `array[${words.map((w) => `'${w}'`).join(',')}]`;
  return [
    `insert into workspaces (id, slug, name) values ('${WS}', 'commons-bench', 'Commons bench')`,
    `insert into connections (id, workspace_id, platform, name) select ('00000000-0000-4000-8000-00000000020' || g)::uuid, '${WS}', (array[${PLATFORMS.map((p) => `'${p}'`).join(',')}])[g + 1], 'c' from generate_series(0, 4) g`,
    // Members 1..P; person j is in community j % 50, at home on platform (j / 50) % 5. The team is person P + 1.
    `insert into persons (id, workspace_id, display_name, first_seen_at) select j, '${WS}', 'Mitglied ' || j, '2025-01-01' from generate_series(1, ${PERSONS + 1}) j`,
    `insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
     select '${WS}', (array[${PLATFORMS.map((p) => `'${p}'`).join(',')}])[(j / 50) % 5 + 1], 'u' || j, '@m' || j, 'Mitglied ' || j, j, '2025-01-01' from generate_series(1, ${PERSONS}) j`,
    // Second accounts, before linking a person of their own (ids above the team).
    `insert into persons (id, workspace_id, display_name, first_seen_at) select ${PERSONS + 1} + j, '${WS}', 'Mitglied ' || j, '2025-01-01' from generate_series(1, ${PERSONS}) j where j % 10 < 3`,
    `insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
     select '${WS}', (array[${PLATFORMS.map((p) => `'${p}'`).join(',')}])[((j / 50) + 1) % 5 + 1], 'v' || j, '@m' || j, 'Mitglied ' || j, ${PERSONS + 1} + j, '2025-01-01' from generate_series(1, ${PERSONS}) j where j % 10 < 3`,
    `insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
     select '${WS}', p, 'team-' || p, '@stadtwerke', 'Stadtwerke', ${PERSONS + 1}, '2025-01-01' from unnest(array[${PLATFORMS.map((p) => `'${p}'`).join(',')}]) p`,
    // Authors by (platform, community), numbered, to pick one by a hash of the item number.
    `create temporary table bench_authors as
     select d.id as identity_id, d.handle, array_position(array[${PLATFORMS.map((p) => `'${p}'`).join(',')}], d.platform) - 1 as p,
       (substr(d.platform_user_id, 2)::int % 50) as c,
       row_number() over (partition by d.platform, substr(d.platform_user_id, 2)::int % 50 order by d.id) - 1 as r
     from identities d where d.workspace_id = '${WS}' and d.platform_user_id not like 'team-%'`,
    `create index on bench_authors (p, c, r)`,
    `create temporary table bench_counts as select p, c, count(*) as n from bench_authors group by 1, 2`,
    `analyze bench_authors`,
    // Item g: platform g % 5, community (g / 5) % 50, spread evenly over the year before END; a
    // fifth of the members write from the start, the others join over the year (newcomers).
    `insert into items (workspace_id, connection_id, platform, platform_id, kind, parent_id, author_platform_id, author_handle, text, created_at, stage,
       search, language, direction, identity_id, permalink, links)
     with x0 as (
       select g, g % 5 as p, (g / 5) % 50 as c,
         timestamptz '${END.toISOString()}' - make_interval(secs => (${ITEMS} - g) * (365 * 86400.0 / ${ITEMS})) as at,
         case when g % 10 < 7 and g > 2000 then g - 250 * (1 + (g * 7919) % 8)
              when g % 50 = 7 and g > 2000 then g - 5 * (1 + (g * 104729) % 300) end as parent,
         concat_ws(' ',
           case when (g / 5) % 50 % 2 = 0 then (${vocab(DE)})[(g / 5) % 50 / 2 + 1] else (${vocab(EN)})[(g / 5) % 50 / 2 + 1] end,
           case when (g / 5) % 50 % 2 = 0 then (${vocab(DE)})[((g / 5) % 50 / 2 + 7) % 25 + 1] else (${vocab(EN)})[((g / 5) % 50 / 2 + 7) % 25 + 1] end,
           case when (g / 5) % 50 % 2 = 0 then (${vocab(DE)})[(g * 31) % 25 + 1] else (${vocab(EN)})[(g * 31) % 25 + 1] end,
           case when (g / 5) % 50 % 2 = 0 then 'Wann geht es endlich weiter? Danke für die Infos' else 'When does it continue? Thanks for the update' end,
           case when g % 33 = 0 then '@m' || ((g / 5) % 50 + 50 * ((g * 17) % ${Math.floor(PERSONS / 50)})) end) as txt,
         (g * 2654435761) % 1000003 as h,
         -- The team writes one item in ten; a reply's parent (250·k earlier) is the team's now and then.
         ((g / 250) * 7 + g) % 10 = 0 as team
       from generate_series(1::bigint, ${ITEMS}) g),
     -- The author's number first (integer arithmetic), kept, so the join to the authors is on
     -- equal keys: folded into one join the planner filtered every author of a community per item.
     x as materialized (
       select x0.*, x0.h % greatest(1, n.n * (200000 + 800000 * x0.g / ${ITEMS}) / 1000000) as r
       from x0 join bench_counts n on n.p = x0.p and n.c = x0.c),
     team as (select d.id, array_position(array[${PLATFORMS.map((p) => `'${p}'`).join(',')}], d.platform) - 1 as p from identities d where d.workspace_id = '${WS}' and d.platform_user_id like 'team-%')
     select '${WS}', ('00000000-0000-4000-8000-00000000020' || x.p)::uuid, (array[${PLATFORMS.map((p) => `'${p}'`).join(',')}])[x.p + 1], 'i' || x.g,
       case when x.parent is null then 'post' else 'reply' end, case when x.parent is null then null else 'i' || x.parent end,
       null, a.handle, x.txt, x.at, 'done', to_tsvector(case when x.c % 2 = 0 then 'german' else 'english' end::regconfig, x.txt),
       case when x.c % 2 = 0 then 'de' else 'en' end, case when x.team then 'outbound' else 'inbound' end,
       case when x.team then t.id else a.identity_id end, 'https://example.org/i' || x.g,
       case when x.g % 100 = 3 and x.g > 1000 then array['https://example.org/i' || (x.g - 1000)] else '{}' end
     from x
     join bench_authors a on a.p = x.p and a.c = x.c and a.r = x.r
     join team t on t.p = x.p`,
    // As a database in use would be: hint bits set and the visibility map current.
    `vacuum analyze`,
  ];
}

/** The browser worker's layout (web/src/pages/commons/layout.worker.ts): rounds of 10 iterations, 15 at most, none started after 15 s. */
async function layoutOnce(nodes: number, edges: [number, number, number, number][]): Promise<{ ms: number; iterations: number }> {
  const g = new UndirectedGraph();
  for (let i = 0; i < nodes; i++) g.addNode(i, { x: Math.cos(i) * 100 * Math.random(), y: Math.sin(i) * 100 * Math.random() });
  for (const [a, b, w] of edges) g.mergeEdge(a, b, { weight: w });
  const t = performance.now();
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: true, edgeWeightInfluence: 0.5 };
  let iterations = 0;
  while (iterations < 150 && performance.now() - t < 15_000) {
    forceAtlas2.assign(g, { iterations: 10, settings, getEdgeWeight: 'weight' });
    iterations += 10;
  }
  return { ms: performance.now() - t, iterations };
}

/** The community page in a real browser over the bench database: drawing time and frame rate. */
async function measureView(url: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'commons-bench-view-'));
  const app = await openApp(loadConfig({ DATABASE_URL: url, ALLMENDE_DATA: dataDir, LOG_LEVEL: 'warn' }), { workers: false });
  const server = await buildServer(app, { logger: false });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run'] });
  try {
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const setup = await server.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'bench@example.org', name: 'Bench', password: 'a long bench password', workspaceName: 'Setup' } });
    if (setup.statusCode !== 200) throw new Error(`setup: ${setup.body}`);
    await app.db.query(`insert into memberships (workspace_id, user_id, role) select '${WS}', id, 'owner' from users where email = 'bench@example.org'`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE' });
    page.setDefaultTimeout(300_000);
    await page.goto(base);
    await page.evaluate((slug) => localStorage.setItem('allmende.workspace', slug), 'commons-bench');
    await page.getByTestId('login-email').fill('bench@example.org');
    await page.getByTestId('login-password').fill('a long bench password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();
    const t = performance.now();
    await page.goto(`${base}/#/commons`);
    const graph = page.getByTestId('commons-graph');
    await graph.waitFor();
    const drawn = performance.now() - t;
    await page.waitForFunction(() => document.querySelector('[data-testid="commons-graph"]')?.getAttribute('data-state') === 'ready', null, { timeout: 300_000 });
    const laidOut = performance.now() - t;
    const nodes = await graph.getAttribute('data-nodes');
    const edges = await graph.getAttribute('data-edges');
    await graph.scrollIntoViewIfNeeded();
    const box = (await graph.boundingBox())!;
    // Frames drawn while the mouse drags and wheels over the graph for five seconds.
    // A string, not a function: the TypeScript loader would add helpers the page does not have.
    await page.evaluate('window.frames_ = []; (function tick(ts) { if (ts) window.frames_.push(ts); requestAnimationFrame(tick); })()');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const end = Date.now() + 5000;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; Date.now() < end; i++) {
      await page.mouse.move(cx + 200 * Math.sin(i / 10), cy + 150 * Math.cos(i / 10));
      if (i % 20 === 10) { await page.mouse.up(); await page.mouse.wheel(0, i % 40 === 10 ? -300 : 300); await page.mouse.down(); }
    }
    await page.mouse.up();
    const frames = await page.evaluate('window.frames_') as number[];
    const gaps = frames.slice(1).map((f, i) => f - frames[i]);
    console.log(`view: ${nodes} persons, ${edges} connections; page shown after ${secs(drawn)}, laid out after ${secs(laidOut)}`);
    console.log(`view while panning and zooming (software WebGL, no GPU): ${(frames.length / 5).toFixed(0)} frames/s, frame time p50 ${pct(gaps, 0.5).toFixed(0)} ms, p95 ${pct(gaps, 0.95).toFixed(0)} ms, p99 ${pct(gaps, 0.99).toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(db: Db) {
  let t = performance.now();
  for (const [i, sql] of dataSql().entries()) {
    if (process.env.COMMONS_BENCH_EXPLAIN && sql.startsWith('insert into items')) { console.log((await db.query('explain ' + sql)).map((r) => r['QUERY PLAN']).join('\n')); process.exit(0); }
    await db.exec(sql);
    process.stdout.write(`\rgenerating: step ${i + 1} of ${dataSql().length}, ${secs(performance.now() - t)}   `);
  }
  const [{ items, identities }] = await db.query<{ items: number; identities: number }>(`select (select count(*) from items)::int as items, (select count(*) from identities)::int as identities`);
  console.log(`\ngenerated ${items.toLocaleString('en')} items, ${identities.toLocaleString('en')} identities in ${secs(performance.now() - t)}`);

  // The people helper's linker: the second accounts share handle and name with the first.
  t = performance.now();
  const linked = await linkIdentities(db, WS);
  console.log(`identity linking: ${secs(performance.now() - t)} for ${linked.identities.toLocaleString('en')} identities, ${linked.strong.toLocaleString('en')} strong and ${linked.weak.toLocaleString('en')} weak pairs, ${linked.merged.toLocaleString('en')} merges`);
  // The truth: member j's accounts are u<j> and v<j>. Not every pair is evidence for the linker: an
  // e-mail account has no handle (an address is made from the name and its From line can be
  // forged), and a handle base under 4 characters ("m12") is too common to count.
  const truth = await db.query<{ kind: string; pairs: number; linked: number }>(
    `select case when a.platform = 'email' or b.platform = 'email' then 'with an e-mail account' when length(a.handle) < 5 then 'handle under 4 characters' else 'same handle and name' end as kind,
       count(*)::int as pairs, count(*) filter (where a.person_id = b.person_id)::int as linked
     from identities a join identities b on b.workspace_id = a.workspace_id and b.platform_user_id = 'v' || substr(a.platform_user_id, 2)
     where a.workspace_id = $1 and a.platform_user_id like 'u%' group by 1 order by 1`, [WS]);
  const [{ wrong }] = await db.query<{ wrong: number }>(
    `select count(*)::int as wrong from (select person_id from identities where workspace_id = $1 and platform_user_id ~ '^[uv][0-9]'
     group by person_id having count(distinct substr(platform_user_id, 2)) > 1) x`, [WS]);
  console.log(`  linking against the truth: ${truth.map((x) => `${x.kind}: ${x.linked.toLocaleString('en')} of ${x.pairs.toLocaleString('en')} linked`).join('; ')}; ${wrong} persons holding two members (false merges)`);

  const period = { workspaceId: WS, from: new Date(+END - 90 * DAY), to: END };
  const walls: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    t = performance.now();
    const a = await analyse(db, period);
    const analysed = performance.now() - t;
    const g0 = performance.now();
    const view = await a.graph(VIEW_MAX_NODES, VIEW_MAX_EDGES);
    const viewMs = performance.now() - g0;
    walls.push(analysed + viewMs);
    const f = a.figures;
    console.log(`run ${run}: analysis ${secs(analysed)} (${Object.entries(f.timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')}), graph view ${secs(viewMs)}`);
    if (run === 1) {
      console.log(`  ${f.persons.toLocaleString('en')} persons, interactions ${JSON.stringify(f.interactions)}, commons ratio ${f.commons.ratio?.toFixed(3)} over ${f.commons.trend.length} weeks`);
      console.log(`  ${f.clusters.count} clusters (modularity ${f.clusters.modularity.toFixed(3)}); cluster 1 terms: ${f.clusters.described[0]?.terms.map((x) => x.term).join(', ')}; cluster 2: ${f.clusters.described[1]?.terms.map((x) => x.term).join(', ')}`);
      console.log(`  top connector betweenness ${f.connectors[0]?.betweenness.toExponential(2)}; newcomers ${f.newcomers.count} (answered ${((f.newcomers.answeredShare ?? 0) * 100).toFixed(0)} %, returned ${((f.newcomers.returnedShare ?? 0) * 100).toFixed(0)} %); ${f.retention.length} cohorts`);
      const json = JSON.stringify(view);
      console.log(`  graph view: ${view.nodes.length.toLocaleString('en')} nodes, ${view.edges.length.toLocaleString('en')} edges (left out: ${view.truncated.nodes} nodes, ${view.truncated.edges} edges), ${mb(json.length)} of JSON`);
      const layout = await layoutOnce(view.nodes.length, view.edges);
      console.log(`  ForceAtlas2 on the view as the browser worker runs it: ${layout.iterations} iterations in ${secs(layout.ms)}`);
    }
  }
  console.log(`analysis + graph view, ${RUNS} runs: p50 ${secs(pct(walls, 0.5))}, p95 ${secs(pct(walls, 0.95))}, p99 ${secs(pct(walls, 0.99))}`);
  const [{ size }] = await db.query<{ size: string }>(`select pg_size_pretty(pg_database_size(current_database())) as size`);
  console.log(`database size ${size}`);
}

console.log(`commons bench on PostgreSQL: ${ITEMS.toLocaleString('en')} items, ${PERSONS.toLocaleString('en')} persons, 5 platforms, ${RUNS} runs`);
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `commons_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database ${name}`);
const wall = performance.now();
try {
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString() });
  await migrate(db);
  await measure(db);
  await db.close();
  if (VIEW) await measureView(url.toString());
} finally {
  if (process.env.COMMONS_BENCH_KEEP) console.log(`kept ${name}`); else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  clearInterval(sampler);
}
console.log(`wall time ${secs(performance.now() - wall)}; peak memory (this process, RSS) ${mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))}`);
