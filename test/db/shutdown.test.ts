// Closing Allmende while a pipeline stage is at work: the queue stops and the running job ends
// before the database closes (no "Cannot use a pool after calling end", no unhandled rejection),
// and on the next start every item finishes the pipeline exactly once.
import { describe, it, expect, afterAll } from 'vitest';
import { freshConfig, item } from '../helpers.js';
import { openApp, drainPipeline } from '../../src/app.js';
import { createWorkspace } from '../../src/auth/accounts.js';
import { acceptRows } from '../../src/pipeline/accept.js';

let cleanup = async () => {};
afterAll(async () => { await cleanup(); });

describe('shutdown', () => {
  it('waits for the running stage job before closing the database', async () => {
    const fresh = await freshConfig();
    cleanup = fresh.cleanup;
    const problems: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => { problems.push(args.map(String).join(' ')); };
    const onRejection = (e: unknown) => { problems.push(`unhandled: ${String(e)}`); };
    process.on('unhandledRejection', onRejection);
    try {
      // Items stored (with their jobs) while no worker runs; the next start works on all of them at once.
      const total = 8_000;
      const loader = await openApp(fresh.config, { workers: false });
      const ws = await createWorkspace(loader.db, { slug: 'nord', name: 'Nord' });
      for (let b = 0; b < total / 500; b++) {
        await acceptRows(loader.db, loader.queue, { workspaceId: ws.id }, Array.from({ length: 500 }, (_, i) => item(b * 500 + i)));
      }
      await loader.close();
      const app = await openApp(fresh.config, { workers: true });
      // Close at once, while the stages have just started on the backlog (checked below: items
      // were left unfinished). No timer: on PGlite a busy pipeline may not let one fire in time.
      const closing = Date.now();
      await app.close();
      // One stage run (at most 1,000 items) finishes; the rest of a long job waits for the next start.
      expect(Date.now() - closing).toBeLessThan(9_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(problems.filter((p) => /pool|closed|end/i.test(p) || p.startsWith('unhandled'))).toEqual([]);

      const check = await openApp(fresh.config, { workers: false });
      const [left] = await check.db.query<{ n: number }>(`select count(*)::int as n from items where stage <> 'done'`);
      await check.close();
      expect(left.n, 'closed while the pipeline was at work').toBeGreaterThan(0);

      const again = await openApp(fresh.config, { workers: true });
      await drainPipeline(again.db, { timeoutMs: 120_000 });
      const [r] = await again.db.query<{ signals: number; items: number }>(
        `select count(*)::int as signals, count(distinct item_id)::int as items from signals where kind = 'language'`);
      expect(r).toEqual({ signals: total, items: total });
      await again.close();
      expect(problems).toEqual([]);
    } finally {
      console.error = originalError;
      process.off('unhandledRejection', onRejection);
    }
  }, 240_000);
});
