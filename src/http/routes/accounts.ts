// First-run setup, login and logout, and the logged-in person's own settings.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import {
  needsOwner, createUser, createWorkspace, addMember, slugify, login, createSession, endSession, memberships, AccountError, SESSION_DAYS,
} from '../../auth/accounts.js';
import { MIN_PASSWORD } from '../../auth/passwords.js';
import { SESSION_COOKIE } from '../auth.js';
import { HttpError } from '../errors.js';
import type { FastifyReply } from 'fastify';

const ok = z.object({ ok: z.literal(true) });

export const accountRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: '/', maxAge: SESSION_DAYS * 86400,
    });
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      if (e instanceof AccountError) throw new HttpError(e.status, e.code, e.message, e.details);
      throw e;
    }
  };

  r.get('/setup', {
    config: { access: 'public' },
    schema: { summary: 'Whether the installation still needs its owner account', tags: ['accounts'], response: { 200: z.object({ needsOwner: z.boolean() }) } },
  }, async () => ({ needsOwner: await needsOwner(app.db) }));

  r.post('/setup', {
    config: { access: 'public' },
    schema: {
      summary: 'First run: create the owner account and the first workspace', tags: ['accounts'],
      body: z.object({ email: z.email(), name: z.string().trim().min(1).max(200), password: z.string().min(MIN_PASSWORD).max(1000), workspaceName: z.string().trim().min(1).max(200) }),
      response: { 200: ok },
    },
  }, async (req, reply) => wrap(async () => {
    const user = await app.db.transaction(async (tx) => {
      if (!(await needsOwner(tx))) throw new AccountError('owner_exists', 'this installation already has an owner', 409);
      const u = await createUser(tx, { ...req.body, isOwner: true });
      const ws = await createWorkspace(tx, { slug: slugify(req.body.workspaceName), name: req.body.workspaceName });
      await addMember(tx, ws.id, u.id, 'owner');
      return u;
    });
    setCookie(reply, (await createSession(app.db, user.id)).token);
    return { ok: true as const };
  }));

  r.post('/auth/login', {
    config: { access: 'public' },
    schema: { summary: 'Log in; sets the session cookie', tags: ['accounts'], body: z.object({ email: z.string().max(320), password: z.string().max(1000) }), response: { 200: ok } },
  }, async (req, reply) => wrap(async () => {
    const user = await login(app.db, req.body.email, req.body.password, req.ip);
    setCookie(reply, (await createSession(app.db, user.id)).token);
    return { ok: true as const };
  }));

  r.post('/auth/logout', {
    config: { access: 'user' },
    schema: { summary: 'Log out', tags: ['accounts'], response: { 200: ok } },
  }, async (req, reply) => {
    if (req.auth?.sessionToken) await endSession(app.db, req.auth.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/me', {
    config: { access: 'user' },
    schema: {
      summary: 'The logged-in person, their workspaces and the CSRF token', tags: ['accounts'],
      response: { 200: z.object({
        user: z.object({ id: z.string(), email: z.string(), name: z.string(), locale: z.enum(['de', 'en']).nullable(), revealToxic: z.boolean() }),
        workspaces: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.string() })),
        csrfToken: z.string(),
      }) },
    },
  }, async (req) => {
    const { user, csrfToken } = req.auth!;
    const [{ reveal_toxic }] = await app.db.query<{ reveal_toxic: boolean }>('select reveal_toxic from users where id = $1', [user!.id]);
    return { user: { id: user!.id, email: user!.email, name: user!.name, locale: user!.locale, revealToxic: reveal_toxic }, workspaces: await memberships(app.db, user!), csrfToken: csrfToken ?? '' };
  });

  r.patch('/me', {
    config: { access: 'user' },
    schema: {
      summary: 'Change own settings: interface language; whether toxic text is shown unblurred', tags: ['accounts'],
      body: z.object({ locale: z.enum(['de', 'en']).nullable().optional(), revealToxic: z.boolean().optional() }), response: { 200: ok },
    },
  }, async (req) => {
    const id = req.auth!.user!.id;
    if (req.body.locale !== undefined) await app.db.query('update users set locale = $2 where id = $1', [id, req.body.locale]);
    if (req.body.revealToxic !== undefined) await app.db.query('update users set reveal_toxic = $2 where id = $1', [id, req.body.revealToxic]);
    return { ok: true as const };
  });
};
