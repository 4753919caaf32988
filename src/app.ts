// The running Allmende: database, migrations, queue, pipeline workers and the outbox runner,
// shared by the server, the worker command and the import command.
import type { Config } from './config.js';
import { openDb, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { startQueue, type Queue } from './store/queue.js';
import { STAGE_QUEUE, startPipelineWorkers, resumePipeline, type PipelineDeps } from './pipeline/stages.js';
import { runDueActions } from './pipeline/outbox.js';
import { createLanguageDetector } from './core/text/language.js';
import { loadSecretBox, type SecretBox } from './core/crypto.js';
import { createModeration } from './moderation/pipeline.js';
import { externalAnalyser } from './moderation/external.js';
import { inboxDecider } from './inbox/decider.js';
import { recordReplyOutcome } from './inbox/replies.js';
import { wakeSnoozed } from './inbox/state.js';
import { needsAnswerAnalyser } from './sla/analyser.js';
import { misinfoAnalyser } from './misinfo/analyser.js';
import { sentimentAnalyser } from './people/sentiment.js';
import { wavesAnalyser } from './misinfo/waves.js';
import { sweepSla } from './sla/sweep.js';
import { createPoller, createWatchers } from './connectors/poller.js';
import { peopleSweep } from './people/sweep.js';

/** A stage job of 500 items takes about a second; an item idle for a minute was orphaned. */
const STALLED_SECONDS = 60;
const SWEEP_EVERY_MS = 20_000;
const OUTBOX_EVERY_MS = 1_000;
const SNOOZE_EVERY_MS = 1_000;
const SLA_EVERY_MS = 1_000;
/** How often the poller looks for connections due (each connector sets its own interval). */
const POLL_CHECK_EVERY_MS = 1_000;
/** How often held connections (IMAP IDLE) are matched to the active connections. */
const WATCH_SYNC_EVERY_MS = 5_000;
/** Identity linking and the raw-payload retention purge. */
const PEOPLE_EVERY_MS = 60_000;

/** The server's idea of now: SLA clocks and breaches read it; tests set it. */
export interface Clock { now(): Date }

export interface App {
  config: Config;
  db: Db;
  queue: Queue;
  secrets: SecretBox;
  clock: Clock;
  close(): Promise<void>;
}

/** Runs fn every `ms`, never two at once, logging failures instead of dying. */
function every(ms: number, fn: () => Promise<unknown>, log: (m: string) => void): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = fn().catch((e) => log(`background task failed: ${e.message}`)).finally(() => { running = null; });
  }, ms);
  timer.unref();
  return async () => { clearInterval(timer); await running; };
}

export async function openApp(config: Config, opts: { workers: boolean; log?: (m: string) => void; clock?: Clock }): Promise<App> {
  const log = opts.log ?? (() => {});
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db, log);
    const secrets = loadSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir });
    const queue = await startQueue(db, Object.values(STAGE_QUEUE));
    const stops: (() => Promise<void>)[] = [];
    const clock: Clock = opts.clock ?? { now: () => new Date() };
    if (opts.workers) {
      const moderation = await createModeration();
      const deps: PipelineDeps = { db, queue, language: await createLanguageDetector(), analysers: [moderation.analyser, externalAnalyser(secrets), needsAnswerAnalyser(), misinfoAnalyser(), wavesAnalyser(), sentimentAnalyser()], deciders: [moderation.decider, inboxDecider] };
      // On the embedded database this process is the only one, so anything unfinished was cut
      // off by a crash. On a server, a worker that died leaves items no job will finish; the
      // sweep picks up whatever sat still for longer than any stage job may take.
      const resumed = await resumePipeline(db, queue, db.kind === 'pglite' ? 0 : STALLED_SECONDS);
      if (resumed) log(`resumed ${resumed} items that had not finished the pipeline`);
      await startPipelineWorkers(deps);
      stops.push(every(SWEEP_EVERY_MS, () => resumePipeline(db, queue, STALLED_SECONDS), log));
      stops.push(every(OUTBOX_EVERY_MS, async () => { while ((await runDueActions(db, secrets, 20, [recordReplyOutcome])) > 0); }, log));
      stops.push(every(SNOOZE_EVERY_MS, async () => { while ((await wakeSnoozed(db)) > 0); }, log));
      stops.push(every(SLA_EVERY_MS, () => sweepSla(db, clock.now()), log));
      const poller = createPoller(db, queue, secrets, { log });
      stops.push(every(POLL_CHECK_EVERY_MS, () => poller.pollDue(), log));
      const watchers = createWatchers(db, secrets, log);
      stops.push(every(WATCH_SYNC_EVERY_MS, () => watchers.sync(), log), () => watchers.stop());
      stops.push(every(PEOPLE_EVERY_MS, () => peopleSweep(db, clock.now()), log));
    }
    return {
      config, db, queue, secrets, clock,
      async close() {
        for (const stop of stops) await stop();
        await queue.stop();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** Waits until every item is through the pipeline (import, tests, benches). */
export async function drainPipeline(db: Db, opts: { timeoutMs?: number; onProgress?: (left: number) => void } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  const PROGRESS_EVERY_MS = 1_000;
  let counted = 0;
  for (;;) {
    // An `exists` stops at the first unfinished item (the partial index items_unfinished); the
    // full count is only for a progress bar, and only once a second.
    const [{ busy }] = await db.query<{ busy: boolean }>(`select exists (select 1 from items where stage <> 'done') as busy`);
    if (opts.onProgress && (!busy || Date.now() - counted >= PROGRESS_EVERY_MS)) {
      counted = Date.now();
      const [{ left }] = busy ? await db.query<{ left: number }>(`select count(*)::int as left from items where stage <> 'done'`) : [{ left: 0 }];
      opts.onProgress(left);
    }
    if (!busy) return;
    if (Date.now() > deadline) {
      const [{ left }] = await db.query<{ left: number }>(`select count(*)::int as left from items where stage <> 'done'`);
      throw new Error(`${left} items still in the pipeline after the time limit`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
