// Setting up the inbox: teams and their automatic assignment, labels, saved views, canned
// responses, the connection's own accounts (what counts as outbound), and who can be assigned.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import type { Db } from '../store/db.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { hasRole } from '../auth/roles.js';
import { savedFilters } from './list.js';
import { searchCanned, saveCanned } from './canned.js';
import { deleteLabel, deleteTeam } from './setup-remove.js';
import { actorOf } from './state.js';

export const LABEL = z.string().trim().min(1).max(60).refine((s) => !/[,\u0000-\u001f]/.test(s), 'no commas or control characters');

/** Labels used on conversations exist in the workspace's list (so the picker offers them). */
export async function ensureLabels(db: Db, workspaceId: string, names: string[]) {
  if (names.length) await db.query(`insert into labels (workspace_id, name) select $1, unnest($2::text[]) on conflict do nothing`, [workspaceId, names]);
}

const teamBody = z.object({
  name: z.string().trim().min(1).max(100),
  autoAssign: z.enum(['off', 'round_robin', 'load_balanced']).default('off'),
  platforms: z.array(z.string().max(40)).max(30).default([]),
  members: z.array(z.uuid()).max(500).default([]),
});
const cannedBody = z.object({ name: z.string().trim().min(1).max(120), language: z.string().regex(/^([a-z]{2}|any)$/, 'a two-letter language code or "any"').default('any'), body: z.string().min(1).max(20_000) });

async function teams(db: Db, workspaceId: string) {
  return db.query(
    `select t.id, t.name, t.auto_assign as "autoAssign", t.platforms,
       coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name, 'available', m.available) order by u.name)
                 from team_members m join users u on u.id = m.user_id where m.team_id = t.id), '[]') as members
     from teams t where t.workspace_id = $1 order by t.name`, [workspaceId]);
}

async function saveTeam(db: Db, workspaceId: string, id: string | null, b: z.infer<typeof teamBody>) {
  return db.transaction(async (tx) => {
    const okMembers = await tx.query<{ user_id: string }>(`select user_id from memberships where workspace_id = $1 and user_id = any($2::uuid[]) and role <> 'analyst'`, [workspaceId, b.members]);
    if (okMembers.length !== new Set(b.members).size) throw new HttpError(400, 'invalid_input', 'members: every member must belong to this workspace and not be an analyst');
    let teamId = id;
    try {
      if (id) {
        const rows = await tx.query(`update teams set name = $3, auto_assign = $4, platforms = $5 where workspace_id = $1 and id = $2 returning id`, [workspaceId, id, b.name, b.autoAssign, b.platforms]);
        if (!rows.length) throw new HttpError(404, 'not_found', 'no such team in this workspace');
      } else {
        [{ id: teamId }] = await tx.query<{ id: string }>(`insert into teams (workspace_id, name, auto_assign, platforms) values ($1, $2, $3, $4) returning id`, [workspaceId, b.name, b.autoAssign, b.platforms]);
      }
    } catch (e: any) {
      if (e.code === '23505') throw new HttpError(409, 'exists', `a team "${b.name}" exists`);
      throw e;
    }
    await tx.query(`delete from team_members where team_id = $1 and not (user_id = any($2::uuid[]))`, [teamId, b.members]);
    await tx.query(`insert into team_members (team_id, user_id, workspace_id) select $1, unnest($2::uuid[]), $3 on conflict do nothing`, [teamId, b.members, workspaceId]);
    return teamId!;
  });
}

export const inboxSetupRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/inbox/people', {
    config: { access: 'analyst' },
    schema: { summary: 'Who can be assigned or mentioned: the workspace members who may work the inbox', tags: ['inbox'] },
  }, async (req) => ({
    people: await app.db.query(
      `select u.id, u.name, split_part(u.email, '@', 1) as handle, m.role from memberships m join users u on u.id = m.user_id
       where m.workspace_id = $1 and m.role <> 'analyst' and u.disabled_at is null order by u.name`, [workspaceOf(req).id]),
  }));

  r.get('/inbox/teams', { config: { access: 'analyst' }, schema: { summary: 'Teams with members and automatic assignment', tags: ['inbox'] } },
    async (req) => ({ teams: await teams(app.db, workspaceOf(req).id) }));

  r.post('/inbox/teams', { config: { access: 'manager' }, schema: { summary: 'Create a team', tags: ['inbox'], body: teamBody } },
    async (req, reply) => reply.status(201).send({ id: await saveTeam(app.db, workspaceOf(req).id, null, req.body) }));

  r.put('/inbox/teams/:id', { config: { access: 'manager' }, schema: { summary: 'Change a team (name, members, automatic assignment, platforms)', tags: ['inbox'], params: z.object({ id: z.uuid() }), body: teamBody } },
    async (req) => ({ id: await saveTeam(app.db, workspaceOf(req).id, req.params.id, req.body) }));

  r.delete('/inbox/teams/:id', { config: { access: 'manager' }, schema: { summary: 'Delete a team; its conversations keep their person and lose the team, each with an event', tags: ['inbox'], params: z.object({ id: z.uuid() }) } },
    async (req) => deleteTeam(app.db, workspaceOf(req).id, actorOf(req), req.params.id));

  r.get('/inbox/labels', { config: { access: 'analyst' }, schema: { summary: 'Labels of the workspace', tags: ['inbox'] } },
    async (req) => ({ labels: await app.db.query(`select name, color from labels where workspace_id = $1 order by name`, [workspaceOf(req).id]) }));

  r.post('/inbox/labels', {
    config: { access: 'manager' },
    schema: { summary: 'Create or recolour a label', tags: ['inbox'], body: z.object({ name: LABEL, color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #3366cc').default('#888888') }) },
  }, async (req) => {
    await app.db.query(`insert into labels (workspace_id, name, color) values ($1, $2, $3) on conflict (workspace_id, name) do update set color = excluded.color`, [workspaceOf(req).id, req.body.name, req.body.color]);
    return { ok: true };
  });

  r.delete('/inbox/labels/:name', {
    config: { access: 'manager' },
    schema: { summary: 'Delete a label; it is removed from its conversations, each with an event (refused while an SLA policy matches on it)', tags: ['inbox'], params: z.object({ name: LABEL }) },
  }, async (req) => deleteLabel(app.db, workspaceOf(req).id, actorOf(req), req.params.name));

  r.get('/inbox/views', { config: { access: 'analyst' }, schema: { summary: 'Saved views: mine and the shared ones', tags: ['inbox'] } }, async (req) => ({
    views: await app.db.query(
      `select id, name, filters, user_id is null as shared from saved_views where workspace_id = $1 and (user_id is null or user_id = $2) order by shared, name`,
      [workspaceOf(req).id, req.auth?.user?.id ?? null]),
  }));

  r.post('/inbox/views', {
    config: { access: 'trainee' },
    schema: { summary: 'Save the current filters under a name (shared: for everyone, managers only)', tags: ['inbox'], body: z.object({ name: z.string().trim().min(1).max(100), filters: savedFilters, shared: z.boolean().default(false) }) },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const userId = req.auth?.user?.id ?? null;
    if (req.body.shared && !hasRole(ws.role, 'manager')) throw new HttpError(403, 'forbidden', 'shared views need the role manager or higher');
    if (!req.body.shared && !userId) throw new HttpError(400, 'invalid_input', 'shared: an API token can only save shared views');
    const rows = await app.db.query<{ id: string }>(
      `insert into saved_views (workspace_id, user_id, name, filters) values ($1, $2, $3, $4) on conflict do nothing returning id`,
      [ws.id, req.body.shared ? null : userId, req.body.name, JSON.stringify(req.body.filters)]);
    if (!rows.length) throw new HttpError(409, 'exists', `a view "${req.body.name}" exists`);
    return reply.status(201).send({ id: rows[0].id });
  });

  r.delete('/inbox/views/:id', { config: { access: 'trainee' }, schema: { summary: 'Delete a saved view', tags: ['inbox'], params: z.object({ id: z.uuid() }) } }, async (req) => {
    const ws = workspaceOf(req);
    const rows = await app.db.query(
      `delete from saved_views where workspace_id = $1 and id = $2 and (user_id = $3 or (user_id is null and $4)) returning id`,
      [ws.id, req.params.id, req.auth?.user?.id ?? null, hasRole(ws.role, 'manager')]);
    if (!rows.length) throw new HttpError(404, 'not_found', 'no such view of yours in this workspace');
    return { ok: true };
  });

  r.get('/inbox/canned', {
    config: { access: 'analyst' },
    schema: { summary: 'Search canned responses by words; the given language first', tags: ['inbox'], querystring: z.object({ q: z.string().max(200).optional(), language: z.string().regex(/^[a-z]{2}$/).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  }, async (req) => ({ canned: await searchCanned(app.db, workspaceOf(req).id, req.query.q, req.query.language, req.query.limit) }));

  r.post('/inbox/canned', { config: { access: 'manager' }, schema: { summary: 'Create a canned response; variables: {{name}} {{handle}} {{platform}} {{connection}} {{agent}} {{date}}', tags: ['inbox'], body: cannedBody } }, async (req, reply) => {
    try {
      return reply.status(201).send(await saveCanned(app.db, workspaceOf(req).id, req.auth?.user?.id ?? null, req.body));
    } catch (e: any) {
      if (e.code === '23505') throw new HttpError(409, 'exists', `a canned response "${req.body.name}" in ${req.body.language} exists`);
      throw e;
    }
  });

  r.put('/inbox/canned/:id', { config: { access: 'manager' }, schema: { summary: 'Change a canned response', tags: ['inbox'], params: z.object({ id: z.uuid() }), body: cannedBody } }, async (req) => {
    const out = await saveCanned(app.db, workspaceOf(req).id, null, { ...req.body, id: req.params.id });
    if (!out) throw new HttpError(404, 'not_found', 'no such canned response in this workspace');
    return out;
  });

  r.delete('/inbox/canned/:id', { config: { access: 'manager' }, schema: { summary: 'Delete a canned response', tags: ['inbox'], params: z.object({ id: z.uuid() }) } }, async (req) => {
    const rows = await app.db.query(`delete from canned_responses where workspace_id = $1 and id = $2 returning id`, [workspaceOf(req).id, req.params.id]);
    if (!rows.length) throw new HttpError(404, 'not_found', 'no such canned response in this workspace');
    return { ok: true };
  });

  r.put('/inbox/connections/:id/own-accounts', {
    config: { access: 'admin' },
    schema: { summary: "The connection's own accounts (platform user ids or handles): their items count as the team's (outbound)", tags: ['inbox'], params: z.object({ id: z.uuid() }), body: z.object({ accounts: z.array(z.string().trim().min(1).max(512)).max(100) }) },
  }, async (req) => {
    const rows = await app.db.query(
      `update connections set settings = jsonb_set(settings, '{ownAccounts}', $3::jsonb) where workspace_id = $1 and id = $2 returning id`,
      [workspaceOf(req).id, req.params.id, JSON.stringify(req.body.accounts)]);
    if (!rows.length) throw new HttpError(404, 'not_found', 'no such connection in this workspace');
    return { ok: true };
  });
};
