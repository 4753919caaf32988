// Ingest + pipeline bench: generated items through `acceptRows` in batches (as the API and the
// import do) into a fresh database, with the pipeline workers running, until every item is done.
//
//   node --import tsx bench/ingest.ts [--items 100000] [--db pglite|postgres|both] [--batch 500]
//                                     [--seed 1] [--drain-timeout 900] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//
// Each database kind runs in its own child process (so peak memory is that run's own):
//   pglite   – PGlite in a new temporary folder (removed afterwards);
//   postgres – a new database allmende_bench_<random> on the local server (dropped afterwards).
// Figures (times exclude the time spent generating the items, which is printed on its own):
//   ingest           – first batch sent until the last batch committed; items/s over that;
//   end to end       – first batch sent until drainPipeline saw every item `done`;
//   batch latency    – p50/p95/p99 of one acceptRows call (validation + one transaction);
//   concurrent       – items the pipeline finished while ingest was still running, per second;
//   after ingest     – the rest of the pipeline once ingest stopped, per second;
//   stages           – per queue (analyse/decide), from pg-boss's own job rows: jobs, items
//                      per job, time in the handler (started_on→completed_on) and waiting time;
//   memory           – peak RSS / heap / external+arrayBuffers (PGlite's WASM memory is an
//                      ArrayBuffer) sampled every 100 ms, and the OS's max RSS of the process;
//                      for postgres only the Node process is measured, not the server;
//   DB size          – pg_database_size(current_database()) after the run.
// Targets (issue): >= 2,000 items/s end to end on PostgreSQL, >= 1,000 items/s on PGlite.
// All load goes to 127.0.0.1; the run is bounded by --items and --drain-timeout and stops by itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type Config } from '../src/config.js';
import { openApp, drainPipeline, type App } from '../src/app.js';
import { acceptRows } from '../src/pipeline/accept.js';
import { createWorkspace } from '../src/auth/accounts.js';
import { STAGE_QUEUE } from '../src/pipeline/stages.js';
import { itemStream } from './generate.js';

type Kind = 'pglite' | 'postgres';
const TARGET: Record<Kind, number> = { postgres: 2000, pglite: 1000 };

// ---------------------------------------------------------------------------------------------
// shared helpers (api.ts uses them too)

export function args(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=', 2);
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
    else out[k] = 'true';
  }
  return out;
}

export const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A config for a new, empty database of the given kind; cleanup() removes it. */
export async function freshDatabase(kind: Kind, adminUrl = ADMIN_URL): Promise<{ config: Config; name: string; dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'allmende-bench-'));
  const env: Record<string, string> = { ALLMENDE_DATA: dataDir, LOG_LEVEL: 'warn' };
  let name = join(dataDir, 'pgdata');
  let drop = async () => {};
  if (kind === 'postgres') {
    const url = new URL(adminUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`the bench only loads a local server; ${url.hostname} is not 127.0.0.1`);
    name = `allmende_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  let cleaned = false;
  return {
    config: loadConfig(env), name, dataDir,
    cleanup: async () => {
      if (cleaned) return;
      cleaned = true;
      try { await drop(); } finally { rmSync(dataDir, { recursive: true, force: true }); }
    },
  };
}

export interface MemPeak { rss: number; heapUsed: number; external: number; arrayBuffers: number; samples: number }

/** Samples process.memoryUsage() every `everyMs`; stop() returns the peaks (bytes). */
export function memorySampler(everyMs = 100): { peak: MemPeak; stop(): MemPeak } {
  const peak: MemPeak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0, samples: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return { peak, stop() { clearInterval(timer); sample(); return peak; } };
}

/** Busy share of all CPUs from /proc/stat between two readings (whole machine, 0..1). */
export function cpuReader(): () => number {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const idle = f[3] + (f[4] ?? 0);
      return { idle, total: f.reduce((a, b) => a + b, 0) };
    } catch { return null; }
  };
  const a = read();
  return () => {
    const b = read();
    if (!a || !b || b.total === a.total) return NaN;
    return 1 - (b.idle - a.idle) / (b.total - a.total);
  };
}

/** CPU seconds used by one process so far (utime + stime from /proc/<pid>/stat), or null. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // fields 14 and 15, USER_HZ = 100 on Linux
  } catch { return null; }
}

/**
 * CPU used by the PostgreSQL server processes serving one database (its backends), sampled every
 * second through pg_stat_activity: a lower bound (background writer, WAL writer, checkpointer
 * and autovacuum are not counted, nor a backend's last second before it closed).
 */
export function pgBackendCpu(adminUrl: string, database: string): { stop(): Promise<number> } {
  const seen = new Map<number, { first: number; last: number }>();
  const client = new pg.Client({ connectionString: adminUrl });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const sample = async () => {
    const rows = (await client.query('select pid from pg_stat_activity where datname = $1', [database])).rows as { pid: number }[];
    for (const { pid } of rows) {
      const cpu = procCpuSeconds(pid);
      if (cpu === null) continue;
      const s = seen.get(pid);
      if (s) s.last = cpu; else seen.set(pid, { first: 0, last: cpu });
    }
  };
  const ready = client.connect().then(async () => {
    await sample();
    const tick = () => { if (!stopped) timer = setTimeout(() => sample().catch(() => {}).finally(tick), 1000); };
    tick();
  }).catch(() => {});
  return {
    async stop() {
      await ready;
      await sample().catch(() => {});
      stopped = true;
      clearTimeout(timer);
      await client.end().catch(() => {});
      return [...seen.values()].reduce((a, s) => a + s.last - s.first, 0);
    },
  };
}

export const MB = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// one run

interface StageStat { stage: string; jobs: number; fetches: number; items: number; itemsPerJob: number; msPerItem: number; busyS: number; meanMs: number; p95Ms: number; waitMeanMs: number; waitP95Ms: number; retried: number; failed: number }

export interface IngestResult {
  kind: Kind; items: number; batch: number; seed: number;
  openMs: number; genMs: number;
  ingestMs: number; e2eMs: number; drainAfterIngestMs: number;
  ingestPerS: number; e2ePerS: number;
  batchP50: number; batchP95: number; batchP99: number; batchMax: number;
  doneAtIngestEnd: number; concurrentPerS: number; afterIngestPerS: number;
  itemLatencyP50: number; itemLatencyP95: number; itemLatencyP99: number;
  stages: StageStat[];
  timeline: { t: number; ingested: number; done: number }[];
  peak: MemPeak; maxRssOs: number; afterOpenRss: number; afterOpenHeap: number;
  dbSize: number; dataDirSize: number | null;
  cpuNodeS: number; cpuServerS: number | null; cpuMachineBusy: number; cpus: number; loadavgStart: number[]; loadavgEnd: number[];
  created: number; rejected: number; languages: Record<string, number>;
  target: number; pass: boolean; dbVersion: string;
}

async function runOne(kind: Kind, opts: { items: number; batch: number; seed: number; drainTimeoutS: number; keep?: boolean }, log: (m: string) => void): Promise<IngestResult> {
  const loadavgStart = loadavg();
  const mem = memorySampler(100);
  const fresh = await freshDatabase(kind);
  let app: App | undefined;
  const onSignal = () => { log('interrupted: cleaning up'); (app ? app.close() : Promise.resolve()).catch(() => {}).finally(() => fresh.cleanup().finally(() => process.exit(130))); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const tOpen = performance.now();
    app = await openApp(fresh.config, { workers: true, log: (m) => log(`[app] ${m}`) });
    const openMs = performance.now() - tOpen;
    const afterOpen = process.memoryUsage();
    const { db, queue } = app;
    const [{ version: dbVersion }] = await db.query<{ version: string }>('select version()');
    const ws = await createWorkspace(db, { slug: 'bench', name: 'Bench' });
    // The timeline compares database timestamps with this process's clock: check they agree.
    const [{ ms: dbNow }] = await db.query<{ ms: number }>('select extract(epoch from clock_timestamp()) * 1000 as ms');
    const skew = Number(dbNow) - Date.now();
    if (Math.abs(skew) > 50) log(`note: database clock differs from ours by ${skew.toFixed(0)} ms`);
    log(`${kind}: opened in ${fmt(openMs)} ms (${dbVersion.split(' on ')[0]}); ingesting ${fmt(opts.items)} items in batches of ${opts.batch}`);

    const stream = itemStream(opts.seed);
    const latencies: number[] = [];
    let genMs = 0, created = 0, rejected = 0, sent = 0;
    const serverCpu = kind === 'postgres' ? pgBackendCpu(ADMIN_URL, fresh.name) : null;
    const cpu0 = process.cpuUsage();
    const machine = cpuReader();
    const t0 = performance.now();
    const wall0 = Date.now();
    let lastLog = t0;
    while (sent < opts.items) {
      const g = performance.now();
      const n = Math.min(opts.batch, opts.items - sent);
      const rows: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) rows[i] = stream.next().value;
      const s = performance.now();
      genMs += s - g;
      const r = await acceptRows(db, queue, { workspaceId: ws.id }, rows, sent + 1);
      latencies.push(performance.now() - s);
      created += r.created;
      rejected += r.rejected.length;
      if (r.rejected.length && rejected === r.rejected.length) log(`rejected rows, e.g. ${JSON.stringify(r.rejected[0])}`);
      sent += n;
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`  ingested ${fmt(sent)} (${fmt(sent / ((lastLog - t0 - genMs) / 1000))}/s)`);
      }
    }
    const tIngest = performance.now();
    const wallIngest = Date.now();
    const [{ done: doneAtIngestEnd }] = await db.query<{ done: number }>(`select count(*)::int as done from items where stage = 'done'`);
    log(`  ingest finished; ${fmt(doneAtIngestEnd)} already through the pipeline; draining`);
    let lastDrainLog = performance.now();
    await drainPipeline(db, {
      timeoutMs: opts.drainTimeoutS * 1000,
      onProgress: (left) => {
        if (performance.now() - lastDrainLog > 5000) { lastDrainLog = performance.now(); log(`  pipeline: ${fmt(left)} items left`); }
      },
    });
    const tEnd = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const cpuMachineBusy = machine();
    const peak = mem.stop();
    const cpuServerS = serverCpu ? await serverCpu.stop() : null;
    const loadavgEnd = loadavg();
    const maxRssOs = process.resourceUsage().maxRSS * 1024;

    // ---- where the time went, from the database (no extra load during the run)
    const ingestMs = tIngest - t0 - genMs;
    const e2eMs = tEnd - t0 - genMs;
    const drainAfterIngestMs = tEnd - tIngest;
    const [{ size: dbSize }] = await db.query<{ size: number }>('select pg_database_size(current_database())::bigint as size');
    const lat = await db.query<{ p50: number; p95: number; p99: number }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95,
         percentile_cont(0.99) within group (order by ms) as p99
       from (select extract(epoch from stage_at - received_at) * 1000 as ms from items) t`);
    const languages = Object.fromEntries((await db.query<{ language: string | null; n: number }>(
      `select coalesce(language, '(none)') as language, count(*)::int as n from items group by 1 order by 2 desc limit 8`)).map((r) => [r.language, r.n]));
    const bucketS = Math.max(1, Math.round(e2eMs / 1000 / 20));
    const timeline = await db.query<{ t: number; ingested: number; done: number }>(
      `with i as (select floor((extract(epoch from received_at) * 1000 - $1::float8) / 1000 / $2::int)::int as t, count(*)::int as n from items group by 1),
            d as (select floor((extract(epoch from stage_at) * 1000 - $1::float8) / 1000 / $2::int)::int as t, count(*)::int as n from items group by 1)
       select g.t * $2::int as t, coalesce(i.n, 0) as ingested, coalesce(d.n, 0) as done
       from generate_series(0, greatest((select max(t) from i), (select max(t) from d))) as g(t)
         left join i on i.t = g.t left join d on d.t = g.t order by 1`, [wall0, bucketS]);
    // pg-boss hands a worker several jobs per fetch (same started_on), the handler runs them one
    // after the other and all are completed together: so time is counted per fetch, not per job.
    const stageRows = await db.query<any>(
      `with j as (
         select name, state::text as state, retry_count, jsonb_array_length(data->'itemIds') as n, created_on, started_on, completed_on
         from pgboss.job where name = any($1)
         union all
         select name, state::text, retry_count, jsonb_array_length(data->'itemIds'), created_on, started_on, completed_on
         from pgboss.archive where name = any($1)),
       f as (
         select name, started_on, count(*) as jobs, sum(n) as n, extract(epoch from max(completed_on) - started_on) * 1000 as run_ms
         from j where started_on is not null group by name, started_on)
       select name,
         (select count(*)::int from j where j.name = f.name) as jobs,
         (select sum(n)::int from j where j.name = f.name) as items,
         count(*)::int as fetches,
         coalesce(sum(run_ms), 0) / 1000 as busy_s,
         avg(run_ms) as mean_ms, percentile_cont(0.95) within group (order by run_ms) as p95_ms,
         (select avg(extract(epoch from started_on - created_on) * 1000) from j where j.name = f.name) as wait_mean_ms,
         (select percentile_cont(0.95) within group (order by extract(epoch from started_on - created_on) * 1000) from j where j.name = f.name) as wait_p95_ms,
         (select count(*)::int from j where j.name = f.name and retry_count > 0) as retried,
         (select count(*)::int from j where j.name = f.name and state = 'failed') as failed
       from f group by name`, [Object.values(STAGE_QUEUE)]);
    const stages: StageStat[] = (Object.entries(STAGE_QUEUE) as [string, string][]).map(([stage, q]) => {
      const r = stageRows.find((x) => x.name === q) ?? {};
      return {
        stage, jobs: r.jobs ?? 0, fetches: r.fetches ?? 0, items: r.items ?? 0, itemsPerJob: r.jobs ? r.items / r.jobs : 0, busyS: Number(r.busy_s ?? 0),
        msPerItem: r.items ? (1000 * Number(r.busy_s ?? 0)) / r.items : 0,
        meanMs: Number(r.mean_ms ?? 0), p95Ms: Number(r.p95_ms ?? 0), waitMeanMs: Number(r.wait_mean_ms ?? 0), waitP95Ms: Number(r.wait_p95_ms ?? 0),
        retried: r.retried ?? 0, failed: r.failed ?? 0,
      };
    });
    await app.close();
    app = undefined;
    const dataDirSize = kind === 'pglite' ? dirSize(fresh.dataDir) : null;

    const sorted = [...latencies].sort((a, b) => a - b);
    const e2ePerS = opts.items / (e2eMs / 1000);
    void wallIngest;
    return {
      kind, items: opts.items, batch: opts.batch, seed: opts.seed, openMs, genMs,
      ingestMs, e2eMs, drainAfterIngestMs,
      ingestPerS: opts.items / (ingestMs / 1000), e2ePerS,
      batchP50: percentile(sorted, 0.5), batchP95: percentile(sorted, 0.95), batchP99: percentile(sorted, 0.99), batchMax: sorted[sorted.length - 1],
      doneAtIngestEnd, concurrentPerS: doneAtIngestEnd / (ingestMs / 1000),
      afterIngestPerS: (opts.items - doneAtIngestEnd) / (drainAfterIngestMs / 1000),
      itemLatencyP50: Number(lat[0].p50), itemLatencyP95: Number(lat[0].p95), itemLatencyP99: Number(lat[0].p99),
      stages, timeline, peak, maxRssOs, afterOpenRss: afterOpen.rss, afterOpenHeap: afterOpen.heapUsed,
      dbSize: Number(dbSize), dataDirSize,
      cpuNodeS: (cpu.user + cpu.system) / 1e6, cpuServerS, cpuMachineBusy, cpus: cpus().length, loadavgStart, loadavgEnd,
      created, rejected, languages,
      target: TARGET[kind], pass: e2ePerS >= TARGET[kind], dbVersion: dbVersion.split(' on ')[0],
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    mem.stop();
    if (app) await app.close().catch(() => {});
    if (opts.keep) log(`kept the database: ${fresh.name}`);
    else await fresh.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// report

function report(r: IngestResult): string {
  const L: string[] = [];
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  L.push(`== ${r.kind} (${r.dbVersion}) — ${fmt(r.items)} items, batches of ${r.batch}, seed ${r.seed}`);
  L.push(`machine: ${r.cpus} CPUs, load average at start ${r.loadavgStart.map((x) => x.toFixed(2)).join(' / ')}`);
  L.push(`open (migrate, queue, language model): ${fmt(r.openMs)} ms; generating the items: ${fmt(r.genMs)} ms (not counted below)`);
  L.push(`stored: ${fmt(r.created)} created, ${fmt(r.rejected)} rejected`);
  L.push(`ingest only:   ${s(r.ingestMs)}  ${fmt(r.ingestPerS)} items/s   (pipeline workers running meanwhile)`);
  L.push(`end to end:    ${s(r.e2eMs)}  ${fmt(r.e2ePerS)} items/s   (ingest + whole pipeline until all done)`);
  L.push(`batch latency: p50 ${fmt(r.batchP50)} ms, p95 ${fmt(r.batchP95)} ms, p99 ${fmt(r.batchP99)} ms, max ${fmt(r.batchMax)} ms`);
  L.push(`concurrent:    ${fmt(r.doneAtIngestEnd)} items finished the pipeline while ingest ran = ${fmt(r.concurrentPerS)} items/s sustained next to ${fmt(r.ingestPerS)} items/s ingest`);
  L.push(`after ingest:  ${fmt(r.items - r.doneAtIngestEnd)} items in ${s(r.drainAfterIngestMs)} = ${fmt(r.afterIngestPerS)} items/s (pipeline alone)`);
  L.push(`item latency (received → done): p50 ${s(r.itemLatencyP50)}, p95 ${s(r.itemLatencyP95)}, p99 ${s(r.itemLatencyP99)}`);
  L.push('stages (from pg-boss job rows; a worker fetches several jobs at once (its batchSize) and runs them in turn, so times are per fetch):');
  for (const st of r.stages) {
    L.push(`  ${st.stage.padEnd(8)} ${fmt(st.jobs).padStart(5)} jobs × ${fmt(st.itemsPerJob).padStart(4)} items in ${fmt(st.fetches).padStart(4)} fetches; busy ${st.busyS.toFixed(1).padStart(6)} s = ${st.msPerItem.toFixed(3)} ms/item; per fetch mean ${fmt(st.meanMs).padStart(5)} ms p95 ${fmt(st.p95Ms).padStart(5)} ms; job wait (created→started) mean ${fmt(st.waitMeanMs / 1000, 1)} s p95 ${fmt(st.waitP95Ms / 1000, 1)} s${st.retried ? `; ${st.retried} retried` : ''}${st.failed ? `; ${st.failed} FAILED` : ''}`);
  }
  const wallS = (r.e2eMs + r.genMs) / 1000;
  const machineS = r.cpuMachineBusy * r.cpus * wallS;
  const otherS = machineS - r.cpuNodeS - (r.cpuServerS ?? 0);
  L.push(`CPU over the ${wallS.toFixed(1)} s run: Node process ${r.cpuNodeS.toFixed(1)} s (${(r.cpuNodeS / wallS).toFixed(2)} cores)` +
    (r.cpuServerS !== null ? `, PostgreSQL backends of this database ≥ ${r.cpuServerS.toFixed(1)} s (${(r.cpuServerS / wallS).toFixed(2)} cores)` : '') +
    `; whole machine ${(r.cpuMachineBusy * 100).toFixed(0)}% busy of ${r.cpus} CPUs (everything else: ${otherS.toFixed(1)} s); load average at end ${r.loadavgEnd.map((x) => x.toFixed(2)).join(' / ')}`);
  L.push(`memory: peak RSS ${MB(r.peak.rss)} (OS max RSS ${MB(r.maxRssOs)}), peak heap ${MB(r.peak.heapUsed)}, peak external ${MB(r.peak.external)} (arrayBuffers ${MB(r.peak.arrayBuffers)}); after open: RSS ${MB(r.afterOpenRss)}, heap ${MB(r.afterOpenHeap)}${r.kind === 'postgres' ? ' — Node process only, not the server' : ''}`);
  L.push(`database size: ${MB(r.dbSize)} (pg_database_size)${r.dataDirSize !== null ? `, data folder on disk ${MB(r.dataDirSize)}` : ''}`);
  L.push(`languages: ${Object.entries(r.languages).map(([k, v]) => `${k} ${(100 * v / r.items).toFixed(1)}%`).join(', ')}`);
  L.push(`timeline (s since start: items ingested / finished in that bucket): ${r.timeline.map((b) => `${b.t}:${fmt(b.ingested)}/${fmt(b.done)}`).join(' ')}`);
  L.push(`target ≥ ${fmt(r.target)} items/s end to end: ${r.pass ? 'PASS' : 'FAIL'} (${fmt(r.e2ePerS)} items/s)`);
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------
// --sql-profile (investigation): time every statement as the client sees it, by statement.
// PostgreSQL: wraps pg.Client.prototype.query; PGlite: the query/exec of PGlite and its
// transactions. Times overlap when statements run concurrently (they are latencies, not CPU).

export function installSqlProfile(): () => string {
  const stats = new Map<string, { n: number; ms: number; max: number }>();
  const keyOf = (text: unknown) => {
    const t = typeof text === 'string' ? text : (text as any)?.text ?? String(text);
    return t.replace(/\s+/g, ' ').trim().slice(0, 110);
  };
  const record = (key: string, t0: number) => {
    const ms = performance.now() - t0;
    const s = stats.get(key) ?? { n: 0, ms: 0, max: 0 };
    s.n++; s.ms += ms; s.max = Math.max(s.max, ms);
    stats.set(key, s);
  };
  const wrap = (proto: any, name: string) => {
    const orig = proto[name];
    proto[name] = function (this: any, text: any, ...rest: any[]) {
      const t0 = performance.now();
      const key = keyOf(text);
      // pg.Pool calls client.query with a callback (as the last argument or on the config object).
      const last = rest.length - 1;
      if (last >= 0 && typeof rest[last] === 'function') {
        const cb = rest[last];
        rest[last] = (...r: unknown[]) => { record(key, t0); return cb(...r); };
      } else if (text && typeof text === 'object' && typeof text.callback === 'function') {
        const cb = text.callback;
        text.callback = (...r: unknown[]) => { record(key, t0); return cb(...r); };
      }
      const out = orig.call(this, text, ...rest);
      if (out && typeof out.then === 'function') out.then(() => record(key, t0), () => record(key, t0));
      return out;
    };
  };
  wrap(pg.Client.prototype, 'query');
  // PGlite runs one statement at a time, so inside a transaction a statement's latency is its
  // cost; outside one it includes waiting for the connection (marked "(outside tx)").
  const lite = PGlite.prototype as any;
  const liteQuery = lite.query, liteExec = lite.exec, liteTx = lite.transaction;
  lite.query = function (this: any, text: any, ...rest: any[]) {
    const t0 = performance.now(); const key = '(outside tx) ' + keyOf(text);
    return liteQuery.call(this, text, ...rest).finally(() => record(key, t0));
  };
  lite.exec = function (this: any, text: any, ...rest: any[]) {
    const t0 = performance.now(); const key = '(outside tx) ' + keyOf(text);
    return liteExec.call(this, text, ...rest).finally(() => record(key, t0));
  };
  lite.transaction = function (this: any, fn: (tx: any) => Promise<unknown>) {
    const t0 = performance.now();
    let inner = 0;
    return liteTx.call(this, async (tx: any) => {
      const timed = (m: 'query' | 'exec') => (text: any, ...rest: any[]) => {
        const t1 = performance.now(); const key = keyOf(text);
        return tx[m](text, ...rest).finally(() => { record(key, t1); inner += performance.now() - t1; });
      };
      return fn({ ...tx, query: timed('query'), exec: timed('exec'), rollback: () => tx.rollback(), get closed() { return tx.closed; } });
    }).finally(() => record('(transaction: BEGIN, COMMIT, JS between statements, waiting for the connection)', t0 + inner));
  };
  return () => {
    const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    const total = rows.reduce((s, [, v]) => s + v.ms, 0);
    return ['SQL profile (client-side latency, top 25 by total time):',
      ...rows.map(([k, v]) => `${(v.ms / 1000).toFixed(1).padStart(7)} s ${String(v.n).padStart(7)}× mean ${(v.ms / v.n).toFixed(1).padStart(7)} ms max ${v.max.toFixed(0).padStart(6)} ms  ${k}`),
      `(sum of the rows above: ${(total / 1000).toFixed(1)} s)`].join('\n');
  };
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const a = args();
  const items = Number(a.items ?? 100_000);
  const batch = Number(a.batch ?? 500);
  const seed = Number(a.seed ?? 1);
  const drainTimeoutS = Number(a['drain-timeout'] ?? 900);
  const dbArg = a.db ?? 'both';
  if (!Number.isInteger(items) || items < 1 || items > 5_000_000) throw new Error('--items: 1 … 5,000,000');
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000) throw new Error('--batch: 1 … 1000 (MAX_BATCH)');
  if (!['pglite', 'postgres', 'both'].includes(dbArg)) throw new Error('--db pglite|postgres|both');
  const log = (m: string) => process.stderr.write(`${m}\n`);

  // One kind: run here. Both: one child process each, so memory peaks are each run's own.
  if (dbArg !== 'both') {
    const sqlProfile = a['sql-profile'] === 'true' ? installSqlProfile() : null;
    const r = await runOne(dbArg as Kind, { items, batch, seed, drainTimeoutS, keep: a.keep === 'true' }, log);
    if (a['json-out']) writeFileSync(a['json-out'], JSON.stringify(r));
    console.log(report(r));
    if (sqlProfile) console.log(sqlProfile());
    return;
  }
  const results: IngestResult[] = [];
  for (const kind of ['pglite', 'postgres'] as Kind[]) {
    const out = join(tmpdir(), `allmende-bench-${randomBytes(4).toString('hex')}.json`);
    const self = fileURLToPath(import.meta.url);
    const childArgs = [...process.execArgv, self, '--db', kind, '--items', String(items), '--batch', String(batch), '--seed', String(seed), '--drain-timeout', String(drainTimeoutS), '--json-out', out];
    const code = await new Promise<number>((res) => spawn(process.execPath, childArgs, { stdio: 'inherit' }).on('exit', (c) => res(c ?? 1)));
    if (code !== 0) { log(`${kind} run failed (exit ${code})`); continue; }
    results.push(JSON.parse(readFileSync(out, 'utf8')));
    rmSync(out, { force: true });
  }
  console.log('\n== summary');
  console.log('| db | items | ingest items/s | end-to-end items/s | batch p50/p95/p99 ms | concurrent pipeline items/s | peak RSS | peak heap | DB size | target |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.kind} | ${fmt(r.items)} | ${fmt(r.ingestPerS)} | ${fmt(r.e2ePerS)} | ${fmt(r.batchP50)} / ${fmt(r.batchP95)} / ${fmt(r.batchP99)} | ${fmt(r.concurrentPerS)} | ${MB(r.peak.rss)} | ${MB(r.peak.heapUsed)} | ${MB(r.dbSize)} | ≥ ${fmt(r.target)}: ${r.pass ? 'PASS' : 'FAIL'} |`);
  }
  if (results.length < 2) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}` || fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
