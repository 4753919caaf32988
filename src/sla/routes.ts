// The SLA API: business hours, policies, each conversation's clock, breach alerts, the team's
// "needs an answer" corrections and the inbox figures (JSON and CSV).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { calendarInput } from './calendar.js';
import { getCalendar, saveCalendar, listPolicies, savePolicies, policyInput, matchPolicy } from './policies.js';
import { dueTimes } from './due.js';
import { forgetNeedsAnswerModel } from './needs-answer-model.js';
import { inboxMetrics, metricsCsv, GROUPS } from './metrics.js';
import { PLATFORMS } from '../core/platforms.js';
import { slaConversations } from './lists.js';

const DAY = 86_400_000;

export const slaRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/sla/calendar', {
    config: { access: 'analyst' },
    schema: { summary: 'Business hours and holidays of the workspace (Monday to Friday 09:00–17:00 Europe/Berlin until set)', tags: ['sla'] },
  }, async (req) => getCalendar(app.db, workspaceOf(req).id));

  r.put('/sla/calendar', {
    config: { access: 'manager' },
    schema: { summary: 'Set business hours (per weekday, local times HH:MM, a span may cross midnight), time zone and holidays', tags: ['sla'], body: calendarInput },
  }, async (req) => {
    const ws = workspaceOf(req);
    await saveCalendar(app.db, ws.id, req.body, req.auth!.user?.id ?? null);
    return getCalendar(app.db, ws.id);
  });

  r.get('/sla/policies', {
    config: { access: 'analyst' },
    schema: { summary: 'SLA policies in matching order (the first whose conditions hold applies)', tags: ['sla'] },
  }, async (req) => ({ policies: await listPolicies(app.db, workspaceOf(req).id) }));

  r.put('/sla/policies', {
    config: { access: 'manager' },
    schema: {
      summary: 'Replace the SLA policies; their order is the matching order', tags: ['sla'],
      body: z.object({ policies: z.array(policyInput).max(100) }).refine((b) => new Set(b.policies.map((p) => p.name)).size === b.policies.length, { message: 'two policies have the same name', path: ['policies'] }),
    },
  }, async (req) => ({ policies: await savePolicies(app.db, workspaceOf(req).id, req.body.policies) }));

  r.get('/sla/conversations', {
    config: { access: 'analyst' },
    schema: {
      summary: 'Conversations whose SLA is breached or due soon, most urgent first', tags: ['sla'],
      querystring: z.object({ state: z.enum(['breached', 'due_soon']), soonMinutes: z.coerce.number().int().min(1).max(10_080).default(60), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    },
  }, async (req) => {
    const now = app.clock.now();
    const rows = await slaConversations(app.db, workspaceOf(req).id, req.query.state, now, req.query.soonMinutes, req.query.limit);
    return { now: now.toISOString(), conversations: rows };
  });

  r.get('/sla/due', {
    config: { access: 'analyst' },
    schema: {
      summary: 'The next due time of several conversations at once (for list rows), with the server clock', tags: ['sla'],
      querystring: z.object({ ids: z.string().regex(/^\d+(,\d+){0,199}$/, 'a comma-separated list of up to 200 conversation ids') }),
    },
  }, async (req) => {
    const ids = req.query.ids.split(',').map(Number);
    const rows = await app.db.query<{ id: number; sla_due_at: Date | null; sla_due_kind: string | null; status: string; policy: string | null; computed: boolean }>(
      `select c.id, c.sla_due_at, c.sla_due_kind, c.status, p.name as policy, (c.sla_computed_for is not distinct from c.updated_at) as computed
       from conversations c left join sla_policies p on p.id = c.sla_policy_id where c.workspace_id = $1 and c.id = any($2::bigint[])`, [workspaceOf(req).id, ids]);
    return {
      now: app.clock.now().toISOString(),
      conversations: rows.map((r) => ({ id: r.id, dueAt: r.sla_due_at, dueKind: r.sla_due_kind, policy: r.policy, current: r.computed })),
    };
  });

  r.get('/sla/conversations/:id', {
    config: { access: 'analyst' },
    schema: { summary: "A conversation's SLA clock: its policy, every due time, and the breaches recorded", tags: ['sla'], params: z.object({ id: z.coerce.number().int().positive() }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const [c] = await app.db.query<any>(`select id, platform, labels, priority, status, first_inbound_at, last_outbound_at, awaiting_since from conversations where id = $1 and workspace_id = $2`, [req.params.id, ws.id]);
    if (!c) throw new HttpError(404, 'not_found', 'no such conversation in this workspace');
    const [policies, calendar] = await Promise.all([listPolicies(app.db, ws.id), getCalendar(app.db, ws.id)]);
    const policy = matchPolicy(policies, c);
    const now = app.clock.now();
    const due = dueTimes(policy, calendar, c).map((d) => ({ kind: d.kind, at: d.at.toISOString(), breached: +d.at <= +now, secondsLeft: Math.round((+d.at - +now) / 1000) }));
    const alerts = await app.db.query(`select id, kind, due_at as "dueAt", breached_at as "breachedAt" from sla_alerts where conversation_id = $1 order by id`, [c.id]);
    return { now: now.toISOString(), policy: policy ? { id: policy.id, name: policy.name, businessHours: policy.businessHours } : null, due, alerts };
  });

  r.get('/sla/alerts', {
    config: { access: 'analyst' },
    schema: { summary: 'Breach alerts, newest first, with whether you have seen them', tags: ['sla'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const userId = req.auth!.user?.id ?? null;
    const alerts = await app.db.query(
      `select a.id, a.conversation_id as "conversationId", a.kind, a.due_at as "dueAt", a.breached_at as "breachedAt", p.name as policy,
         c.platform, (s.alert_id is not null) as seen
       from sla_alerts a join conversations c on c.id = a.conversation_id
       left join sla_policies p on p.id = a.policy_id
       left join sla_alerts_seen s on s.alert_id = a.id and s.user_id = $2
       where a.workspace_id = $1 order by a.breached_at desc, a.id desc limit $3`, [ws.id, userId, req.query.limit]);
    return { now: app.clock.now().toISOString(), unseen: alerts.filter((a: any) => !a.seen).length, alerts };
  });

  r.post('/sla/alerts/seen', {
    config: { access: 'trainee' },
    schema: { summary: 'Mark alerts as seen by you', tags: ['sla'], body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }) },
  }, async (req) => {
    const user = req.auth!.user;
    if (!user) throw new HttpError(403, 'forbidden', 'alerts are seen by a person, not an API token');
    await app.db.query(`insert into sla_alerts_seen (alert_id, user_id) select a.id, $2 from sla_alerts a where a.id = any($1::bigint[]) and a.workspace_id = $3 on conflict do nothing`,
      [req.body.ids, user.id, workspaceOf(req).id]);
    return { ok: true };
  });

  r.get('/items/:id/needs-answer', {
    config: { access: 'analyst' },
    schema: { summary: 'Whether an item needs an answer: the detector with its reason, and the team correction', tags: ['sla'], params: z.object({ id: z.coerce.number().int().positive() }) },
  }, async (req) => needsAnswerOf(app, workspaceOf(req).id, req.params.id));

  r.put('/items/:id/needs-answer', {
    config: { access: 'moderator' },
    schema: {
      summary: 'Correct whether an item needs an answer (the response rate and the team model learn from it); null removes the correction', tags: ['sla'],
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ needsAnswer: z.boolean().nullable() }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const user = req.auth!.user;
    const [it] = await app.db.query<{ id: number }>(`select id from items where id = $1 and workspace_id = $2`, [req.params.id, ws.id]);
    if (!it) throw new HttpError(404, 'not_found', 'no such item in this workspace');
    await app.db.transaction(async (tx) => {
      if (req.body.needsAnswer === null) await tx.query(`delete from needs_answer_corrections where item_id = $1`, [it.id]);
      else {
        await tx.query(`insert into needs_answer_corrections (item_id, workspace_id, needs_answer, corrected_by) values ($1, $2, $3, $4)
          on conflict (item_id) do update set needs_answer = excluded.needs_answer, corrected_by = excluded.corrected_by, corrected_at = now()`, [it.id, ws.id, req.body.needsAnswer, user?.id ?? null]);
      }
      await tx.query(`insert into events (workspace_id, item_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'needs_answer.corrected', $5)`,
        [ws.id, it.id, user?.id ?? null, user ? 'person' : 'token', JSON.stringify({ needsAnswer: req.body.needsAnswer })]);
    });
    forgetNeedsAnswerModel(ws.id);
    return needsAnswerOf(app, ws.id, it.id);
  });

  r.get('/metrics/inbox', {
    config: { access: 'analyst' },
    schema: {
      summary: 'Inbox figures: first/next response and resolution times (wall clock and business hours), response rate, volume; JSON or CSV', tags: ['sla'],
      querystring: z.object({
        from: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
        to: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
        groupBy: z.enum(GROUPS).default('none'),
        platform: z.enum(PLATFORMS).optional(),
        team: z.uuid().optional(),
        person: z.uuid().optional(),
        format: z.enum(['json', 'csv']).default('json'),
      }).refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const to = q.to ? new Date(q.to) : app.clock.now();
    const from = q.from ? new Date(q.from) : new Date(+to - 30 * DAY);
    if (+to - +from > 400 * DAY) throw new HttpError(400, 'invalid_input', 'from: the period may be at most 400 days long', { fields: [{ field: 'from', message: 'period longer than 400 days' }] });
    const m = await inboxMetrics(app.db, workspaceOf(req).id, { from, to, groupBy: q.groupBy, platform: q.platform, teamId: q.team, assigneeId: q.person });
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="inbox-metrics-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`).send(metricsCsv(m));
    }
    return m;
  });
};

async function needsAnswerOf(app: App, workspaceId: string, itemId: number) {
  const [signal] = await app.db.query<{ label: string; score: number; evidence: any; source: string }>(
    `select label, score, evidence, source from signals where item_id = $1 and kind = 'needs_answer' and workspace_id = $2 order by id desc limit 1`, [itemId, workspaceId]);
  const [correction] = await app.db.query<{ needs_answer: boolean; corrected_at: Date; name: string | null }>(
    `select c.needs_answer, c.corrected_at, u.name from needs_answer_corrections c left join users u on u.id = c.corrected_by where c.item_id = $1`, [itemId]);
  const detected = signal ? signal.label === 'needs_answer' : null;
  return {
    itemId,
    needsAnswer: correction ? correction.needs_answer : detected,
    detected: signal ? { needsAnswer: detected, score: signal.score, reason: signal.evidence.reason, matched: signal.evidence.matched ?? null, source: signal.source } : null,
    correction: correction ? { needsAnswer: correction.needs_answer, by: correction.name, at: correction.corrected_at } : null,
  };
}
