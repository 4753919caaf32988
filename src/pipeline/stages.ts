// The pipeline after ingest: analyse -> decide -> act, each a queue of jobs carrying item ids.
// Every stage only takes items that are at its own stage (locked, SKIP LOCKED), so a job that
// runs twice — a retry after a crash, or the resume sweep — does nothing twice.
import type { Db } from '../store/db.js';
import type { Queue, Job } from '../store/queue.js';
import { normaliseText } from '../core/text/normalise.js';
import type { LanguageDetector } from '../core/text/language.js';
import { extractLinks } from '../core/text/links.js';

export const STAGE_QUEUE = { analyse: 'pipeline-analyse', decide: 'pipeline-decide', act: 'pipeline-act' } as const;
type Stage = keyof typeof STAGE_QUEUE;
const AT_STAGE: Record<Stage, string> = { analyse: 'ingested', decide: 'analysed', act: 'decided' };

export interface ItemIds { itemIds: number[] }

/** A verdict of the decide stage: something to do about an item, and why. */
export interface Verdict { itemId: number; action: string; payload?: Record<string, unknown>; reason: string; source: string }

/** What the moderation rules (and later capabilities) plug into the decide stage. */
export interface Decider {
  decide(tx: Db, items: { id: number; workspace_id: string }[]): Promise<Verdict[]>;
}

/** Carries out outbox actions on a platform; connectors implement it. */
export interface ActionRunner {
  run(tx: Db, action: { id: number; type: string; payload: any; connection_id: string; item_id: number | null }): Promise<{ state: 'done' | 'failed' | 'unsupported'; result: unknown }>;
}

export interface PipelineDeps {
  db: Db;
  queue: Queue;
  language: LanguageDetector;
  deciders: Decider[];
  actions: ActionRunner | null;
}

const SEARCH_CONFIG: Record<string, string> = { de: 'german', en: 'english' };

async function take(tx: Db, stage: Stage, ids: number[]) {
  return tx.query<{ id: number; workspace_id: string; text: string; language_hint: string | null; links: string[] }>(
    `select id, workspace_id, text, language_hint, links from items
     where id = any($1::bigint[]) and stage = $2 order by id for update skip locked`, [ids, AT_STAGE[stage]]);
}

async function advance(tx: Db, ids: number[], to: string) {
  await tx.query(`update items set stage = $2, stage_at = now() where id = any($1::bigint[])`, [ids, to]);
}

export async function analyse(deps: PipelineDeps, ids: number[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const items = await take(tx, 'analyse', ids);
    if (!items.length) return;
    const rows = items.map((it) => {
      const { normalised, folded } = normaliseText(it.text);
      const detected = deps.language.detect(normalised);
      // The platform's own language tag is a hint; the detector wins when it is sure.
      const language = detected.language ?? it.language_hint ?? null;
      return {
        id: it.id,
        workspace_id: it.workspace_id,
        normalised,
        folded,
        language,
        confidence: detected.confidence,
        detected: detected.language,
        config: SEARCH_CONFIG[language ?? ''] ?? 'simple',
        links: [...new Set([...it.links, ...extractLinks(normalised)])],
      };
    });
    await tx.query(
      `update items i set text_normalised = r.normalised, text_folded = r.folded, language = r.language,
         links = r.links, search = to_tsvector(r.config::regconfig, r.normalised), stage = 'analysed', stage_at = now()
       from jsonb_to_recordset($1::jsonb) as r(id bigint, normalised text, folded text, language text, links text[], config text)
       where i.id = r.id`, [JSON.stringify(rows)]);
    await tx.query(
      `insert into signals (workspace_id, item_id, kind, label, score, evidence, source)
       select r.workspace_id, r.id, 'language', r.language, r.confidence,
         jsonb_build_object('detected', r.detected, 'confidence', r.confidence), $2
       from jsonb_to_recordset($1::jsonb) as r(id bigint, workspace_id uuid, language text, detected text, confidence real)
       where r.language is not null`, [JSON.stringify(rows), `language:${deps.language.name}`]);
    await deps.queue.send(STAGE_QUEUE.decide, { itemIds: rows.map((r) => r.id) }, tx);
  });
}

export async function decide(deps: PipelineDeps, ids: number[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const items = await take(tx, 'decide', ids);
    if (!items.length) return;
    const verdicts: Verdict[] = [];
    for (const d of deps.deciders) verdicts.push(...(await d.decide(tx, items)));
    if (verdicts.length) {
      // Every verdict is an action in the outbox and an event with its reason.
      await tx.query(
        `with v as (select * from jsonb_to_recordset($1::jsonb) as v(item_id bigint, action text, payload jsonb, reason text, source text)),
         a as (insert into actions (workspace_id, item_id, connection_id, type, payload)
               select i.workspace_id, i.id, i.connection_id, v.action, coalesce(v.payload, '{}') from v join items i on i.id = v.item_id)
         insert into events (workspace_id, item_id, actor, type, data)
         select i.workspace_id, i.id, v.source, 'verdict', jsonb_build_object('action', v.action, 'reason', v.reason)
         from v join items i on i.id = v.item_id`,
        [JSON.stringify(verdicts.map((v) => ({ item_id: v.itemId, action: v.action, payload: v.payload ?? {}, reason: v.reason, source: v.source })))]);
    }
    await advance(tx, items.map((i) => i.id), 'decided');
    await deps.queue.send(STAGE_QUEUE.act, { itemIds: items.map((i) => i.id) }, tx);
  });
}

export async function act(deps: PipelineDeps, ids: number[]): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const items = await take(tx, 'act', ids);
    if (!items.length) return;
    const itemIds = items.map((i) => i.id);
    const pending = await tx.query<any>(
      `select id, type, payload, connection_id, item_id from actions
       where item_id = any($1::bigint[]) and state = 'pending' order by id`, [itemIds]);
    for (const a of pending) {
      const out = deps.actions
        ? await deps.actions.run(tx, a)
        : { state: 'unsupported' as const, result: { note: 'no connector can carry out actions for this connection yet' } };
      await tx.query(`update actions set state = $2, result = $3, attempts = attempts + 1, updated_at = now() where id = $1`,
        [a.id, out.state, JSON.stringify(out.result)]);
    }
    await advance(tx, itemIds, 'done');
  });
}

const HANDLERS: Record<Stage, (deps: PipelineDeps, ids: number[]) => Promise<void>> = { analyse, decide, act };

/** Starts this process's workers for every stage. */
export async function startPipelineWorkers(deps: PipelineDeps): Promise<void> {
  for (const stage of Object.keys(STAGE_QUEUE) as Stage[]) {
    await deps.queue.work<ItemIds>(STAGE_QUEUE[stage], async (jobs: Job<ItemIds>[]) => {
      for (const j of jobs) await HANDLERS[stage](deps, j.data.itemIds);
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
