// Inbox list views, search and opening a conversation on a large synthetic workspace.
//
//   node --import tsx bench/inbox-scale.ts [--db pglite|postgres] [--conversations 250000] [--runs 20]
//
// Builds the workspace straight in SQL (4 items per conversation: 250,000 conversations are
// 1,000,000 items, with German/English tsvectors like the analyse stage makes), so the figures are
// about the reads, not ingest. PGlite runs in a temporary folder; PostgreSQL in a new database
// allmende_bench_inbox_<random> on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// both removed afterwards. Prints p50/p95 per list filter and for opening a conversation.
// Targets (issue 3): p95 < 100 ms on PostgreSQL, < 300 ms on PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { listConversations, listFilters } from '../src/inbox/list.js';
import { getConversation } from '../src/inbox/view.js';

const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const kind = arg('db', 'pglite') as 'pglite' | 'postgres';
const convs = Number(arg('conversations', '250000'));
const runs = Number(arg('runs', '20'));
const WS = '00000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000205';

const DATA = [
  `insert into workspaces (id, slug, name) values ('${WS}', 'big', 'Big')`,
  `insert into connections (id, workspace_id, platform, name) select ('00000000-0000-4000-8000-00000000010' || g)::uuid, '${WS}', (array['mastodon','bluesky','x','forum','email'])[g], 'c' from generate_series(1, 5) g`,
  `insert into users (id, email, name, password_hash) select ('00000000-0000-4000-8000-0000000002' || lpad(g::text, 2, '0'))::uuid, 'u' || g || '@x.org', 'U' || g, 'x' from generate_series(1, 20) g`,
  // 3/8 active, a third unassigned, some labels, 60 % German; one conversation a minute back in time.
  `insert into conversations (workspace_id, connection_id, platform, thread_key, status, assignee_user_id, labels, language, last_item_at, first_inbound_at, item_count, inbound_count)
   select '${WS}', ('00000000-0000-4000-8000-00000000010' || (g % 5 + 1))::uuid, (array['mastodon','bluesky','x','forum','email'])[g % 5 + 1], 't' || g,
     (array['new','open','waiting','done','done','done','done','done'])[g % 8 + 1],
     case when g % 3 = 0 then null else ('00000000-0000-4000-8000-0000000002' || lpad((g % 20 + 1)::text, 2, '0'))::uuid end,
     case when g % 17 = 0 then array['Lob'] when g % 29 = 0 then array['Beschwerde'] else '{}' end,
     case when g % 10 < 6 then 'de' else 'en' end,
     now() - make_interval(secs => g * 60), now() - make_interval(secs => g * 60 + 3600), 4, 4
   from generate_series(1, ${convs}) g`,
  `insert into items (workspace_id, connection_id, platform, platform_id, kind, thread_id, author_platform_id, author_handle, text, created_at, stage, search, conversation_id, language)
   select c.workspace_id, c.connection_id, c.platform, c.thread_key || '-' || k, 'comment', c.thread_key, 'a' || ((c.id * 7 + k) % 50000), '@a' || ((c.id * 7 + k) % 50000),
     t.txt, c.last_item_at - make_interval(secs => k * 60), 'done', to_tsvector(case when c.language = 'de' then 'german'::regconfig else 'english'::regconfig end, t.txt), c.id, c.language
   from conversations c cross join generate_series(1, 4) k
   cross join lateral (select (array['Wann fährt der Bus nach Nordstadt wieder?', 'Die Straßenbahn hatte heute Verspätung', 'Danke für die schnelle Hilfe!', 'Wasserrohrbruch in der Hauptstraße ' || c.id,
     'The tram was delayed again this morning', 'Thanks for the quick answer', 'When will the swimming pool reopen?', 'Fahrradwege in der Innenstadt ' || (c.id % 1000)])[(c.id + k) % 8 + 1] as txt) t`,
  `update conversations c set last_item_id = m.id from (select conversation_id, max(id) as id from items group by 1) m where m.conversation_id = c.id`,
  `analyze`,
];

const CASES: Record<string, Record<string, string>> = {
  'default (new, open, waiting)': {}, 'all statuses': { status: 'new,open,waiting,done' }, done: { status: 'done' },
  mine: { view: 'mine' }, unassigned: { view: 'unassigned' }, platform: { platform: 'x' }, language: { language: 'en' },
  label: { labels: 'Beschwerde' }, 'moderation flag': { flagged: 'true' },
  'date range': { from: new Date(Date.now() - 86400e3 * 30).toISOString(), to: new Date(Date.now() - 86400e3 * 20).toISOString(), status: 'new,open,waiting,done' },
  'search German (stem)': { q: 'Verspätungen', status: 'new,open,waiting,done' }, 'search English (stem)': { q: 'delays', status: 'new,open,waiting,done' },
  'search rare words': { q: 'Wasserrohrbruch 4711', status: 'new,open,waiting,done' }, 'search common, active': { q: 'Danke' },
  'search, no match in filter': { q: 'Bus' },
};

const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];

async function measure(db: Db) {
  const t0 = performance.now();
  for (const sql of DATA) await db.exec(sql);
  console.log(`built ${convs.toLocaleString('en')} conversations, ${(convs * 4).toLocaleString('en')} items in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  for (const [name, q] of Object.entries(CASES)) {
    const f = listFilters.parse(q);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      rows = (await listConversations(db, WS, USER, f)).conversations.length;
      times.push(performance.now() - s);
    }
    console.log(`${name.padEnd(30)} ${String(rows).padStart(3)} rows  p50 ${pct(times, 0.5).toFixed(1).padStart(7)} ms  p95 ${pct(times, 0.95).toFixed(1).padStart(7)} ms`);
  }
  const ids = (await db.query<{ id: number }>(`select id from conversations order by random() limit ${runs}`)).map((r) => r.id);
  const open: number[] = [];
  for (const id of ids) { const s = performance.now(); await getConversation(db, WS, id, null); open.push(performance.now() - s); }
  console.log(`${'open a conversation'.padEnd(30)}          p50 ${pct(open, 0.5).toFixed(1).padStart(7)} ms  p95 ${pct(open, 0.95).toFixed(1).padStart(7)} ms`);
}

console.log(`inbox scale bench on ${kind}, ${runs} runs per case`);
if (kind === 'pglite') {
  const dir = mkdtempSync(join(tmpdir(), 'allmende-inbox-bench-'));
  try {
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await measure(db);
    await db.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
} else {
  const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `allmende_bench_inbox_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = await openDb({ databaseUrl: url.toString() });
    await migrate(db);
    await measure(db);
    await db.close();
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
