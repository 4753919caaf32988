// Several `allmende worker` processes on one PostgreSQL server share the pipeline without
// processing any item twice. (The embedded database belongs to one process, so this is server-only.)
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { dbKind, freshConfig, item } from '../helpers.js';
import { openApp, drainPipeline } from '../../src/app.js';
import { createWorkspace } from '../../src/auth/accounts.js';
import { acceptRows } from '../../src/pipeline/accept.js';

const CLI = new URL('../../bin/allmende.js', import.meta.url).pathname;

describe.runIf(dbKind === 'postgres')('allmende worker', () => {
  const children: ChildProcess[] = [];
  let cleanup = async () => {};
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
    await cleanup();
  });

  it('three workers process 6,000 items, each exactly once', async () => {
    const fresh = await freshConfig();
    cleanup = fresh.cleanup;
    const app = await openApp(fresh.config, { workers: false });
    const ws = await createWorkspace(app.db, { slug: 'nord', name: 'Nord' });
    const logs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = spawn(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...fresh.env } });
      c.stderr.on('data', (d) => logs.push(String(d)));
      children.push(c);
    }
    for (let b = 0; b < 12; b++) {
      await acceptRows(app.db, app.queue, { workspaceId: ws.id }, Array.from({ length: 500 }, (_, i) => item(b * 500 + i)));
    }
    await drainPipeline(app.db, { timeoutMs: 120_000 });
    const [r] = await app.db.query<any>(
      `select count(*)::int as signals, count(distinct item_id)::int as items from signals where kind = 'language'`);
    expect(r).toEqual({ signals: 6000, items: 6000 });
    expect(children.every((c) => c.exitCode === null)).toBe(true);
    await app.close();
  }, 180_000);
});
