// The moderation API: review queue, decisions (and their undo), rules with a history test,
// word lists, the audit log with its figures, and retraining the model.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { changeModeration, MODERATION_STATES, DECISION_CATEGORIES, DECISION_TO } from './state.js';
import { compileRules } from './rules/evaluate.js';
import type { RuleError } from './rules/parse.js';
import { backtestRules } from './rules/backtest.js';
import { ruleSource, forgetRules } from './rulesets.js';
import { parseWordListText } from './wordlists/shipped.js';
import { describeProblem } from './wordlists/matcher.js';
import { forgetLists } from './lists.js';
import { ruleInputs } from './pipeline.js';
import { auditEvents, auditCsv, moderationFigures } from './audit.js';
import { reviewQueue } from './queue.js';
import { retrainWorkspace, workspaceEvaluation, workspaceClassifier } from './learning.js';
import { parseLabelledText, DataFileError, evaluateRows, modelId } from './classifier/index.js';
import { forgetExternals } from './external.js';
import { randomBytes } from 'node:crypto';
import { holdForReview, traineeOf } from '../training/drafts.js';
import { traineeQueueAccess } from '../training/progress.js';

/** 400 for rule text that does not compile: every error with its line and column. */
function invalidRules(errors: RuleError[]): HttpError {
  return new HttpError(400, 'invalid_rules', errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`).join('; '), { errors });
}

/** Largest workspace word list, in characters (100,000 entries of ordinary words fit easily). */
const MAX_LIST_CHARS = 10_000_000;
/** Labelled data evaluated in the app; `allmende evaluate` takes files of any size. */
const MAX_EVALUATE_CHARS = 20_000_000;

const listName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a list name is 1–63 small letters, digits and hyphens, starting with a letter or digit');

/** Entries and allow entries in a list text (a line count; errors were refused on save). */
function countEntries(source: string): { entries: number; allowed: number } {
  let entries = 0;
  let allowed = 0;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^allow\b/i.test(line)) allowed++;
    else entries++;
  }
  return { entries, allowed };
}

export const moderationRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/moderation/queue', {
    config: { access: 'trainee' },
    schema: { summary: 'Items held for review, oldest first, with what flagged them', tags: ['moderation'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const userId = req.auth!.user?.id ?? null;
    // Trainees see harmful items only when a manager allows it, they opted in, and today's cap is not reached.
    const training = ws.role === 'trainee' && userId ? await traineeQueueAccess(app.db, ws.id, userId) : null;
    const queue = await reviewQueue(app.db, ws.id, userId, req.query.limit, { withoutHarmful: ws.role === 'trainee' && !training?.harmfulVisible });
    return { ...queue, training };
  });

  r.post('/moderation/items/:id/decision', {
    config: { access: 'trainee' },
    schema: {
      summary: 'Decide on an item: approve, hide (reversible, preferred), delete, hold, or restore (undo a hide/delete)', tags: ['moderation'],
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({
        decision: z.enum(['approve', 'hide', 'delete', 'hold', 'restore']),
        reason: z.string().trim().max(2000).optional(),
        // What kind of harm a hide or delete is about: the label the workspace's model learns.
        category: z.enum(DECISION_CATEGORIES).optional(),
      }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const user = req.auth!.user;
    const [item] = await app.db.query<{ moderation: string }>('select moderation from items where id = $1 and workspace_id = $2', [req.params.id, ws.id]);
    if (!item) throw new HttpError(404, 'not_found', 'no such item in this workspace');
    // A trainee's decision waits for a mentor unless the training policy lets them decide alone.
    if (ws.role === 'trainee') {
      const draft = await holdForReview(app.db, ws.id, traineeOf(req), { kind: 'decision', itemId: req.params.id, ...req.body });
      if (draft) return { changed: false, moderation: item.moderation, platformAction: null, draft };
    }
    const to = DECISION_TO[req.body.decision];
    const changed = await changeModeration(app.db, ws.id, { kind: 'person', userId: user?.id ?? null, name: user?.name ?? 'API token' },
      [{ itemId: req.params.id, to, reason: req.body.reason ?? req.body.decision, category: req.body.category }], 'review');
    const [after] = await app.db.query<{ moderation: string }>('select moderation from items where id = $1', [req.params.id]);
    const actions = await app.db.query(`select type, state from actions where item_id = $1 order by id desc limit 1`, [req.params.id]);
    return { changed: changed > 0, moderation: after.moderation, platformAction: changed ? actions[0] ?? null : null };
  });

  r.get('/moderation/rules', {
    config: { access: 'analyst' },
    schema: { summary: 'The workspace rules as text (the starting rules until edited)', tags: ['moderation'] },
  }, async (req) => {
    const s = await ruleSource(app.db, workspaceOf(req).id);
    const compiled = compileRules(s.source);
    return { ...s, errors: compiled.ok ? [] : compiled.errors };
  });

  r.put('/moderation/rules', {
    config: { access: 'manager' },
    schema: { summary: 'Save the rules; refused with line and column of every error', tags: ['moderation'], body: z.object({ source: z.string().max(200_000) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const compiled = compileRules(req.body.source);
    if (!compiled.ok) throw invalidRules(compiled.errors);
    const [row] = await app.db.transaction(async (tx) => {
      await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, 'person', 'rules.saved', $3)`,
        [ws.id, req.auth!.user?.id ?? null, JSON.stringify({ source: req.body.source })]);
      return tx.query<{ version: number }>(
        `insert into rulesets (workspace_id, source, updated_by) values ($1, $2, $3)
         on conflict (workspace_id) do update set source = excluded.source, updated_by = excluded.updated_by, version = rulesets.version + 1, updated_at = now()
         returning version`, [ws.id, req.body.source, req.auth!.user?.id ?? null]);
    });
    forgetRules(ws.id);
    return { version: row.version, rules: compiled.rules.length };
  });

  r.post('/moderation/rules/check', {
    config: { access: 'moderator' },
    schema: { summary: 'Check rule text without saving it: every error and warning with line and column', tags: ['moderation'], body: z.object({ source: z.string().max(200_000) }) },
  }, async (req) => {
    const compiled = compileRules(req.body.source);
    return compiled.ok
      ? { ok: true, rules: compiled.rules.length, errors: [], warnings: compiled.warnings ?? [] }
      : { ok: false, rules: 0, errors: compiled.errors, warnings: compiled.warnings };
  });

  r.post('/moderation/rules/test', {
    config: { access: 'moderator' },
    schema: {
      summary: 'Test rules against history before they go live: what they would have done to the items of the last N days', tags: ['moderation'],
      body: z.object({ source: z.string().max(200_000), days: z.number().int().min(1).max(365).default(30) }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const compiled = compileRules(req.body.source);
    if (!compiled.ok) throw invalidRules(compiled.errors);
    const matched: any[] = [];
    // A Map: rule names are the user's words, and one may well be "__proto__".
    const perRule = new Map<string, number>();
    let tested = 0;
    let after = 0;
    // In pages, so a year of history never sits in memory at once.
    for (;;) {
      const ids = (await app.db.query<{ id: number }>(
        `select id from items where workspace_id = $1 and received_at > now() - make_interval(days => $2) and id > $3 order by id limit 1000`,
        [ws.id, req.body.days, after])).map((x) => x.id);
      if (!ids.length) break;
      after = ids[ids.length - 1];
      const inputs = await ruleInputs(app.db, ids);
      const result = backtestRules(compiled.rules, [...inputs].map(([itemId, input]) => ({ itemId, input })));
      tested += inputs.size;
      for (const [k, v] of Object.entries(result.perRule)) perRule.set(k, (perRule.get(k) ?? 0) + v);
      matched.push(...result.matched.slice(0, Math.max(0, 500 - matched.length)));
    }
    const texts = new Map((await app.db.query<{ id: number; text: string }>('select id, text from items where id = any($1::bigint[])', [matched.map((m) => m.itemId)])).map((x) => [x.id, x.text]));
    return { tested, perRule: Object.fromEntries(perRule), matched: matched.map((m) => ({ ...m, text: texts.get(m.itemId) ?? '' })) };
  });

  r.get('/moderation/word-lists', {
    config: { access: 'analyst' },
    schema: { summary: "The workspace's own word lists (the shipped German and English lists always apply)", tags: ['moderation'] },
  }, async (req) => {
    const rows = await app.db.query<{ name: string; source: string; updatedAt: Date }>(
      `select name, source, updated_at as "updatedAt" from word_lists where workspace_id = $1 order by name`, [workspaceOf(req).id]);
    return { maxChars: MAX_LIST_CHARS, lists: rows.map((l) => ({ ...l, ...countEntries(l.source) })) };
  });

  r.put('/moderation/word-lists/:name', {
    config: { access: 'manager' },
    schema: {
      summary: 'Save a word list of this workspace (entries by category, and allow entries); refused with the line of every error', tags: ['moderation'],
      params: z.object({ name: listName }),
      body: z.object({
        source: z.string().max(MAX_LIST_CHARS, {
          error: (i) => `the list text has ${String((i.input as string)?.length?.toLocaleString('en'))} characters; a list may have at most ${MAX_LIST_CHARS.toLocaleString('en')} — split it into several lists`,
        }),
      }),
    },
  }, async (req) => {
    const parsed = parseWordListText(req.body.source, req.params.name);
    if (!parsed.list) throw new HttpError(400, 'invalid_word_list', parsed.errors.slice(0, 10).map(describeProblem).join('; '), { errors: parsed.errors.slice(0, 200) });
    await app.db.query(
      `insert into word_lists (workspace_id, name, source, updated_by) values ($1, $2, $3, $4)
       on conflict (workspace_id, name) do update set source = excluded.source, updated_by = excluded.updated_by, updated_at = now()`,
      [workspaceOf(req).id, req.params.name, req.body.source, req.auth!.user?.id ?? null]);
    forgetLists(workspaceOf(req).id);
    return { ok: true, ...countEntries(req.body.source), warnings: parsed.warnings.slice(0, 50).map(describeProblem), warningDetails: parsed.warnings.slice(0, 50) };
  });

  r.delete('/moderation/word-lists/:name', {
    config: { access: 'manager' },
    schema: { summary: 'Delete a word list of this workspace (the shipped lists stay)', tags: ['moderation'], params: z.object({ name: listName }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const gone = await app.db.query('delete from word_lists where workspace_id = $1 and name = $2 returning name', [ws.id, req.params.name]);
    if (!gone.length) throw new HttpError(404, 'not_found', `no word list "${req.params.name}" in this workspace`);
    forgetLists(ws.id);
    return { ok: true };
  });

  r.get('/moderation/audit', {
    config: { access: 'analyst' },
    schema: {
      summary: 'The moderation log: who (person, rule, model) did what to which item, when and why. format=csv for a download', tags: ['moderation'],
      querystring: z.object({
        actorKind: z.enum(['person', 'rule', 'model']).optional(), actor: z.string().max(200).optional(),
        after: z.enum(MODERATION_STATES).optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(200), format: z.enum(['json', 'csv']).default('json'),
      }),
    },
  }, async (req, reply) => {
    const events = await auditEvents(app.db, workspaceOf(req).id, req.query);
    if (req.query.format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="moderation-audit.csv"').send(auditCsv(events));
    }
    return { events };
  });

  r.get('/moderation/figures', {
    config: { access: 'analyst' },
    schema: { summary: 'Per moderator and per rule: volume, share overturned, median time to action', tags: ['moderation'], querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
  }, async (req) => moderationFigures(app.db, workspaceOf(req).id, req.query.days));

  r.get('/moderation/evaluation', {
    config: { access: 'analyst' },
    schema: { summary: 'The models in use (with provenance and held-out figures) and how they do on this workspace\'s decisions', tags: ['moderation'] },
  }, async (req) => workspaceEvaluation(app.db, workspaceOf(req).id));

  r.post('/moderation/evaluate', {
    config: { access: 'analyst' },
    schema: {
      summary: "Evaluate the workspace's model on labelled data (TSV/CSV/NDJSON with text and label): the report of `allmende evaluate`", tags: ['moderation'],
      body: z.object({
        data: z.string().min(1).max(MAX_EVALUATE_CHARS, { error: `the data may have at most ${MAX_EVALUATE_CHARS.toLocaleString('en')} characters; evaluate larger files with allmende evaluate` }),
        format: z.enum(['tsv', 'csv', 'ndjson']),
        name: z.string().max(200).default('data'),
        language: z.string().regex(/^[a-z]{2,3}$/).optional(),
      }),
    },
  }, async (req) => {
    const { data, format, name, language } = req.body;
    let rows;
    try {
      rows = parseLabelledText(data, format, name);
    } catch (e: any) {
      if (e instanceof DataFileError) throw new HttpError(400, 'invalid_data', e.message, { line: e.line });
      throw e;
    }
    const classifier = await workspaceClassifier(app.db, workspaceOf(req).id);
    try {
      const r = evaluateRows(classifier, rows, { name, language: language ?? null });
      return { rows: rows.length, models: classifier.models.map(modelId), evaluation: r.evaluation, report: r.report };
    } catch (e: any) {
      // An unknown label names its line.
      throw new HttpError(400, 'invalid_data', e.message);
    }
  });

  r.get('/moderation/wellbeing', {
    config: { access: 'manager' },
    schema: { summary: 'Harmful items each person was shown per day: a workload figure', tags: ['moderation'], querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }) },
  }, async (req) => ({
    days: req.query.days,
    people: await app.db.query(
      `select u.id as "userId", u.name, h.day::text as day, count(*)::int as items from harm_views h join users u on u.id = h.user_id
       where h.workspace_id = $1 and h.day > current_date - $2::int group by u.id, u.name, h.day order by h.day desc, u.name`,
      [workspaceOf(req).id, req.query.days]),
  }));

  r.get('/moderation/classifiers', {
    config: { access: 'manager' },
    schema: { summary: 'External classifiers of this workspace (contract: docs/external-classifier.md)', tags: ['moderation'] },
  }, async (req) => ({
    classifiers: await app.db.query(`select name, url, timeout_ms as "timeoutMs", enabled, updated_at as "updatedAt" from external_classifiers where workspace_id = $1 order by name`, [workspaceOf(req).id]),
  }));

  r.put('/moderation/classifiers/:name', {
    config: { access: 'admin' },
    schema: {
      summary: 'Add or change an external classifier; a new one gets a signing secret, shown only in this answer', tags: ['moderation'],
      params: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }),
      body: z.object({ url: z.url({ protocol: /^https?$/ }).max(2048), timeoutMs: z.number().int().min(100).max(10_000).default(2000), enabled: z.boolean().default(true) }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const secret = randomBytes(32).toString('base64url');
    const [row] = await app.db.query<{ created: boolean }>(
      `insert into external_classifiers (workspace_id, name, url, secret_encrypted, timeout_ms, enabled) values ($1, $2, $3, $4, $5, $6)
       on conflict (workspace_id, name) do update set url = excluded.url, timeout_ms = excluded.timeout_ms, enabled = excluded.enabled, updated_at = now()
       returning (xmax = 0) as created`, [ws.id, req.params.name, req.body.url, app.secrets.seal(secret), req.body.timeoutMs, req.body.enabled]);
    forgetExternals(ws.id);
    return row.created ? { created: true, secret } : { created: false };
  });

  r.post('/moderation/train', {
    config: { access: 'manager' },
    schema: { summary: "Retrain the workspace's model from its moderators' decisions; the new model is used only if it beats the current one on held-back decisions", tags: ['moderation'] },
  }, async (req) => retrainWorkspace(app.db, workspaceOf(req).id));
};
