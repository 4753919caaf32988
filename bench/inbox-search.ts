// Inbox full-text search before and after the per-conversation search vector (007), on the
// bench/inbox.ts workspace, side by side on the same data and load: "before" is the list query
// as it was (a semi-join into the items' GIN index, SQL kept here), "after" is listConversations.
// Both return the whole page (every column, 50 rows). Each case runs every term of SEARCHES in
// turn; "no match" terms find nothing, which made the old plan walk every conversation.
//
//   node --import tsx bench/inbox-search.ts [--items 1000000] [--db postgres|pglite] [--queries 100]
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { listConversations, listFilters, SEARCH_QUERY, CONVERSATION_COLUMNS, CONVERSATION_JOINS } from '../src/inbox/list.js';
import { args, freshDatabase, fmt, percentile, cpuReader } from './ingest.js';
import { load, SEARCHES, PLATFORMS } from './inbox.js';

const TARGET = { postgres: 100, pglite: 300 };
const NO_MATCH = ['Stromausfall', 'Seilbahn', 'Hochwasser Nordstadt', 'snowstorm', 'Gleisbauarbeiten'];

/** The list query with search as it was before 007 (src/inbox/list.ts at d81a759), status and platform filters only. */
async function before(db: Db, workspaceId: string, q: string, statuses: string[], platform?: string) {
  const params: unknown[] = [workspaceId, statuses, q];
  const where = ['c.workspace_id = $1', 'c.first_inbound_at is not null', `(c.status = any($2::text[]) and (c.snoozed_until is null or c.snoozed_until <= now()))`,
    `c.id in (select s.conversation_id from items s where s.workspace_id = $1 and s.search @@ ${SEARCH_QUERY.replaceAll('$Q', '$3')})`];
  if (platform) { params.push([platform]); where.push(`c.platform = any($4::text[])`); }
  return db.query(`select ${CONVERSATION_COLUMNS}, c.last_item_at::text as sort_at from conversations c ${CONVERSATION_JOINS}
    where ${where.join(' and ')} order by c.last_item_at desc, c.id desc limit 51`, params);
}

async function main() {
  const a = args();
  const kind = (a.db ?? 'postgres') as 'postgres' | 'pglite';
  const items = Number(a.items ?? 1_000_000);
  const n = Number(a.queries ?? 100);
  const fresh = await freshDatabase(kind);
  const db = await openDb({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir });
  try {
    await migrate(db, () => {});
    const w = await load(db, items, (m) => console.log(m));
    const all = ['new', 'open', 'waiting', 'done'];
    const open = ['new', 'open', 'waiting'];
    type Case = [string, (i: number) => { q: string; statuses: string[]; platform?: string }];
    const cases: Case[] = [
      ['search, every status', (i) => ({ q: SEARCHES[i % SEARCHES.length], statuses: all })],
      ['search, open (default statuses)', (i) => ({ q: SEARCHES[i % SEARCHES.length], statuses: open })],
      ['search + platform', (i) => ({ q: SEARCHES[i % SEARCHES.length], statuses: all, platform: PLATFORMS[i % PLATFORMS.length] })],
      ['no match (rare word)', (i) => ({ q: NO_MATCH[i % NO_MATCH.length], statuses: all })],
    ];
    const cpu = cpuReader();
    const lines: string[] = [];
    for (const [name, c] of cases) {
      for (const [shape, run] of [
        ['before', (x: ReturnType<Case[1]>) => before(db, w.workspaceId, x.q, x.statuses, x.platform).then((r) => r.length)],
        ['after', (x: ReturnType<Case[1]>) => listConversations(db, w.workspaceId, w.userId, listFilters.parse({ q: x.q, status: x.statuses.join(','), ...(x.platform ? { platform: x.platform } : {}) })).then((r) => r.conversations.length)],
      ] as const) {
        const ms: number[] = [];
        let rows = 0;
        let worst = { ms: -1, i: 0 };
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          rows += await run(c(i));
          const d = performance.now() - t;
          ms.push(d);
          if (d > worst.ms) worst = { ms: d, i };
        }
        ms.sort((x, y) => x - y);
        if (shape === 'after' && percentile(ms, 0.95) >= TARGET[kind]) {
          // Every statement of the slowest search, with its plan.
          const sent: { sql: string; params: unknown[] }[] = [];
          const spy = { ...db, kind: db.kind, query: (sql: string, params?: unknown[]) => { sent.push({ sql, params: params ?? [] }); return db.query(sql, params); } } as Db;
          const x = c(worst.i);
          await listConversations(spy, w.workspaceId, w.userId, listFilters.parse({ q: x.q, status: x.statuses.join(','), ...(x.platform ? { platform: x.platform } : {}) }));
          console.log(`-- "${name}" after: p95 misses ${TARGET[kind]} ms; the slowest was "${x.q}" (${fmt(worst.ms, 1)} ms):`);
          for (const st of sent) {
            const plan = await db.query<any>(`explain (analyze, buffers) ${st.sql}`, st.params);
            console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
          }
        }
        const line = `| ${name} | ${shape} | ${fmt(percentile(ms, 0.5), 1)} | ${fmt(percentile(ms, 0.95), 1)} | ${fmt(percentile(ms, 0.99), 1)} | ${fmt(ms[ms.length - 1], 1)} | ${fmt(rows / n, 1)} |`;
        console.log(line);
        lines.push(line);
      }
    }
    // Both shapes must find the same conversations.
    let differ = 0;
    for (let i = 0; i < SEARCHES.length; i++) {
      const x = { q: SEARCHES[i], statuses: all };
      const b = (await before(db, w.workspaceId, x.q, x.statuses)).map((r: any) => r.id).slice(0, 50);
      const af = (await listConversations(db, w.workspaceId, w.userId, listFilters.parse({ q: x.q, status: all.join(',') }))).conversations.map((r) => r.id);
      if (JSON.stringify(b) !== JSON.stringify(af)) { differ++; console.log(`  differs for "${x.q}": before ${b.length} rows, after ${af.length}`); }
    }
    console.log(`\n${kind}, ${fmt(items)} items, ${n} queries per line (ms), machine CPU busy ${fmt(cpu() * 100)} %; first pages equal for ${SEARCHES.length - differ} of ${SEARCHES.length} terms`);
    console.log('| case | query | p50 | p95 | p99 | max | rows |\n|---|---|---|---|---|---|---|');
    for (const l of lines) console.log(l);
  } finally {
    await db.close();
    await fresh.cleanup();
  }
}

if (fileURLToPath(import.meta.url) === process.argv[1]) main().catch((e) => { console.error(e); process.exit(1); });
