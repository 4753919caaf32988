// The people lists at scale, through the real routes: everyone (filters, sorting, search, pages,
// segments, CSV) and keep in touch, on 100,000 persons and 1,000,000 items.
//
//   node --import tsx bench/people-lists.ts [--persons 100000] [--items 1000000] [--rounds 20] [--db postgres|pglite]
//
// Data made in SQL over the year before now: one account per member on one of 5 platforms,
// threads of 8 items (each a reply to the one before), two in three threads answered by the team,
// 30 % of items from a core of 5 % of the members (so there are contributors and leaders), the
// others from members who join over the year (newcomers at the end); 2 % tagged "Presse", two
// saved segments. Then: the first request (computes every person's figures once), what the lists
// cost before migration 015 (personStats over the whole workspace, once per request), and
// `--rounds` rounds in which 10 new items come in through POST /api/v1/items and every list request
// runs once: p50/p95/p99 per request, and memory. PostgreSQL: database people_lists_<random> on
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards;
// PGlite: a temporary folder. PEOPLE_LISTS_KEEP=1 keeps the PostgreSQL database (drop it yourself);
// PEOPLE_LISTS_DB=<name> measures again on such a kept database (pending migrations are applied,
// nothing is generated; the rounds' new items stay in it).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app.js';
import { buildServer } from '../src/http/server.js';
import { personStats } from '../src/people/stats.js';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : d; };
const PG = arg('db', 'postgres') === 'postgres';
const PERSONS = Number(arg('persons', PG ? '100000' : '10000'));
const ITEMS = Number(arg('items', PG ? '1000000' : '100000'));
const ROUNDS = Number(arg('rounds', '20'));
const PLATFORMS = ['mastodon', 'bluesky', 'facebook', 'forum', 'email'];
const FIRST = ['Anna', 'Jörg', 'Lena', 'Kai', 'Mira', 'Jonas', 'Ute', 'Peter', 'Sophie', 'Otto', 'Nina', 'Karla', 'Dieter', 'Lisa', 'Emre', 'Aylin', 'Tom', 'Eva', 'Ben', 'Lea'];
const LAST = ['Berg', 'Müller', 'Krause', 'Wagner', 'Hahn', 'Keller', 'Lange', 'Kern', 'Ohm', 'Neu', 'Schmidt', 'Yilmaz', 'Fischer', 'Weber', 'Becker', 'Schulz', 'Koch', 'Richter', 'Wolf', 'Braun'];

let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * p) - 1)];
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const list = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;

function dataSql(ws: string, end: Date): string[] {
  const span = 365 * 86400;
  const threads = Math.ceil(ITEMS / 8);
  return [
    `insert into connections (workspace_id, platform, name, settings) select '${ws}', p, 'bench-' || p, jsonb_build_object('ownAccounts', jsonb_build_array('team-' || p)) from unnest(${list(PLATFORMS)}) p`,
    `insert into persons (id, workspace_id, display_name, first_seen_at, tags)
     select j, '${ws}', (${list(FIRST)})[j % 20 + 1] || ' ' || (${list(LAST)})[(j / 20) % 20 + 1], '${end.toISOString()}'::timestamptz - interval '1 year',
       case when j % 50 = 0 then array['Presse'] else '{}' end from generate_series(1, ${PERSONS + 1}) j`,
    `select setval(pg_get_serial_sequence('persons', 'id'), ${PERSONS + 1})`,
    `insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
     select '${ws}', (${list(PLATFORMS)})[j % 5 + 1], 'u' || j, '@member' || j, (${list(FIRST)})[j % 20 + 1] || ' ' || (${list(LAST)})[(j / 20) % 20 + 1], j, now() from generate_series(1, ${PERSONS}) j`,
    `insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
     select '${ws}', p, 'team-' || p, 'team-' || p, 'Stadtwerke', ${PERSONS + 1}, now() from unnest(${list(PLATFORMS)}) p`,
    `insert into conversations (id, workspace_id, connection_id, platform, thread_key, last_item_at) overriding system value
     select k + 1, '${ws}', c.id, c.platform, 't' || k, now() from generate_series(0, ${threads - 1}) k
     join connections c on c.workspace_id = '${ws}' and c.platform = (${list(PLATFORMS)})[k % 5 + 1]`,
    `select setval(pg_get_serial_sequence('conversations', 'id'), ${threads})`,
    // Item g: thread (g-1)/8, place (g-1)%8; the 8th of two threads in three is the team's answer.
    `insert into items (workspace_id, connection_id, platform, platform_id, kind, thread_id, parent_id, author_platform_id, author_handle, author_name,
       text, created_at, stage, direction, identity_id, conversation_id)
     with x as (
       select g, (g - 1) / 8 as k, (g - 1) % 8 as pos, (g * 2654435761) % 1000003 as h,
         timestamptz '${end.toISOString()}' - make_interval(secs => (${ITEMS} - g) * (${span}.0 / ${ITEMS})) as at
       from generate_series(1::bigint, ${ITEMS}) g
     ), y as (
       select x.*, x.pos = 7 and x.k % 3 <> 0 as team,
         case when x.h % 10 < 3 then 1 + x.h % ${Math.max(1, Math.floor(PERSONS / 20))}
              else 1 + x.h % greatest(1, (${PERSONS} * (0.2 + 0.8 * x.g / ${ITEMS}))::bigint) end as j
       from x)
     select '${ws}', c.connection_id, c.platform, 'i' || y.g, case when y.pos = 0 then 'post' else 'reply' end, 't' || y.k,
       case when y.pos > 0 then 'i' || (y.g - 1) end, d.platform_user_id, d.handle, d.display_name,
       'Wann fährt die Linie ' || (y.g % 40) || ' wieder?', y.at, 'done', case when y.team then 'outbound' else 'inbound' end, d.id, y.k + 1
     from y join conversations c on c.id = y.k + 1
     join identities d on d.workspace_id = '${ws}' and d.platform_user_id = case when y.team then 'team-' || c.platform else 'u' || y.j end`,
    `update conversations c set item_count = a.n, inbound_count = a.nin, first_inbound_at = a.fin, last_inbound_at = a.lin,
       first_outbound_at = a.fout, last_outbound_at = a.lout, last_item_at = a.last_at, status = case when a.lout is null then 'open' else 'waiting' end
     from (select conversation_id, count(*)::int as n, count(*) filter (where direction = 'inbound')::int as nin,
             min(created_at) filter (where direction = 'inbound') as fin, max(created_at) filter (where direction = 'inbound') as lin,
             min(created_at) filter (where direction = 'outbound') as fout, max(created_at) filter (where direction = 'outbound') as lout,
             max(created_at) as last_at from items where workspace_id = '${ws}' group by conversation_id) a
     where c.id = a.conversation_id`,
    `insert into person_segments (workspace_id, name, filters, quiet_days) values
       ('${ws}', 'Presse', '{"tags": ["Presse"]}', 7), ('${ws}', 'Kern', '{"level": "contributor"}', 14)`,
    `analyze`,
  ];
}

async function main(databaseUrl: string | undefined, dataDir: string) {
  const app = await openApp(loadConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ALLMENDE_DATA: dataDir, LOG_LEVEL: 'warn' }), { workers: false });
  const server = await buildServer(app, { logger: false });
  try {
    const REUSE = !!process.env.PEOPLE_LISTS_DB;
    const email = 'bench@example.org', password = 'a long bench password';
    const session = REUSE
      ? await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
      : await server.inject({ method: 'POST', url: '/api/v1/setup', payload: { email, name: 'Bench', password, workspaceName: 'Bench' } });
    if (session.statusCode !== 200) throw new Error(`setup: ${session.body}`);
    const cookie = [session.headers['set-cookie'] ?? []].flat().find((h) => h.startsWith('allmende_session='))!.split(';')[0];
    const me = (await server.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    const headers = { cookie, 'x-csrf-token': me.csrfToken, 'x-workspace': me.workspaces[0].slug };
    const token = (await server.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'bench', role: 'manager' } })).json().token;
    const [{ id: ws }] = await app.db.query<{ id: string }>(`select id from workspaces`);
    const end = new Date();
    let t = performance.now();
    const steps = REUSE ? [] : dataSql(ws, end);
    for (const [i, sql] of steps.entries()) {
      const s = performance.now();
      await app.db.exec(sql);
      console.log(`  generating ${i + 1}/${steps.length}: ${((performance.now() - s) / 1000).toFixed(1)} s`);
    }
    const [{ items, persons }] = await app.db.query<any>(`select (select count(*)::int from items) as items, (select count(*)::int from persons) as persons`);
    console.log(`generated ${items.toLocaleString('en')} items, ${persons.toLocaleString('en')} persons in ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`);

    const get = async (url: string) => {
      const res = await server.inject({ method: 'GET', url: `/api/v1${url}`, headers });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res;
    };
    t = performance.now();
    const before = process.cpuUsage();
    await get('/people?limit=50');
    const cpu = process.cpuUsage(before);
    console.log(`first request (computes every person's figures, kept from then on): ${((performance.now() - t) / 1000).toFixed(1)} s, Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (load ${load()})`);
    t = performance.now();
    const all = REUSE ? [] : await personStats(app.db, ws, new Date(), null);
    if (!REUSE) console.log(`before migration 015 every list request recounted all (personStats of ${all.length.toLocaleString('en')} persons): ${((performance.now() - t) / 1000).toFixed(1)} s; keep in touch did it 1 + segments = 3 times (load ${load()})`);

    const segs = (await get('/people/segments')).json().segments as { id: string; name: string }[];
    const requests: [string, string][] = [
      ['list, page 1 of 50 (latest first)', '/people?limit=50'],
      ['list, page 21 (offset 1000)', '/people?limit=50&offset=1000'],
      ['list sorted by name', '/people?limit=50&sort=name'],
      ['list sorted by items (90 days)', '/people?limit=50&sort=items'],
      ['list sorted by team contact', '/people?limit=50&sort=team'],
      ['level contributor', '/people?limit=50&level=contributor'],
      ['level observer', '/people?limit=50&level=observer'],
      ['search "Berg"', `/people?limit=50&q=${encodeURIComponent('Berg')}`],
      ['platform bluesky', '/people?limit=50&platform=bluesky'],
      ['tag Presse', '/people?limit=50&tag=Presse'],
      ['segment Kern (contributors)', `/people?limit=50&segment=${segs.find((s) => s.name === 'Kern')!.id}`],
      ['keep in touch, all reasons, 50', '/people/keep-in-touch?limit=50'],
      ['keep in touch, quiet, 50', '/people/keep-in-touch?reason=quiet&limit=50'],
      ['keep in touch, dropped, 50', '/people/keep-in-touch?reason=dropped&limit=50'],
      ['keep in touch, newcomers, 50', '/people/keep-in-touch?reason=newcomer&limit=50'],
      ['CSV export, everyone', '/people?format=csv'],
    ];
    const times = new Map<string, number[]>(requests.map(([name]) => [name, []]));
    const sizes = new Map<string, string>();
    const ingest: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Ten new items in existing threads: members writing and the team answering.
      const batch = Array.from({ length: 10 }, (_, i) => {
        const k = Math.floor(Math.random() * ITEMS / 8);
        const p = k % 5;
        const j = 5 * Math.floor(Math.random() * (PERSONS / 5)) + p || 5;
        const team = i % 3 === 2;
        return { platform: PLATFORMS[p], connection: `bench-${PLATFORMS[p]}`, platformId: `new-${round}-${i}`, kind: 'reply', threadId: `t${k}`, parentId: `i${8 * k + 1}`,
          author: team ? { platformUserId: `team-${PLATFORMS[p]}`, handle: `team-${PLATFORMS[p]}` } : { platformUserId: `u${j}`, handle: `@member${j}` },
          text: `Neu ${round}.${i}`, createdAt: new Date().toISOString() };
      });
      let s = performance.now();
      const res = await server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(batch) });
      if (res.statusCode !== 200 && res.statusCode !== 207) throw new Error(`ingest: ${res.body}`);
      ingest.push(performance.now() - s);
      for (const [name, url] of requests) {
        if (name.startsWith('CSV') && round > 3) continue;
        s = performance.now();
        const r = await get(url);
        times.get(name)!.push(performance.now() - s);
        if (round === 1) sizes.set(name, url.includes('csv') ? `${r.body.split('\r\n').length - 2} rows, ${mb(r.body.length)}` : url.includes('keep') ? `${r.json().rows.length} rows` : `${r.json().people.length} of ${r.json().total}`);
      }
      process.stdout.write(`\rround ${round}/${ROUNDS} (load ${load()})   `);
    }
    console.log(`\n${PG ? 'PostgreSQL' : 'PGlite'}, ${items.toLocaleString('en')} items, ${persons.toLocaleString('en')} persons, ${ROUNDS} rounds, each after 10 new items (ingest p50 ${pct(ingest, 0.5).toFixed(0)} ms); load ${load()}`);
    console.log('| request | rows | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|');
    for (const [name] of requests) {
      const a = times.get(name)!;
      console.log(`| ${name} | ${sizes.get(name)} | ${pct(a, 0.5).toFixed(0)} | ${pct(a, 0.95).toFixed(0)} | ${pct(a, 0.99).toFixed(0)} |`);
    }
    console.log(`peak RSS of this process (app and bench in one) ${mb(Math.max(peak, process.resourceUsage().maxRSS * 1024))}`);
  } finally {
    await server.close();
    await app.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'people-lists-'));
try {
  if (PG) {
    const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const reuse = process.env.PEOPLE_LISTS_DB;
    if (reuse && !/^people_lists_[0-9a-f]+$/.test(reuse)) throw new Error('PEOPLE_LISTS_DB: a people_lists_… database kept by an earlier run');
    const name = reuse ?? `people_lists_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    if (!reuse) await admin.query(`create database ${name}`);
    try {
      const url = new URL(server); url.pathname = `/${name}`;
      await main(url.toString(), dataDir);
    } finally {
      if (process.env.PEOPLE_LISTS_KEEP || reuse) console.log(`kept ${name}`); else await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    await main(undefined, dataDir);
  }
} finally {
  clearInterval(sampler);
  rmSync(dataDir, { recursive: true, force: true });
}
