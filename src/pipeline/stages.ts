// The pipeline after ingest: analyse -> decide, each a queue of jobs carrying item ids, then act:
// the actions decide put in the outbox are carried out by the outbox runner (outbox.ts).
// Every stage only takes items that are at its own stage (locked, SKIP LOCKED), so a job that
// runs twice — a retry after a crash, or the resume sweep — does nothing twice.
import type { Db } from '../store/db.js';
import type { Queue, Job } from '../store/queue.js';
import { normaliseText } from '../core/text/normalise.js';
import type { LanguageDetector } from '../core/text/language.js';
import { extractLinks } from '../core/text/links.js';
import { addToConversationSearch } from '../inbox/search.js';

export const STAGE_QUEUE = { analyse: 'pipeline-analyse', decide: 'pipeline-decide' } as const;
type Stage = keyof typeof STAGE_QUEUE;
const AT_STAGE: Record<Stage, string> = { analyse: 'ingested', decide: 'analysed' };

export interface ItemIds { itemIds: number[] }

/** An item as the analysers see it, after normalisation and language detection. */
export interface AnalysedItem { id: number; workspace_id: string; normalised: string; folded: string; language: string | null }

/** A finding about an item, always with its evidence and the tool (and version) that made it. */
export interface SignalRow { item_id: number; workspace_id: string; kind: string; label: string | null; score: number | null; evidence: unknown; source: string }

/** Moderation (word lists, classifiers) and later capabilities plug into the analyse stage. */
export interface Analyser {
  analyse(db: Db, items: AnalysedItem[]): Promise<SignalRow[]>;
}

/** Rules and policies plug into the decide stage; they act through the transaction they are given. */
export interface Decider {
  decide(tx: Db, items: { id: number; workspace_id: string }[]): Promise<void>;
}

export interface PipelineDeps {
  db: Db;
  queue: Queue;
  language: LanguageDetector;
  analysers: Analyser[];
  deciders: Decider[];
}

const SEARCH_CONFIG: Record<string, string> = { de: 'german', en: 'english' };

async function take(tx: Db, stage: Stage, ids: number[]) {
  return tx.query<{ id: number; workspace_id: string; text: string }>(
    `select id, workspace_id, text from items
     where id = any($1::bigint[]) and stage = $2 order by id for update skip locked`, [ids, AT_STAGE[stage]]);
}

async function advance(tx: Db, ids: number[], to: string) {
  // clock_timestamp, not now(): when the stage finished, not when its transaction began.
  await tx.query(`update items set stage = $2, stage_at = clock_timestamp() where id = any($1::bigint[])`, [ids, to]);
}

/** Stores signals in one statement (also for analysers that add signals to items past this stage). */
export async function insertSignals(db: Db, signals: SignalRow[]): Promise<void> {
  if (!signals.length) return;
  await db.query(
    `insert into signals (workspace_id, item_id, kind, label, score, evidence, source)
     select workspace_id, item_id, kind, label, score, coalesce(evidence, '{}'), source
     from jsonb_to_recordset($1::jsonb) as s(workspace_id uuid, item_id bigint, kind text, label text, score real, evidence jsonb, source text)`,
    [JSON.stringify(signals)]);
}

/**
 * Analysis runs outside any transaction (an external classifier may take seconds, and on PGlite
 * a transaction holds the only connection); only the writing is one transaction, for the items
 * still at this stage with the text that was analysed (an edit in between gets its own run).
 */
export async function analyse(deps: PipelineDeps, ids: number[]): Promise<void> {
  const items = await deps.db.query<{ id: number; workspace_id: string; text: string; language_hint: string | null; links: string[] }>(
    `select id, workspace_id, text, language_hint, links from items where id = any($1::bigint[]) and stage = 'ingested' order by id`, [ids]);
  if (!items.length) return;
  const rows = items.map((it) => {
    const { normalised, folded } = normaliseText(it.text);
    const detected = deps.language.detect(normalised);
    // The platform's own language tag is a hint; the detector wins when it is sure.
    const language = detected.language ?? it.language_hint ?? null;
    return {
      id: it.id,
      workspace_id: it.workspace_id,
      text: it.text,
      normalised,
      folded,
      language,
      confidence: detected.confidence,
      detected: detected.language,
      config: SEARCH_CONFIG[language ?? ''] ?? 'simple',
      links: [...new Set([...it.links, ...extractLinks(normalised)])],
    };
  });
  const found: SignalRow[] = [];
  for (const a of deps.analysers) found.push(...(await a.analyse(deps.db, rows)));

  await deps.db.transaction(async (tx) => {
    const current = new Map((await take(tx, 'analyse', ids)).map((i) => [i.id, i.text]));
    const mine = rows.filter((r) => current.get(r.id) === r.text);
    if (!mine.length) return;
    const kept = new Set(mine.map((r) => r.id));
    await tx.query(
      `update items i set text_normalised = r.normalised, text_folded = r.folded, language = r.language,
         links = r.links, search = to_tsvector(r.config::regconfig, r.normalised), stage = 'analysed', stage_at = now()
       from jsonb_to_recordset($1::jsonb) as r(id bigint, normalised text, folded text, language text, links text[], config text)
       where i.id = r.id`, [JSON.stringify(mine)]);
    // The inbox finds a conversation by the words of any of its items.
    await addToConversationSearch(tx, [...kept]);
    const signals: SignalRow[] = [
      ...mine.filter((r) => r.language).map((r) => ({
        item_id: r.id, workspace_id: r.workspace_id, kind: 'language', label: r.language, score: r.confidence,
        evidence: { detected: r.detected, confidence: r.confidence }, source: `language:${deps.language.name}`,
      })),
      ...found.filter((f) => kept.has(f.item_id)),
    ];
    await insertSignals(tx, signals);
    if (mine.length <= DECIDE_AT_ONCE_MAX) await decide({ ...deps, db: tx }, [...kept], mine.map((r) => ({ id: r.id, workspace_id: r.workspace_id })));
    else await deps.queue.send(STAGE_QUEUE.decide, { itemIds: mine.map((r) => r.id) }, tx);
  });
}

/** `taken`: items the caller's transaction already holds at this stage (the analysis, for small runs). */
export async function decide(deps: PipelineDeps, ids: number[], taken?: { id: number; workspace_id: string }[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const items = taken ?? (await take(tx, 'decide', ids));
    if (!items.length) return;
    for (const d of deps.deciders) await d.decide(tx, items);
    // Decided is done: what is left to do on platforms waits in the outbox, not in the pipeline.
    await advance(tx, items.map((i) => i.id), 'done');
  });
}

const HANDLERS: Record<Stage, (deps: PipelineDeps, ids: number[]) => Promise<void>> = { analyse, decide };

const NEXT: Partial<Record<Stage, Stage>> = { analyse: 'decide' };
/** Items per stage run: jobs fetched together are merged, so single-item jobs batch up too. */
const RUN_SIZE = 1000;
/**
 * A run this small (items trickling in one by one, where someone waits for the verdict) is
 * decided in the transaction that stores its analysis: no decide job, no second commit, no
 * queue round trip. Larger runs (a backlog) go to the decide worker as a job, so that analysing
 * the next run and deciding this one overlap. Should the process die in between, the items are
 * at 'analysed' either way, and the resume sweep finds them.
 */
const DECIDE_AT_ONCE_MAX = 50;

/** Starts this process's workers for every stage. */
export async function startPipelineWorkers(deps: PipelineDeps): Promise<void> {
  for (const stage of Object.keys(STAGE_QUEUE) as Stage[]) {
    await deps.queue.work<ItemIds>(STAGE_QUEUE[stage], async (jobs: Job<ItemIds>[]) => {
      const ids = jobs.flatMap((j) => j.data.itemIds);
      for (let i = 0; i < ids.length; i += RUN_SIZE) {
        // Shutting down: the items not yet run go back into the queue as a job of their own (for
        // another worker, or this one after a restart); the stage guard makes any repeat a no-op.
        if (deps.queue.stopping) {
          await deps.queue.send(STAGE_QUEUE[stage], { itemIds: ids.slice(i) });
          return;
        }
        await HANDLERS[stage](deps, ids.slice(i, i + RUN_SIZE));
      }
      const next = NEXT[stage];
      if (next) deps.queue.notify(STAGE_QUEUE[next]);
    });
  }
}

/**
 * Re-enqueues items that stopped short of the end of the pipeline and were not touched for
 * `idleSeconds` (0 for the embedded database, where no other process can be working on them).
 * Harmless when a job for them still exists: the stage guard makes the second run a no-op.
 */
export async function resumePipeline(db: Db, queue: Queue, idleSeconds: number): Promise<number> {
  let total = 0;
  for (const stage of Object.keys(STAGE_QUEUE) as Stage[]) {
    let after = 0;
    for (;;) {
      const rows = await db.query<{ id: number }>(
        `select id from items where stage = $1 and stage_at < now() - make_interval(secs => $2) and id > $3
         order by id limit 500`, [AT_STAGE[stage], idleSeconds, after]);
      if (!rows.length) break;
      const itemIds = rows.map((r) => r.id);
      await queue.send(STAGE_QUEUE[stage], { itemIds });
      total += itemIds.length;
      after = itemIds[itemIds.length - 1];
    }
  }
  return total;
}
