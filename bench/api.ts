// HTTP API bench: a real server (openApp with workers + buildServer, logger off) on a fresh
// database, loaded with autocannon from 127.0.0.1.
//
//   node --import tsx bench/api.ts [--seconds 20] [--connections 20] [--db pglite|postgres]
//                                  [--get-seconds 10] [--drain-seconds 30] [--seed 2] [--sql-profile]
//
// The server runs in a child process (as `allmende start` would), so the load generator does not
// share its event loop; both still share this machine's CPUs with PostgreSQL.
//   1. POST /api/v1/items, one item per request, each a new item (distinct platformId, from the
//      generator in generate.ts), Authorization: Bearer <API token>, for --seconds.
//      Printed: requests/s (mean), latency p50/p95/p99 (ms), errors and non-2xx, items stored
//      afterwards (counted in the database) and the server's peak RSS/heap.
//   2. The pipeline after the POST run: how many of the items are through, and how fast it works
//      off the rest within --drain-seconds (single-item requests make single-item stage jobs).
//   3. GET /api/v1/items?limit=50 for --get-seconds (the pipeline may still be running).
// Bounded in time by the options; everything it creates is removed at the end.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { openApp, type App } from '../src/app.js';
import { buildServer } from '../src/http/server.js';
import { createWorkspace, createApiToken } from '../src/auth/accounts.js';
import { itemStream } from './generate.js';
import { args, freshDatabase, memorySampler, percentile, fmt, MB, cpuReader, pgBackendCpu, installSqlProfile, ADMIN_URL, type MemPeak } from './ingest.js';

// autocannon ships no types; it is only driven here.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => any;

type Kind = 'pglite' | 'postgres';

// ---------------------------------------------------------------------------------------------
// the server side (child process)

type ToServer = { cmd: 'stats' } | { cmd: 'reset-peak' } | { cmd: 'close' };
interface ServerStats { items: number; done: number; byStage: Record<string, number>; peak: MemPeak; rss: number; cpuS: number; serverCpuS: number | null }

async function serve(kind: Kind, sqlProfile: boolean) {
  const profile = sqlProfile ? installSqlProfile() : null;
  const fresh = await freshDatabase(kind);
  let app: App | undefined;
  let mem = memorySampler(100);
  let cpu0 = process.cpuUsage();
  let pgCpu = kind === 'postgres' ? pgBackendCpu(ADMIN_URL, fresh.name) : null;
  let pgCpuSoFar = 0;
  let closing = false;
  const shutdown = async (code: number) => {
    closing = true;
    try { if (app) await app.close(); } catch { /* closing anyway */ }
    await fresh.cleanup().catch(() => {});
    process.exit(code);
  };
  // A stage job still running when app.close() ends the pool fails inside pg-boss, which rejects
  // without a handler (seen with a backlog of single-item jobs); that must not skip the clean-up.
  process.on('unhandledRejection', (e: any) => {
    if (closing) { console.error(`[server] after close: ${e?.message ?? e}`); return; }
    console.error(e);
    void shutdown(1);
  });
  process.on('disconnect', () => { void shutdown(1); });
  process.on('SIGINT', () => { void shutdown(130); });
  try {
    app = await openApp(fresh.config, { workers: true });
    const server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const port = (server.server.address() as AddressInfo).port;
    const ws = await createWorkspace(app.db, { slug: 'bench', name: 'Bench' });
    const { token } = await createApiToken(app.db, { workspaceId: ws.id, name: 'bench', role: 'manager', createdBy: null, creatorRole: 'owner' });
    const [{ version }] = await app.db.query<{ version: string }>('select version()');
    process.send!({ ready: true, port, token, version: version.split(' on ')[0] });
    process.on('message', async (m: ToServer) => {
      if (m.cmd === 'stats') {
        const byStage = Object.fromEntries((await app!.db.query<{ stage: string; n: number }>(
          'select stage, count(*)::int as n from items group by stage')).map((r) => [r.stage, r.n]));
        const items = Object.values(byStage).reduce((a, b) => a + b, 0);
        const peak = { ...mem.peak };
        const cpu = process.cpuUsage(cpu0);
        if (pgCpu) { pgCpuSoFar = await pgCpu.stop(); pgCpu = pgBackendCpu(ADMIN_URL, fresh.name); }
        const s: ServerStats = { items, done: byStage.done ?? 0, byStage, peak, rss: process.memoryUsage().rss, cpuS: (cpu.user + cpu.system) / 1e6, serverCpuS: kind === 'postgres' ? pgCpuSoFar : null };
        process.send!({ stats: s });
      } else if (m.cmd === 'reset-peak') {
        mem.stop();
        mem = memorySampler(100);
        cpu0 = process.cpuUsage();
        if (pgCpu) { await pgCpu.stop(); pgCpu = pgBackendCpu(ADMIN_URL, fresh.name); }
        process.send!({ reset: true });
      } else if (m.cmd === 'close') {
        closing = true;
        await server.close();
        await app!.close();
        app = undefined;
        await fresh.cleanup();
        if (profile) console.log(profile());
        process.send!({ closed: true }, () => process.exit(0));
      }
    });
  } catch (e) {
    console.error(e);
    await shutdown(1);
  }
}

// ---------------------------------------------------------------------------------------------
// the load side (parent process)

function ask<T>(child: ChildProcess, msg: ToServer, key: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.off('message', on); reject(new Error(`server did not answer ${msg.cmd} in time`)); }, timeoutMs);
    const on = (m: any) => { if (m && key in m) { clearTimeout(timer); child.off('message', on); resolve(m[key]); } };
    child.on('message', on);
    child.send(msg);
  });
}

interface RunResult { rps: number; requests: number; durationS: number; p50: number; p95: number; p99: number; max: number; errors: number; timeouts: number; non2xx: number; statusCodes: Record<string, number>; acP50: number; acP97_5: number; acP99: number }

async function load(opts: Record<string, unknown>): Promise<RunResult> {
  const times: number[] = [];
  const instance = autocannon(opts);
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => { times.push(responseTime); });
  const r = await instance;
  times.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]: [string, any]) => [k, Number(v.count)]));
  const requests = times.length;
  return {
    rps: requests / r.duration, requests, durationS: r.duration,
    p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99), max: times[times.length - 1] ?? NaN,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, statusCodes,
    acP50: r.latency.p50, acP97_5: r.latency.p97_5, acP99: r.latency.p99,
  };
}

function line(name: string, r: RunResult): string {
  return `${name}: ${fmt(r.rps)} requests/s (mean over ${r.durationS.toFixed(1)} s, ${fmt(r.requests)} responses); latency p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms, p99 ${fmt(r.p99, 1)} ms, max ${fmt(r.max)} ms; ` +
    `errors ${r.errors} (timeouts ${r.timeouts}), non-2xx ${r.non2xx}; status ${JSON.stringify(r.statusCodes)}`;
}

async function main() {
  const a = args();
  const kind = (a.db ?? 'postgres') as Kind;
  if (!['pglite', 'postgres'].includes(kind)) throw new Error('--db pglite|postgres');
  if (a.serve === 'true') return serve(kind, a['sql-profile'] === 'true');

  const seconds = Number(a.seconds ?? 20);
  const connections = Number(a.connections ?? 20);
  const getSeconds = Number(a['get-seconds'] ?? 10);
  const drainSeconds = Number(a['drain-seconds'] ?? 30);
  const seed = Number(a.seed ?? 2);
  if (!(seconds > 0 && seconds <= 600) || !(getSeconds >= 0 && getSeconds <= 600) || !(drainSeconds >= 0 && drainSeconds <= 1800)) throw new Error('--seconds/--get-seconds: up to 600, --drain-seconds up to 1800');
  if (!Number.isInteger(connections) || connections < 1 || connections > 1000) throw new Error('--connections: 1 … 1000');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const loadStart = loadavg();

  const self = fileURLToPath(import.meta.url);
  const child = fork(self, ['--serve', '--db', kind, ...(a['sql-profile'] === 'true' ? ['--sql-profile'] : [])], { execArgv: process.execArgv, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const childExited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  const stop = () => { if (child.connected) child.send({ cmd: 'close' }); };
  process.once('SIGINT', () => { stop(); setTimeout(() => process.exit(130), 15_000).unref(); });
  try {
    const ready = await new Promise<{ port: number; token: string; version: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 120 s')), 120_000);
      child.on('message', (m: any) => { if (m?.ready) { clearTimeout(timer); resolve(m); } });
      child.on('exit', (c) => reject(new Error(`server exited (${c}) before it was ready`)));
    });
    const url = `http://127.0.0.1:${ready.port}`;
    const headers = { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' };
    log(`${kind} (${ready.version}): server on ${url}; POST /api/v1/items for ${seconds} s with ${connections} connections`);

    // Warm-up: a few requests so the first measured ones do not pay for JIT and first queries.
    const stream = itemStream(seed);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${url}/api/v1/items`, { method: 'POST', headers, body: JSON.stringify(stream.next().value) });
      if (res.status !== 200) throw new Error(`warm-up POST failed: ${res.status} ${await res.text()}`);
    }
    await ask(child, { cmd: 'reset-peak' }, 'reset');
    const before = await ask<ServerStats>(child, { cmd: 'stats' }, 'stats');

    // 1. POST, each request a new item.
    let sent = 0;
    const machine = cpuReader();
    const post = await load({
      url, connections, duration: seconds, headers, method: 'POST',
      requests: [{
        method: 'POST', path: '/api/v1/items',
        setupRequest: (req: any) => { sent++; return { ...req, body: JSON.stringify(stream.next().value) }; },
      }],
    });
    const machineBusy = machine();
    const afterPost = await ask<ServerStats>(child, { cmd: 'stats' }, 'stats');
    const stored = afterPost.items - before.items;
    const ok = post.statusCodes['200'] ?? 0;

    // 2. The pipeline after the run, bounded by --drain-seconds.
    const left0 = afterPost.items - afterPost.done;
    const t0 = performance.now();
    let afterDrain = afterPost;
    while (afterDrain.items - afterDrain.done > 0 && performance.now() - t0 < drainSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      afterDrain = await ask<ServerStats>(child, { cmd: 'stats' }, 'stats');
    }
    const drainS = (performance.now() - t0) / 1000;
    const drained = afterDrain.done - afterPost.done;

    // 3. GET the latest 50.
    let get: RunResult | null = null;
    if (getSeconds > 0) {
      log(`GET /api/v1/items?limit=50 for ${getSeconds} s with ${connections} connections`);
      get = await load({ url: `${url}/api/v1/items?limit=50`, connections, duration: getSeconds, headers: { authorization: headers.authorization } });
    }
    const end = await ask<ServerStats>(child, { cmd: 'stats' }, 'stats');

    const L: string[] = [];
    L.push(`== API bench, ${kind} (${ready.version}); ${cpus().length} CPUs, load average at start ${loadStart.map((x) => x.toFixed(2)).join(' / ')}`);
    L.push(line(`POST /api/v1/items (1 new item per request, ${connections} connections, ${seconds} s)`, post));
    L.push(`  autocannon's own latency figures: p50 ${post.acP50} ms, p97.5 ${post.acP97_5} ms, p99 ${post.acP99} ms`);
    L.push(`  items stored during the run: ${fmt(stored)} (2xx responses: ${fmt(ok)}, requests started: ${fmt(sent)}; total in the database: ${fmt(afterPost.items)} incl. 20 warm-up)`);
    L.push(`  server process during POST: peak RSS ${MB(afterPost.peak.rss)}, peak heap ${MB(afterPost.peak.heapUsed)}, CPU ${afterPost.cpuS.toFixed(1)} s` +
      (afterPost.serverCpuS !== null ? `; PostgreSQL backends ≥ ${afterPost.serverCpuS.toFixed(1)} s CPU` : '') + `; whole machine ${(machineBusy * 100).toFixed(0)}% busy`);
    L.push(`pipeline: ${fmt(afterPost.done)} of ${fmt(afterPost.items)} items done when the POST run ended (${JSON.stringify(afterPost.byStage)}); ` +
      `in the next ${drainS.toFixed(1)} s it finished ${fmt(drained)} more = ${fmt(drained / Math.max(drainS, 0.001), 1)} items/s` +
      (afterDrain.items > afterDrain.done ? `; ${fmt(afterDrain.items - afterDrain.done)} still to do (of ${fmt(left0)})` : '; all done'));
    if (get) {
      L.push(line(`GET /api/v1/items?limit=50 (${connections} connections, ${getSeconds} s)`, get));
      L.push(`  autocannon's own latency figures: p50 ${get.acP50} ms, p97.5 ${get.acP97_5} ms, p99 ${get.acP99} ms`);
    }
    L.push(`server process over the whole bench: peak RSS ${MB(end.peak.rss)}, peak heap ${MB(end.peak.heapUsed)}`);
    console.log(L.join('\n'));
  } finally {
    stop();
    const code = await Promise.race([childExited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    if (code === null) { log('server did not stop in 30 s; killing it'); child.kill('SIGKILL'); }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
