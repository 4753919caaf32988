// Shapes of the inbox full-text search on the bench/inbox.ts workspace (PostgreSQL or PGlite), to
// choose the fix for the search target: the list query as it is (part A), the match over items
// materialised first (CTE), and a tsvector per conversation with its own GIN index (also matched
// first). Every shape but the first selects only ids; the first is the whole list query.
//
//   node --import tsx bench/inbox-search.ts [--items 1000000] [--db postgres|pglite] [--queries 100]
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { listConversations, listFilters, SEARCH_QUERY } from '../src/inbox/list.js';
import { args, freshDatabase, fmt, percentile } from './ingest.js';
import { load, SEARCHES } from './inbox.js';

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
    const t0 = performance.now();
    await db.exec(`create aggregate bench_tsv_agg(tsvector) (sfunc = tsvector_concat, stype = tsvector, initcond = '')`);
    await db.exec(`alter table conversations add column search tsvector`);
    await db.exec(`update conversations c set search = a.v from (select conversation_id, bench_tsv_agg(search) as v from items group by conversation_id) a where c.id = a.conversation_id`);
    await db.exec(`create index conversations_search on conversations using gin (search)`);
    await db.exec(`vacuum analyze conversations`);
    console.log(`  conversation tsvectors and their index: ${fmt((performance.now() - t0) / 1000, 1)} s`);
    const statuses = ['new', 'open', 'waiting', 'done'];
    const q = (i: number) => SEARCHES[i % SEARCHES.length];
    const shapes: [string, (i: number) => Promise<number>][] = [
      ['as it is (semi-join into items)', async (i) => (await listConversations(db, w.workspaceId, w.userId, listFilters.parse({ q: q(i), status: statuses.join(',') }))).conversations.length],
      ['match first (materialized CTE over items)', async (i) => (await db.query(
        `with m as materialized (select distinct s.conversation_id from items s where s.workspace_id = $1 and s.search @@ ${SEARCH_QUERY.replaceAll('$Q', '$2')})
         select c.id from conversations c join m on m.conversation_id = c.id
         where c.workspace_id = $1 and c.status = any($3::text[]) order by c.last_item_at desc, c.id desc limit 51`, [w.workspaceId, q(i), statuses])).length],
      ['tsvector per conversation (GIN on conversations)', async (i) => (await db.query(
        `select c.id from conversations c where c.workspace_id = $1 and c.search @@ ${SEARCH_QUERY.replaceAll('$Q', '$2')}
         and c.status = any($3::text[]) order by c.last_item_at desc, c.id desc limit 51`, [w.workspaceId, q(i), statuses])).length],
      ['tsvector per conversation, German and English only', async (i) => (await db.query(
        `select c.id from conversations c where c.workspace_id = $1 and c.search @@ (websearch_to_tsquery('german', $2) || websearch_to_tsquery('english', $2))
         and c.status = any($3::text[]) order by c.last_item_at desc, c.id desc limit 51`, [w.workspaceId, q(i), statuses])).length],
      ['tsvector per conversation, matched first (materialized CTE)', async (i) => (await db.query(
        `with m as materialized (select c.id, c.last_item_at from conversations c where c.workspace_id = $1 and c.search @@ ${SEARCH_QUERY.replaceAll('$Q', '$2')} and c.status = any($3::text[]))
         select id from m order by last_item_at desc, id desc limit 51`, [w.workspaceId, q(i), statuses])).length],
    ];
    console.log(`\n${kind}, ${fmt(items)} items, ${n} searches per shape (ms):`);
    console.log('| shape | p50 | p95 | p99 |\n|---|---|---|---|');
    for (const [name, run] of shapes) {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) { const t = performance.now(); await run(i); ms.push(performance.now() - t); }
      ms.sort((x, y) => x - y);
      console.log(`| ${name} | ${fmt(percentile(ms, 0.5), 1)} | ${fmt(percentile(ms, 0.95), 1)} | ${fmt(percentile(ms, 0.99), 1)} |`);
    }
  } finally {
    await db.close();
    await fresh.cleanup();
  }
}

if (fileURLToPath(import.meta.url) === process.argv[1]) main().catch((e) => { console.error(e); process.exit(1); });
