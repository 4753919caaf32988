// What the link-wave and newcomer-burst analyser adds to the analyse stage, per item: the
// generated corpus of bench/ingest.ts is ingested into PGlite (workers off), then the analyse
// stage's batches are replayed in id order through the misinformation analyser (for scale) and
// the waves analyser, each timed on its own (CPU time of this process, which includes PGlite's
// work, and wall time). The cost of a run "without" is the ingest.ts figure minus this one.
//
//   node --import tsx bench/waves.ts [--items 20000] [--batch 500] [--seed 1] [--fresh]
//
// Everything is local (a temporary folder, removed afterwards); the run stops by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app.js';
import { acceptRows } from '../src/pipeline/accept.js';
import { createWorkspace } from '../src/auth/accounts.js';
import { normaliseText } from '../src/core/text/normalise.js';
import { extractLinks } from '../src/core/text/links.js';
import type { Analyser } from '../src/pipeline/stages.js';
import { misinfoAnalyser } from '../src/misinfo/analyser.js';
import { wavesAnalyser } from '../src/misinfo/waves.js';
import { itemStream } from './generate.js';
import { args } from './ingest.js';

const opts = args();
const ITEMS = Number(opts.items ?? 20_000);
const BATCH = Number(opts.batch ?? 500);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const dir = mkdtempSync(join(tmpdir(), 'allmende-bench-waves-'));
const app = await openApp(loadConfig({ ALLMENDE_DATA: dir, LOG_LEVEL: 'warn' }), { workers: false });
try {
  const ws = await createWorkspace(app.db, { slug: 'bench', name: 'Bench' });
  const stream = itemStream(Number(opts.seed ?? 1));
  const all = Array.from({ length: ITEMS }, () => stream.next().value as { createdAt: string });
  // One item a month before the corpus: the workspace has been watching, so every account it
  // first sees in the corpus counts as new (the analyser's busiest case). --fresh leaves it out.
  if (opts.fresh !== 'true') {
    const start = Math.min(...all.map((r) => Date.parse(r.createdAt)));
    await acceptRows(app.db, app.queue, { workspaceId: ws.id }, [{ ...all[0], platformId: 'watching-since', createdAt: new Date(start - 30 * 86_400_000).toISOString() }]);
  }
  for (let sent = 0; sent < ITEMS; sent += BATCH) await acceptRows(app.db, app.queue, { workspaceId: ws.id }, all.slice(sent, sent + BATCH), sent + 1);
  console.log(`ingested ${ITEMS} items into PGlite; load average ${load()}`);

  const analysers: [string, Analyser][] = [['misinfo (claims, domains, near-copies)', misinfoAnalyser()], ['waves (link waves, newcomer bursts)', wavesAnalyser()]];
  const cpu = analysers.map(() => 0);
  const wall = analysers.map(() => 0);
  const perBatch: number[][] = analysers.map(() => []);
  const found = new Map<string, number>();
  let withLinks = 0;
  const ids = (await app.db.query<{ id: number }>(`select id from items order by id`)).map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await app.db.query<{ id: number; workspace_id: string; text: string; links: string[] }>(
      `select id, workspace_id, text, links from items where id = any($1::bigint[]) order by id`, [ids.slice(i, i + BATCH)]);
    // As the analyse stage hands them over (its `rows`): normalised text and all links.
    const batch = rows.map((r) => {
      const { normalised, folded } = normaliseText(r.text);
      const links = [...new Set([...r.links, ...extractLinks(normalised)])];
      if (links.length) withLinks++;
      return { id: Number(r.id), workspace_id: r.workspace_id, normalised, folded, language: null, links };
    });
    for (const [k, [, a]] of analysers.entries()) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const signals = await a.analyse(app.db, batch);
      const w = performance.now() - w0;
      const c = process.cpuUsage(c0);
      cpu[k] += (c.user + c.system) / 1000;
      wall[k] += w;
      perBatch[k].push(w / batch.length);
      for (const s of signals) found.set(s.kind, (found.get(s.kind) ?? 0) + 1);
    }
  }
  console.log(`== analyse batches of ${BATCH}, ${ids.length} items (${withLinks} with links), PGlite in process`);
  for (const [k, [name]] of analysers.entries()) {
    console.log(`${name.padEnd(40)} CPU ${(cpu[k] / ids.length).toFixed(3)} ms/item, wall ${(wall[k] / ids.length).toFixed(3)} ms/item (per batch p50 ${pct(perBatch[k], 0.5).toFixed(3)}, p95 ${pct(perBatch[k], 0.95).toFixed(3)} ms/item)`);
  }
  console.log(`signals: ${[...found].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  const [size] = await app.db.query<{ n: number }>(`select count(*)::int as n from misinfo_link_posts`);
  console.log(`link rows kept: ${size.n}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average at end ${load()}`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
