// The training API. Roles: trainees draft, practise, label calibration rounds and read their own
// progress; moderators and up mentor (review drafts, build practice sets, grade replies, see every
// trainee); managers set policies, skills, guidelines, autonomy and the hate/threat queue and run
// calibration rounds. A trainee can change nothing about their own permissions.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { hasRole } from '../auth/roles.js';
import { DECISION_CATEGORIES } from '../moderation/state.js';
import { trainingSettings, policiesBody, TRAINEE_ACTIONS, modeFor } from './policy.js';
import { approveDraft, returnDraft, mentorQueue, traineeFeed, type Person } from './drafts.js';
import { guidelines, GUIDELINE_DOCS } from './guidelines.js';
import { buildPracticeSet, practiceSet, scoreSubmissions, ungradedReplies, gradeReply, PRACTICE_DECISIONS, RUBRIC } from './practice.js';
import { createRound, raterItems, answer, roundResults, listRounds } from './calibration.js';
import { traineeProgress, traineesOverview, setAutonomy, setHarmful } from './progress.js';

const id = z.object({ id: z.coerce.number().int().positive() });
const userParams = z.object({ userId: z.uuid() });
const SKILL = z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N} _-]+$/u, 'a skill is a short word (letters, digits, spaces, - and _)');

function person(req: FastifyRequest): Person {
  const u = req.auth?.user;
  if (!u) throw new HttpError(403, 'forbidden', 'this needs a person logged in, not an API token');
  return { userId: u.id, name: u.name };
}

const reviewBody = z.object({
  text: z.string().max(200_000).optional(),
  decision: z.enum(['approve', 'hide', 'delete', 'hold', 'restore']).optional(),
  category: z.enum(DECISION_CATEGORIES).optional(),
  comment: z.string().trim().max(5000).optional(),
  tags: z.array(SKILL).max(20).optional(),
  section: z.string().max(200).nullable().optional(),
});

export const trainingRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  const db = app.db;

  r.get('/training/settings', {
    config: { access: 'trainee' },
    schema: { summary: 'Training policies (what trainees may do alone, with approval, never), skills, autonomy and exposure settings; and the caller\'s own modes', tags: ['training'] },
  }, async (req) => {
    const ws = workspaceOf(req);
    const settings = await trainingSettings(db, ws.id);
    const me = req.auth?.user && ws.role === 'trainee'
      ? Object.fromEntries(await Promise.all(TRAINEE_ACTIONS.map(async (a) => [a, await modeFor(db, ws.id, req.auth!.user!.id, a)])))
      : null;
    return { ...settings, actions: TRAINEE_ACTIONS, myModes: me };
  });

  r.put('/training/settings', {
    config: { access: 'manager' },
    schema: {
      summary: 'Change the training policies and settings (managers)', tags: ['training'],
      body: z.object({
        policies: policiesBody.optional(),
        skills: z.array(SKILL).min(1).max(40).optional(),
        autonomyThreshold: z.number().gt(0).max(1).optional(),
        autonomyWindow: z.number().int().min(5).max(500).optional(),
        dailyExposureCap: z.number().int().min(0).max(1000).optional(),
      }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const who = person(req);
    const before = await trainingSettings(db, ws.id);
    const after = { ...before, ...req.body, policies: { ...before.policies, ...(req.body.policies ?? {}) } };
    if (req.body.skills) after.skills = [...new Set(req.body.skills)];
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into training_settings (workspace_id, policies, skills, autonomy_threshold, autonomy_window, daily_exposure_cap, updated_by) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (workspace_id) do update set policies = excluded.policies, skills = excluded.skills, autonomy_threshold = excluded.autonomy_threshold,
           autonomy_window = excluded.autonomy_window, daily_exposure_cap = excluded.daily_exposure_cap, updated_by = excluded.updated_by, updated_at = now()`,
        [ws.id, JSON.stringify(after.policies), after.skills, after.autonomyThreshold, after.autonomyWindow, after.dailyExposureCap, who.userId]);
      await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.settings', $4)`,
        [ws.id, who.userId, `person:${who.name}`, JSON.stringify({ before, after })]);
    });
    return after;
  });

  r.get('/training/drafts/queue', {
    config: { access: 'moderator' },
    schema: { summary: 'The mentor queue: drafts waiting for approval, oldest first, with the conversation\'s SLA due time', tags: ['training'] },
  }, async (req) => ({ drafts: await mentorQueue(db, workspaceOf(req).id) }));

  r.get('/training/drafts/mine', {
    config: { access: 'trainee' },
    schema: { summary: 'My drafts with the mentor\'s edit (as a diff) and feedback', tags: ['training'] },
  }, async (req) => ({ drafts: await traineeFeed(db, workspaceOf(req).id, person(req).userId) }));

  r.post('/training/drafts/:id/approve', {
    config: { access: 'moderator' },
    schema: { summary: 'Approve a draft, as written or edited (text / decision), optionally with feedback; it then goes out the normal way', tags: ['training'], params: id, body: reviewBody },
  }, async (req) => approveDraft(db, workspaceOf(req).id, person(req), req.params.id, req.body));

  r.post('/training/drafts/:id/return', {
    config: { access: 'moderator' },
    schema: { summary: 'Return a draft with feedback (comment, skill tags, a guidelines section); nothing goes out', tags: ['training'], params: id, body: reviewBody },
  }, async (req) => returnDraft(db, workspaceOf(req).id, person(req), req.params.id, req.body));

  r.get('/training/guidelines', {
    config: { access: 'analyst' },
    schema: { summary: 'The community guidelines and the reply style guide (Markdown) with their sections', tags: ['training'] },
  }, async (req) => ({ documents: await guidelines(db, workspaceOf(req).id) }));

  r.put('/training/guidelines/:slug', {
    config: { access: 'manager' },
    schema: {
      summary: 'Save a guidelines document (Markdown; headings are the sections others cite)', tags: ['training'],
      params: z.object({ slug: z.enum(GUIDELINE_DOCS) }),
      body: z.object({ title: z.string().trim().min(1).max(200), body: z.string().max(200_000) }),
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    const who = person(req);
    await db.transaction(async (tx) => {
      const [before] = await tx.query<{ body: string }>(`select body from guidelines where workspace_id = $1 and slug = $2 for update`, [ws.id, req.params.slug]);
      await tx.query(`insert into guidelines (workspace_id, slug, title, body, updated_by) values ($1, $2, $3, $4, $5)
        on conflict (workspace_id, slug) do update set title = excluded.title, body = excluded.body, updated_by = excluded.updated_by, updated_at = now()`,
        [ws.id, req.params.slug, req.body.title, req.body.body, who.userId]);
      await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.guidelines', $4)`,
        [ws.id, who.userId, `person:${who.name}`, JSON.stringify({ slug: req.params.slug, before: before?.body ?? null, after: req.body.body })]);
    });
    return (await guidelines(db, ws.id)).find((d) => d.slug === req.params.slug);
  });

  r.post('/training/practice/sets', {
    config: { access: 'moderator' },
    schema: {
      summary: 'Build a practice set from past decisions: the items named, or drawn stratified by category', tags: ['training'],
      body: z.object({ name: z.string().trim().min(1).max(200), size: z.number().int().min(1).max(1000).optional(), itemIds: z.array(z.number().int().positive()).max(1000).optional(), section: z.string().max(200).nullable().optional() }),
    },
  }, async (req, reply) => reply.status(201).send(await buildPracticeSet(db, workspaceOf(req).id, person(req), req.body)));

  r.get('/training/practice/sets', {
    config: { access: 'trainee' },
    schema: { summary: 'Practice sets of this workspace, newest first', tags: ['training'] },
  }, async (req) => ({
    sets: await db.query(`select s.id, s.name, s.created_at as "createdAt", (select count(*)::int from practice_cases c where c.set_id = s.id) as cases
      from practice_sets s where s.workspace_id = $1 order by s.id desc limit 200`, [workspaceOf(req).id]),
  }));

  r.get('/training/practice/sets/:id', {
    config: { access: 'trainee' },
    schema: { summary: 'A practice set: anonymised cases, without the answers', tags: ['training'], params: id },
  }, async (req) => practiceSet(db, workspaceOf(req).id, req.params.id, req.auth?.user?.id ?? null));

  r.post('/training/practice/cases/:id/answers', {
    config: { access: 'trainee' },
    schema: {
      summary: 'Answer a practice case: scored against the team\'s decision at once, with its reasoning', tags: ['training'], params: id,
      body: z.object({ decision: z.enum(PRACTICE_DECISIONS), category: z.enum(DECISION_CATEGORIES).optional(), reply: z.string().trim().min(1).max(20_000).optional() }),
    },
  }, async (req) => {
    const [scored] = await scoreSubmissions(db, workspaceOf(req).id, person(req).userId, [{ caseId: req.params.id, ...req.body }]);
    if (!scored) throw new HttpError(404, 'not_found', 'no such practice case in this workspace');
    return scored;
  });

  r.get('/training/practice/replies', {
    config: { access: 'moderator' },
    schema: { summary: 'Written practice replies waiting for a grade', tags: ['training'] },
  }, async (req) => ({ replies: await ungradedReplies(db, workspaceOf(req).id) }));

  r.post('/training/practice/answers/:id/grade', {
    config: { access: 'moderator' },
    schema: {
      summary: 'Grade a written practice reply on the rubric (each 1–4)', tags: ['training'], params: id,
      body: z.object(Object.fromEntries(RUBRIC.map((k) => [k, z.number().int().min(1).max(4)])) as Record<(typeof RUBRIC)[number], z.ZodNumber>),
    },
  }, async (req) => gradeReply(db, workspaceOf(req).id, person(req), req.params.id, req.body));

  r.post('/training/calibration/rounds', {
    config: { access: 'manager' },
    schema: {
      summary: 'Send one sample of items to several moderators, blind', tags: ['training'],
      body: z.object({
        name: z.string().trim().min(1).max(200), raters: z.array(z.uuid()).min(2).max(50),
        itemIds: z.array(z.number().int().positive()).max(500).optional(), size: z.number().int().min(1).max(500).optional(),
        labels: z.array(z.string().trim().min(1).max(40)).min(2).max(20).optional(),
      }),
    },
  }, async (req, reply) => reply.status(201).send(await createRound(db, workspaceOf(req).id, person(req), req.body)));

  r.get('/training/calibration/rounds', {
    config: { access: 'trainee' },
    schema: { summary: 'Calibration rounds: mine to label; for managers every round with its agreement (the trend)', tags: ['training'] },
  }, async (req) => {
    const ws = workspaceOf(req);
    return { rounds: await listRounds(db, ws.id, req.auth?.user?.id ?? null, hasRole(ws.role, 'manager')) };
  });

  r.get('/training/calibration/rounds/:id/items', {
    config: { access: 'trainee' },
    schema: { summary: 'The items of a round with my own labels (never the others\')', tags: ['training'], params: id },
  }, async (req) => raterItems(db, workspaceOf(req).id, req.params.id, person(req).userId));

  r.put('/training/calibration/rounds/:id/answers/:position', {
    config: { access: 'trainee' },
    schema: {
      summary: 'Label one item of a round', tags: ['training'],
      params: z.object({ id: z.coerce.number().int().positive(), position: z.coerce.number().int().min(0) }), body: z.object({ label: z.string().max(40) }),
    },
  }, async (req) => answer(db, workspaceOf(req).id, req.params.id, person(req).userId, req.params.position, req.body.label));

  r.get('/training/calibration/rounds/:id/results', {
    config: { access: 'manager' },
    schema: { summary: 'Agreement of a round: per category, pairwise Cohen\'s kappa, Fleiss\' kappa, Krippendorff\'s alpha, and the items in dispute', tags: ['training'], params: id },
  }, async (req) => roundResults(db, workspaceOf(req).id, req.params.id));

  r.get('/training/trainees', {
    config: { access: 'moderator' },
    schema: { summary: 'Every trainee and where each needs help (mentors)', tags: ['training'] },
  }, async (req) => ({ trainees: await traineesOverview(db, workspaceOf(req).id) }));

  r.get('/training/trainees/:userId/progress', {
    config: { access: 'trainee' },
    schema: { summary: 'A trainee\'s progress (trainees: only their own)', tags: ['training'], params: userParams },
  }, async (req) => {
    const ws = workspaceOf(req);
    if (!hasRole(ws.role, 'moderator') && req.auth?.user?.id !== req.params.userId) throw new HttpError(403, 'forbidden', 'trainees see their own progress only');
    return traineeProgress(db, ws.id, req.params.userId);
  });

  r.put('/training/trainees/:userId/autonomy', {
    config: { access: 'manager' },
    schema: {
      summary: 'Lift (granted: true) or restore (false) the approval requirement for one trainee and action (managers)', tags: ['training'],
      params: userParams, body: z.object({ action: z.enum(TRAINEE_ACTIONS), granted: z.boolean() }),
    },
  }, async (req) => setAutonomy(db, workspaceOf(req).id, person(req), req.params.userId, req.body.action, req.body.granted));

  r.put('/training/trainees/:userId/harmful-queue', {
    config: { access: 'manager' },
    schema: { summary: 'Allow a trainee the hate/threat queue (they still have to opt in)', tags: ['training'], params: userParams, body: z.object({ allowed: z.boolean() }) },
  }, async (req) => setHarmful(db, workspaceOf(req).id, person(req), req.params.userId, { allowed: req.body.allowed }));

  r.put('/training/me/harmful-queue', {
    config: { access: 'trainee' },
    schema: { summary: 'A trainee\'s own choice to see the hate/threat queue (only with a manager\'s permission)', tags: ['training'], body: z.object({ optedIn: z.boolean() }) },
  }, async (req) => {
    const who = person(req);
    return setHarmful(db, workspaceOf(req).id, who, who.userId, { optedIn: req.body.optedIn });
  });
};
