// `allmende import` through the real command: formats, summary, bad rows, resume after SIGKILL.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshConfig, item } from '../helpers.js';
import { openApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createWorkspace } from '../../src/auth/accounts.js';

const CLI = new URL('../../bin/allmende.js', import.meta.url).pathname;
let config: Config;
let env: Record<string, string>;
let cleanup: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'allmende-import-'));

const running = new Set<ReturnType<typeof spawn>>();

function run(args: string[], opts: { killWhen?: (stderr: string) => boolean } = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (opts.killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(config, { workers: false });
  try { return await fn(app); } finally { await app.close(); }
}

beforeAll(async () => {
  ({ config, env, cleanup } = await freshConfig());
  await withApp((app) => createWorkspace(app.db, { slug: 'nord', name: 'Nord' }));
});
afterAll(async () => {
  // A test that timed out leaves its command running: stop it, so it cannot load the machine.
  for (const c of running) c.kill('SIGKILL');
  await cleanup?.();
});

describe('allmende import', () => {
  it('imports NDJSON, JSON and CSV with a summary naming rejected rows', async () => {
    const nd = join(dir, 'export.ndjson');
    writeFileSync(nd, [JSON.stringify(item(1)), '{"broken json', JSON.stringify({ ...item(3), platform: 'myspace' }), JSON.stringify(item(4)), ''].join('\n'));
    const a = await run(['import', nd]);
    expect(a.stderr).toMatch(/rows 4: 2 new, 0 updated, 0 duplicate, 2 rejected/);
    expect(a.stderr).toMatch(/row 2, \(row\): not valid JSON/);
    expect(a.stderr).toMatch(/row 3, platform: unknown platform/);
    expect(a.code).toBe(3);

    const js = join(dir, 'export.json');
    writeFileSync(js, JSON.stringify({ items: [item(1), item(5)] }));
    expect((await run(['import', js, '--workspace', 'nord'])).stderr).toMatch(/rows 2: 1 new, 0 updated, 1 duplicate, 0 rejected/);

    const csv = join(dir, 'export.csv');
    writeFileSync(csv, 'platform,platformId,kind,author.handle,text,createdAt\nyoutube,yt-1,comment,@anna,"Danke, sehr hilfreich!",2026-11-01T10:00:00Z\nyoutube,yt-2,comment,@bob,"Zeile mit\nUmbruch, ""Zitat""",2026-11-01T10:01:00Z\nyoutube,,comment,@c,leer,2026-11-01T10:02:00Z\n');
    const c = await run(['import', csv]);
    expect(c.stderr).toMatch(/rows 3: 2 new, 0 updated, 0 duplicate, 1 rejected/);
    expect(c.stderr).toMatch(/row 3, platformId: is required/);

    const again = await run(['import', csv]);
    expect(again.stderr).toMatch(/imported completely before/);

    await withApp(async (app) => {
      const rows = await app.db.query<any>(`select platform_id, text, author_handle, stage from items where platform = 'youtube' order by platform_id`);
      expect(rows).toEqual([
        { platform_id: 'yt-1', text: 'Danke, sehr hilfreich!', author_handle: '@anna', stage: 'done' },
        { platform_id: 'yt-2', text: 'Zeile mit\nUmbruch, "Zitat"', author_handle: '@bob', stage: 'done' },
      ]);
      expect((await app.db.query<any>(`select count(*)::int as n from items where stage <> 'done'`))[0].n).toBe(0);
    });
  }, 300_000);

  it('rejects a line of invalid UTF-8 and keeps the others', async () => {
    const file = join(dir, 'latin1.ndjson');
    writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify(item(50)) + '\n'), Buffer.from('{"platform":"x","platformId":"l1","text":"Gr'), Buffer.from([0xfc]), Buffer.from('n"}\n')]));
    const r = await run(['import', file]);
    expect(r.stderr).toMatch(/row 2, \(row\): not valid UTF-8/);
    expect(r.stderr).toMatch(/1 new/);
  });

  it('survives SIGKILL in the middle of 20,000 items: after a re-run every item is there once and through the pipeline', async () => {
    const file = join(dir, 'big.ndjson');
    const N = 20_000;
    writeFileSync(file, Array.from({ length: N }, (_, i) => JSON.stringify(item(100_000 + i, { platform: 'facebook' }))).join('\n') + '\n');
    const killed = await run(['import', file], { killWhen: (s) => /import 1\d{4}/.test(s) });
    expect(killed.signal).toBe('SIGKILL');
    const partial = await withApp(async (app) => (await app.db.query<any>(`select count(*)::int as n from items where platform = 'facebook'`))[0].n);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(N);

    const rerun = await run(['import', file]);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/resumed after row \d+/);
    await withApp(async (app) => {
      const [r] = await app.db.query<any>(
        `select count(*)::int as n, count(distinct platform_id)::int as distinct_ids, count(*) filter (where stage = 'done')::int as done
         from items where platform = 'facebook'`);
      expect(r).toEqual({ n: N, distinct_ids: N, done: N });
      // Each item was analysed exactly once: one language signal each, none doubled by the crash.
      const [s] = await app.db.query<any>(
        `select count(*)::int as n, count(distinct item_id)::int as items from signals s join items i on i.id = s.item_id
         where i.platform = 'facebook' and s.kind = 'language'`);
      expect(s.n).toBe(s.items);
    });
  }, 600_000);
});
