// The community graph view alone, at the size the issue asks for: 20,000 persons and 200,000
// edges in Debian's chromium with software WebGL (no GPU here).
//
//   npm run build:web && npm run bench:commons-view [-- --nodes 20000 --edges 200000 --clusters 40]
//
// The real server (PGlite in a temporary folder, 127.0.0.1 only) serves the built web app and the
// login; the two commons API calls are answered by the bench through playwright's page.route with a
// generated payload of the route's own shape (GraphView, Figures), so no 1M-item database and no
// analysis are needed to measure the drawing. Generated: clusters of skewed sizes, 85 % of edges
// inside a cluster, 10 % across, the rest with the team node; heavy-tailed weights; edges sorted
// heaviest first as the route sends them.
// Prints: time to the first drawn frame (from navigation), layout time, frame times p50/p95/p99/max
// and long tasks (> 50 ms) after the first frame — while laying out, during a scripted pan and zoom
// (mouse drag and wheel; requestAnimationFrame timestamps in the page), and for switching the
// cluster filter — plus the frames the software renderer really finished (WebGL fences), the frame
// drawn at rest at five zoom levels, the page's JS heap and its main-thread CPU time (CDP).
// --profile also prints the main thread's busiest functions during the pan and zoom and during the
// cluster filter. TRACE_GPU=<trace categories> also prints the busiest trace events of every
// browser thread during the pan. Stops itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app.js';
import { buildServer } from '../src/http/server.js';
import type { Figures, GraphView } from '../src/commons/analysis.js';
import { LEVELS } from '../web/src/pages/commons/backbone.js';

const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const NODES = Number(arg('nodes', '20000'));
const EDGES = Number(arg('edges', '200000'));
const CLUSTERS = Number(arg('clusters', '40'));
const PAN_MS = 8000;
const PROFILE = process.argv.includes('--profile');
// Bounded: whatever happens, the bench ends after ten minutes.
setTimeout(() => { console.error('bench/commons-view: gave up after 10 minutes'); process.exit(2); }, 600_000).unref();

const pct = (a: number[], p: number) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * p) - 1)] : NaN);
const ms = (v: number) => `${Math.round(v)} ms`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** A deterministic view payload of the route's shape. */
function payload(): { graph: GraphView; figures: Figures } {
  // mulberry32: integer arithmetic throughout (a float LCG loses its low bits and repeats soon).
  let s = 42;
  const rand = () => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  // Cluster sizes fall off like 1/rank; every member gets one.
  const share = Array.from({ length: CLUSTERS }, (_, c) => 1 / (c + 1));
  const total = share.reduce((a, b) => a + b, 0);
  const clusterOf = new Int32Array(NODES).fill(-1);
  const members: number[][] = Array.from({ length: CLUSTERS }, () => []);
  for (let v = 1; v < NODES; v++) {
    let r = rand() * total;
    let c = 0;
    while (c < CLUSTERS - 1 && r > share[c]) { r -= share[c]; c++; }
    clusterOf[v] = c;
    members[c].push(v);
  }
  // Activity is heavy-tailed: a few very active members attract most edges.
  const pick = (list: number[]) => list[Math.floor(list.length * rand() ** 1.6)];
  const merged = new Map<number, number>();
  const weightOf = () => 1 + Math.floor(-Math.log(1 - rand() * 0.999) * 3);
  for (let tries = 0; merged.size < EDGES; tries++) {
    if (tries > 20 * EDGES) throw new Error(`only ${merged.size} distinct edges among ${NODES} persons`);
    const r = rand();
    const c = clusterOf[1 + Math.floor(rand() * (NODES - 1))];
    const a = pick(members[c]);
    const b = r < 0.85 ? pick(members[c]) : r < 0.95 ? pick(members[Math.floor(rand() * CLUSTERS)]) : 0;
    if (a === b || a === undefined || b === undefined) continue;
    const key = Math.min(a, b) * NODES + Math.max(a, b);
    merged.set(key, (merged.get(key) ?? 0) + weightOf());
  }
  const weight = new Float64Array(NODES);
  const edges = [...merged.entries()].sort((x, y) => y[1] - x[1]).map(([key, w]): [number, number, number, number] => {
    const a = Math.floor(key / NODES);
    const b = key % NODES;
    weight[a] += w; weight[b] += w;
    return [a, b, w, a === 0 || b === 0 ? 1 : 0];
  });
  const nodes = Array.from({ length: NODES }, (_, v) => ({ id: 1000 + v, name: v === 0 ? null : `Person ${v}`, team: v === 0, cluster: clusterOf[v], weight: weight[v], betweenness: 0 }));
  const to = new Date();
  const from = new Date(+to - 90 * 86_400_000);
  const described = members.slice(0, 12).map((list, c) => ({ id: c, size: list.length, items: list.length * 5, members: [], terms: [] }));
  const figures: Figures = {
    from: from.toISOString(), to: to.toISOString(), platforms: [], persons: NODES - 1,
    interactions: { reply: EDGES, mention: 0, quote: 0 },
    commons: { memberToMember: EDGES, withTeam: 0, ratio: 1, trend: [] },
    connectors: [], clusters: { count: CLUSTERS, modularity: 0.5, described },
    newcomers: { count: 0, answered: 0, answeredByMembers: 0, returned: 0, answeredShare: null, returnedShare: null },
    retention: [], timings: {},
  };
  return { graph: { nodes, edges, truncated: { nodes: 0, edges: 0 } }, figures };
}

async function main() {
  const t0 = performance.now();
  const { graph, figures } = payload();
  const graphJson = JSON.stringify(graph);
  const figuresJson = JSON.stringify(figures);
  console.log(`payload: ${graph.nodes.length.toLocaleString('en')} persons, ${graph.edges.length.toLocaleString('en')} edges, ${(graphJson.length / 1048576).toFixed(1)} MB of JSON, generated in ${ms(performance.now() - t0)}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'commons-view-bench-'));
  const app = await openApp(loadConfig({ ALLMENDE_DATA: dataDir, LOG_LEVEL: 'warn' }), { workers: false });
  const server = await buildServer(app, { logger: false });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const setup = await server.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'bench@example.org', name: 'Bench', password: 'a long bench password', workspaceName: 'Bench' } });
    if (setup.statusCode !== 200) throw new Error(`setup: ${setup.body}`);
    // bypassCSP: the bench measures in the page with evaluated strings, which the app's CSP forbids.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE', bypassCSP: true });
    await context.route('**/api/v1/commons/graph?*', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: graphJson }));
    await context.route('**/api/v1/commons/figures?*', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: figuresJson }));
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    await page.goto(base);
    await page.getByTestId('login-email').fill('bench@example.org');
    await page.getByTestId('login-password').fill('a long bench password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();

    // Long tasks and frames from the very start of the page; the page is loaded afresh on the
    // community page so that performance.now() counts from navigation.
    await page.addInitScript(`
      window.bench = { long: [], frames: [] };
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.bench.long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
      (function tick(ts) { if (ts) window.bench.frames.push(ts); requestAnimationFrame(tick); })();
      // Without a GPU, animation frames keep coming at 60 per second however far the software
      // renderer falls behind. So after each frame in which the graph was drawn, the bench leaves
      // a fence in the graph's WebGL contexts and records when the renderer has really finished it.
      window.bench.done = [];
      let drewAt = null;
      const draw = WebGL2RenderingContext.prototype.drawArrays;
      WebGL2RenderingContext.prototype.drawArrays = function (...a) { drewAt = performance.now(); return draw.apply(this, a); };
      const pending = window.bench.pending = [];
      (function fence() {
        const now = performance.now();
        while (pending.length && pending[0].syncs.every(([gl, s]) => gl.getSyncParameter(s, gl.SYNC_STATUS) === gl.SIGNALED)) {
          const f = pending.shift();
          f.syncs.forEach(([gl, s]) => gl.deleteSync(s));
          window.bench.done.push([f.at, now]);
        }
        if (drewAt !== null) {
          const syncs = [];
          for (const c of document.querySelectorAll('canvas.sigma-nodes, canvas.sigma-edges')) {
            const gl = c.getContext('webgl2');
            if (gl) { const s = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0); gl.flush(); syncs.push([gl, s]); }
          }
          if (syncs.length) pending.push({ at: drewAt, syncs });
          drewAt = null;
        }
        requestAnimationFrame(fence);
      })();
    `);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpu = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      return { script: m.ScriptDuration * 1000, task: m.TaskDuration * 1000, heap: m.JSHeapUsedSize };
    };
    // A new document (a hash change alone would not reload the page).
    await page.goto('about:blank');
    await page.goto(`${base}/#/commons`);
    const mark = (name: string) => page.evaluate(`(performance.getEntriesByName('${name}')[0] || {}).startTime`) as Promise<number | undefined>;
    await page.waitForFunction(`performance.getEntriesByName('commons-graph-drawn').length > 0`);
    const drawn = (await mark('commons-graph-drawn'))!;
    await page.waitForFunction(`document.querySelector('[data-testid="commons-graph"]')?.getAttribute('data-state') === 'ready'`);
    const laidOut = (await mark('commons-graph-laid-out')) ?? drawn;
    // Let the last layout step reach the screen.
    await page.waitForTimeout(1000);
    const afterLayout = await cpu();
    const shownEdges = await page.getByTestId('commons-graph').getAttribute('data-drawn-edges');

    // Frames at rest as the view comes closer (four turns of the wheel in, 1.7× each, then out
    // again to where it was): more connections are drawn at each level of detail. How long the
    // renderer takes for the frame drawn once the view has come to rest.
    const atRest: string[] = [];
    const wheel = (deltaY: number) => page.evaluate(`(() => {
      const layer = document.querySelector('[data-testid="commons-graph"] canvas:last-of-type');
      const r = layer.getBoundingClientRect();
      layer.dispatchEvent(new WheelEvent('wheel', { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, deltaY: ${deltaY}, deltaMode: 0, bubbles: true, cancelable: true }));
    })()`);
    for (let step = 0; step <= 4; step++) {
      if (step > 0) await wheel(-300);
      await page.waitForTimeout(800);
      await page.waitForFunction('window.bench.pending.length === 0', undefined, { timeout: 60_000 });
      const [drawnAt, finishedAt] = await page.evaluate('window.bench.done.at(-1)') as [number, number];
      atRest.push(`${(1.7 ** step).toFixed(1)}× ${ms(finishedAt - drawnAt)}`);
    }
    for (let step = 0; step < 4; step++) { await wheel(300); await page.waitForTimeout(400); }
    await page.waitForTimeout(1000);

    // --profile: the main thread's CPU profile of the pan and zoom, top functions by own time.
    if (PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
    // TRACE_GPU: a trace of every browser thread during the pan (the GPU process's too).
    type TraceEvent = { name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } };
    const traced: TraceEvent[] = [];
    const TRACE = process.env.TRACE_GPU;
    const tracing = TRACE ? await browser.newBrowserCDPSession() : null;
    const traceDone = tracing ? new Promise<void>((r) => tracing.once('Tracing.tracingComplete', () => r())) : Promise.resolve();
    if (tracing) {
      tracing.on('Tracing.dataCollected', (e) => { traced.push(...(e.value as unknown as TraceEvent[])); });
      await tracing.send('Tracing.start', { categories: TRACE, transferMode: 'ReportEvents' });
    }
    const panStart = await page.evaluate('performance.now()') as number;
    // Scripted in the page, one step per animation frame: drag in circles, and a wheel turn every
    // 40 frames (in alternating directions). Events go to sigma's mouse layer as a user's would;
    // driving the mouse over the DevTools protocol would measure its round trips instead.
    await page.evaluate(`new Promise((done) => {
      const layer = document.querySelector('[data-testid="commons-graph"] canvas:last-of-type');
      const r = layer.getBoundingClientRect();
      const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      const at = (i) => ({ clientX: cx + 200 * Math.sin(i / 10), clientY: cy + 150 * Math.cos(i / 10), bubbles: true, cancelable: true });
      const end = performance.now() + ${PAN_MS};
      let i = 0;
      layer.dispatchEvent(new MouseEvent('mousedown', { ...at(0), button: 0, buttons: 1 }));
      (function step() {
        i++;
        if (performance.now() > end) { layer.dispatchEvent(new MouseEvent('mouseup', { ...at(i), button: 0 })); return done(); }
        if (i % 40 === 20) {
          layer.dispatchEvent(new MouseEvent('mouseup', { ...at(i), button: 0 }));
          layer.dispatchEvent(new WheelEvent('wheel', { ...at(i), deltaY: i % 80 === 20 ? -300 : 300, deltaMode: 0 }));
          layer.dispatchEvent(new MouseEvent('mousedown', { ...at(i), button: 0, buttons: 1 }));
        } else layer.dispatchEvent(new MouseEvent('mousemove', { ...at(i), buttons: 1 }));
        requestAnimationFrame(step);
      })();
    })`);
    await page.waitForTimeout(500);
    const panEnd = await page.evaluate('performance.now()') as number;
    if (tracing) {
      await tracing.send('Tracing.end');
      await traceDone;
      const threads = new Map<string, string>();
      for (const e of traced) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
      const own = new Map<string, number>();
      for (const e of traced) if (e.ph === 'X' && e.dur) { const k = `${threads.get(`${e.pid}:${e.tid}`) ?? e.tid} ${e.name}`; own.set(k, (own.get(k) ?? 0) + e.dur / 1000); }
      console.log('pan and zoom, trace events by total time (nested events count in their parents too):');
      for (const [k, v] of [...own.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${ms(v)}  ${k}`);
    }
    const afterPan = await cpu();
    const printProfile = async (what: string) => {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const dt = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      console.log(`${what}, main thread by own time:`);
      for (const [name, t] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms(t)}  ${name}`);
    };
    if (PROFILE) await printProfile('pan and zoom');

    // The cluster filter: from all to the biggest cluster and back.
    if (PROFILE) await cdp.send('Profiler.start');
    const filterStart = panEnd;
    for (const value of ['0', '']) {
      await page.getByTestId('commons-cluster-filter').selectOption(value);
      await page.waitForTimeout(1500);
    }
    const filterEnd = await page.evaluate('performance.now()') as number;
    const afterFilter = await cpu();
    if (PROFILE) await printProfile('cluster filter on and off');

    const { long, frames, done } = await page.evaluate('window.bench') as { long: [number, number][]; frames: number[]; done: [number, number][] };
    // Frames whose drawing the software renderer finished in the window, and how late.
    const finished = (from: number, to: number) => {
      const f = done.filter(([, at]) => at >= from && at <= to);
      const lag = f.map(([issued, at]) => at - issued);
      return `${f.length} in ${((to - from) / 1000).toFixed(1)} s (${(f.length / ((to - from) / 1000)).toFixed(1)} per s), finished after p50 ${ms(pct(lag, 0.5))}, p95 ${ms(pct(lag, 0.95))}, max ${ms(Math.max(0, ...lag))}`;
    };
    const window_ = (from: number, to: number) => {
      const f = frames.filter((t) => t >= from && t <= to);
      const gaps = f.slice(1).map((t, i) => t - f[i]);
      const tasks = long.filter(([s]) => s >= from && s <= to).map(([, d]) => d);
      return `${gaps.length} frames, frame time p50 ${ms(pct(gaps, 0.5))}, p95 ${ms(pct(gaps, 0.95))}, p99 ${ms(pct(gaps, 0.99))}, max ${ms(Math.max(0, ...gaps))}; long tasks ${tasks.length}, longest ${ms(Math.max(0, ...tasks))}, over 200 ms ${tasks.filter((d) => d > 200).length}`;
    };
    console.log(`load average before/after: ${loadBefore} / ${load()}`);
    console.log(`first drawn frame ${ms(drawn)} after navigation; layout done ${ms(laidOut - drawn)} later (${ms(laidOut)}); edges drawn at rest: ${shownEdges ?? 'all'}`);
    console.log(`while laying out: ${window_(drawn, laidOut + 1000)}`);
    console.log(`pan and zoom (${PAN_MS / 1000} s, software WebGL): ${window_(panStart, panEnd)}`);
    console.log(`pan and zoom, frames the renderer finished: ${finished(panStart, panEnd)}`);
    console.log(`cluster filter on and off: ${window_(filterStart, filterEnd)}`);
    console.log(`frame at rest, by zoom (connections drawn: ${LEVELS.map((l) => (l.closerThan === Infinity ? 'at 1×' : `from ${(1 / l.closerThan).toFixed(0)}×`) + ` ${l.perPerson === Infinity ? 'all' : `${l.perPerson} per person`}`).join(', ')}): ${atRest.join(', ')}`);
    console.log(`main-thread CPU (task / script): until laid out ${ms(afterLayout.task)} / ${ms(afterLayout.script)}, pan and zoom ${ms(afterPan.task - afterLayout.task)} / ${ms(afterPan.script - afterLayout.script)}, filter ${ms(afterFilter.task - afterPan.task)} / ${ms(afterFilter.script - afterPan.script)}`);
    console.log(`JS heap of the page: ${(afterFilter.heap / 1048576).toFixed(0)} MB`);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadBefore = load();
await main();
process.exit(0);
