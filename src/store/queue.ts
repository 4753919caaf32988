// The durable job queue joining the pipeline stages: pg-boss on the same database (PGlite or a
// server), so a crash loses no job and any number of workers on a server share the work
// (pg-boss fetches with SKIP LOCKED, so no job is handed to two workers).
// Jobs carry batches of item ids, not single items: the queue costs per job, not per item.
import PgBoss from 'pg-boss';
import type { Db } from './db.js';

export interface Job<T> { id: string; data: T }

export interface Queue {
  /** Enqueue; pass `tx` to enqueue inside the caller's transaction (all or nothing). */
  send<T extends object>(name: string, data: T, tx?: Db): Promise<void>;
  work<T>(name: string, handler: (jobs: Job<T>[]) => Promise<void>, opts?: { batchSize?: number }): Promise<void>;
  /** Wakes this process's worker for the queue now instead of at its next poll (after a commit). */
  notify(name: string): void;
  /** True once stop() was called: a handler with more to do should leave the rest to a later job. */
  readonly stopping: boolean;
  /** Jobs not yet finished, per queue: for progress and for tests. */
  pending(name: string): Promise<number>;
  /** Stops fetching, then waits for every running handler, so the database can be closed after it. */
  stop(): Promise<void>;
}

const adapter = (db: Db) => ({
  async executeSql(text: string, values?: unknown[]) {
    // pg-boss sends its schema as one multi-statement text; those must go to exec.
    if (!values || values.length === 0) {
      if (text.includes(';')) { await db.exec(text); return { rows: [] }; }
    }
    return { rows: await db.query(text, values) };
  },
});

/** How often an idle worker looks for jobs another process sent (this process's own sends wake it at once). */
const POLL_MS = 500;

export async function startQueue(db: Db, queues: string[], opts: { supervise?: boolean } = {}): Promise<Queue> {
  const boss = new PgBoss({
    db: adapter(db) as any,
    // A stage job of 500 items takes about a second; one still active after 2 minutes belongs
    // to a worker that died, and pg-boss hands it out again (the pipeline sweep is faster).
    expireInSeconds: 120,
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    supervise: opts.supervise ?? true,
    schedule: false,
  });
  boss.on('error', (e) => console.error('[queue]', e.message));
  await boss.start();
  for (const name of queues) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  }
  let stopped = false;
  // Each queue's worker is a loop of our own over pg-boss's fetch/complete/fail (not boss.work):
  // stop() can then wait for a fetch still in flight and the handler it leads to, before the
  // caller closes the database. (pg-boss's graceful stop gives up after its timeout, and does not
  // wait for a fetch that returns jobs after it looked.)
  const workers = new Map<string, { notified: boolean; wake: (() => void) | null }>();
  const loops: Promise<void>[] = [];
  return {
    get stopping() { return stopped; },
    async send(name, data, tx) {
      await boss.send(name, data, tx ? { db: adapter(tx) as any } : {});
    },
    async work(name, handler, o = {}) {
      const batchSize = o.batchSize ?? 16;
      const w = { notified: false, wake: null as (() => void) | null };
      workers.set(name, w);
      loops.push((async () => {
        while (!stopped) {
          w.notified = false;
          let jobs: { id: string; data: unknown }[] = [];
          try {
            jobs = ((await boss.fetch(name, { batchSize })) ?? []) as typeof jobs;
          } catch (e: any) {
            console.error(`[queue] fetching ${name} failed: ${e.message}`);
          }
          if (jobs.length) {
            const ids = jobs.map((j) => j.id);
            try {
              await handler(jobs.map((j) => ({ id: j.id, data: j.data as any })));
              await boss.complete(name, ids);
            } catch (e: any) {
              // pg-boss retries the jobs with backoff; the stage guard makes a repeat harmless.
              await Promise.all(ids.map((id) => boss.fail(name, id, { message: e?.message ?? String(e) }))).catch((f: any) => console.error(`[queue] ${name}: ${f.message}`));
            }
          }
          // With a backlog, or woken meanwhile, fetch again at once; otherwise poll.
          if (stopped || jobs.length === batchSize || w.notified) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, POLL_MS);
            w.wake = () => { clearTimeout(timer); resolve(); };
          });
          w.wake = null;
        }
      })());
    },
    notify(name) {
      const w = workers.get(name);
      if (!w || stopped) return;
      w.notified = true;
      w.wake?.();
    },
    async pending(name) {
      const rows = await db.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job where name = $1 and state < 'completed'`, [name]);
      return rows[0].n;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const w of workers.values()) w.wake?.();
      await Promise.allSettled(loops);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 } as any);
    },
  };
}
