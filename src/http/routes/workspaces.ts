// Workspaces and what belongs to running one: members, API tokens, connections.
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import { createUser, createWorkspace, addMember, createApiToken, slugify, normaliseEmail, AccountError } from '../../auth/accounts.js';
import { ROLES } from '../../auth/roles.js';
import { MIN_PASSWORD } from '../../auth/passwords.js';
import { PLATFORMS } from '../../core/platforms.js';
import { workspaceOf } from '../auth.js';
import { HttpError } from '../errors.js';

const asHttp = (e: unknown) => (e instanceof AccountError ? new HttpError(e.status, e.code, e.message, e.details) : e);

export const workspaceRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.post('/workspaces', {
    config: { access: 'user' },
    schema: {
      summary: 'Create a workspace (installation owner only)', tags: ['workspaces'],
      body: z.object({ name: z.string().trim().min(1).max(200), slug: z.string().max(63).optional() }),
      response: { 201: z.object({ id: z.string(), slug: z.string(), name: z.string() }) },
    },
  }, async (req, reply) => {
    if (!req.auth!.user!.is_owner) throw new HttpError(403, 'forbidden', 'only the installation owner creates workspaces');
    try {
      return reply.status(201).send(await createWorkspace(app.db, { name: req.body.name, slug: req.body.slug ?? slugify(req.body.name) }));
    } catch (e) { throw asHttp(e); }
  });

  r.get('/members', {
    config: { access: 'manager' },
    schema: { summary: 'Members of the workspace', tags: ['workspaces'], response: { 200: z.object({ members: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() })) }) } },
  }, async (req) => ({
    members: await app.db.query<any>(
      `select u.id, u.email, u.name, m.role from memberships m join users u on u.id = m.user_id where m.workspace_id = $1 order by u.name`, [workspaceOf(req).id]),
  }));

  r.post('/members', {
    config: { access: 'admin' },
    schema: {
      summary: 'Add a person to the workspace (creating the account if new) or change their role', tags: ['workspaces'],
      body: z.object({ email: z.email(), name: z.string().trim().min(1).max(200), role: z.enum(ROLES).exclude(['owner']), password: z.string().min(MIN_PASSWORD).max(1000).optional() }),
      response: { 200: z.object({ userId: z.string(), created: z.boolean() }) },
    },
  }, async (req) => {
    const ws = workspaceOf(req);
    try {
      return await app.db.transaction(async (tx) => {
        const [existing] = await tx.query<{ id: string }>('select id from users where email = $1', [normaliseEmail(req.body.email)]);
        if (!existing && !req.body.password) throw new HttpError(400, 'invalid_input', 'password: a new account needs an initial password');
        const userId = existing?.id ?? (await createUser(tx, { email: req.body.email, name: req.body.name, password: req.body.password! })).id;
        await addMember(tx, ws.id, userId, req.body.role);
        await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, 'user', 'member.role', $3)`,
          [ws.id, req.auth!.user?.id ?? null, JSON.stringify({ userId, role: req.body.role })]);
        return { userId, created: !existing };
      });
    } catch (e) { throw asHttp(e); }
  });

  r.post('/tokens', {
    config: { access: 'admin' },
    schema: {
      summary: 'Create an API token for this workspace; the token is shown only in this answer', tags: ['workspaces'],
      body: z.object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES).exclude(['owner']).default('manager') }),
      response: { 201: z.object({ id: z.string(), token: z.string() }) },
    },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    try {
      return reply.status(201).send(await createApiToken(app.db, { workspaceId: ws.id, name: req.body.name, role: req.body.role, createdBy: req.auth!.user?.id ?? null, creatorRole: ws.role }));
    } catch (e) { throw asHttp(e); }
  });

  r.get('/tokens', {
    config: { access: 'admin' },
    schema: { summary: 'API tokens of this workspace (never the tokens themselves)', tags: ['workspaces'] },
  }, async (req) => ({
    tokens: await app.db.query(
      `select id, name, role, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt" from api_tokens where workspace_id = $1 order by created_at`, [workspaceOf(req).id]),
  }));

  r.delete('/tokens/:id', {
    config: { access: 'admin' },
    schema: { summary: 'Revoke an API token', tags: ['workspaces'], params: z.object({ id: z.uuid() }) },
  }, async (req) => {
    const rows = await app.db.query(`update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 and workspace_id = $2 returning id`, [req.params.id, workspaceOf(req).id]);
    if (!rows.length) throw new HttpError(404, 'not_found', 'no such token in this workspace');
    return { ok: true };
  });

  r.get('/connections', {
    config: { access: 'analyst' },
    schema: { summary: 'Connections (platform accounts) of this workspace', tags: ['workspaces'] },
  }, async (req) => ({
    connections: await app.db.query(
      `select id, platform, name, created_at as "createdAt", secret_encrypted is not null as "hasWebhookSecret" from connections where workspace_id = $1 order by platform, name`, [workspaceOf(req).id]),
  }));

  r.post('/connections', {
    config: { access: 'admin' },
    schema: {
      summary: 'Create a connection with a webhook secret; the secret is shown only in this answer', tags: ['workspaces'],
      body: z.object({
        platform: z.enum(PLATFORMS), name: z.string().trim().min(1).max(200),
        // Where Allmende sends actions (hide, delete, reply …), signed with the same secret, for
        // a site that acts on its own comments; platform connectors bring their own.
        actionsUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
      }),
      response: { 201: z.object({ id: z.string(), webhookUrl: z.string(), webhookSecret: z.string() }) },
    },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const secret = randomBytes(32).toString('base64url');
    const rows = await app.db.query<{ id: string }>(
      `insert into connections (workspace_id, platform, name, secret_encrypted, settings) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, platform, name) do nothing returning id`,
      [ws.id, req.body.platform, req.body.name, app.secrets.seal(secret), JSON.stringify(req.body.actionsUrl ? { actionsUrl: req.body.actionsUrl } : {})]);
    if (!rows.length) throw new HttpError(409, 'exists', `a ${req.body.platform} connection "${req.body.name}" exists`);
    return reply.status(201).send({ id: rows[0].id, webhookUrl: `/api/v1/webhooks/${rows[0].id}`, webhookSecret: secret });
  });
};
