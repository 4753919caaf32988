// Who is asking, and may they? Every route declares `config.access`:
//   'public'  – anyone (setup, login, health, signed webhooks)
//   'user'    – a logged-in person, no workspace needed (/me)
//   a Role    – the least role needed in the request's workspace
// The workspace is the API token's own, or for a browser session the `x-workspace` header.
// Browser sessions must echo their CSRF token on every state-changing request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';
import { findSession, findApiToken, memberships, type User, type Membership } from '../auth/accounts.js';
import { hasRole, type Role } from '../auth/roles.js';
import { safeEqual } from '../auth/secrets.js';
import { HttpError } from './errors.js';

export type Access = 'public' | 'user' | Role;
export const SESSION_COOKIE = 'allmende_session';

export interface Auth {
  via: 'session' | 'token';
  user: User | null;
  sessionToken?: string;
  csrfToken?: string;
  workspace: Membership | null;
}

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { auth: Auth | null }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest('auth', null);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${route.method} ${url} does not declare the access it needs (config.access)`);
    }
  });
  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public') return;
    req.auth = await authenticate(db, req);
    if (!req.auth) throw new HttpError(401, 'unauthenticated', 'log in or send an API token');
    if (req.auth.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, req.auth.csrfToken!)) throw new HttpError(403, 'csrf', 'missing or wrong x-csrf-token header');
    }
    if (access === 'user') {
      if (!req.auth.user) throw new HttpError(403, 'forbidden', 'this needs a person logged in, not an API token');
      return;
    }
    const ws = req.auth.workspace;
    if (!ws) throw new HttpError(400, 'no_workspace', 'choose a workspace with the x-workspace header');
    if (!hasRole(ws.role, access)) throw new HttpError(403, 'forbidden', `this needs the role ${access} or higher; you are ${ws.role} in ${ws.slug}`);
  });
}

async function authenticate(db: Db, req: FastifyRequest): Promise<Auth | null> {
  const header = req.headers.authorization;
  const wanted = typeof req.headers['x-workspace'] === 'string' ? req.headers['x-workspace'] : null;
  if (header?.startsWith('Bearer ')) {
    const found = await findApiToken(db, header.slice(7).trim());
    if (!found) throw new HttpError(401, 'bad_token', 'the API token is unknown or revoked');
    if (wanted && wanted !== found.workspace.slug && wanted !== found.workspace.id) {
      throw new HttpError(403, 'forbidden', 'this API token belongs to another workspace');
    }
    return { via: 'token', user: null, workspace: found.workspace };
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  const session = await findSession(db, token);
  if (!session) return null;
  let workspace: Membership | null = null;
  if (wanted) {
    workspace = (await memberships(db, session.user)).find((m) => m.slug === wanted || m.id === wanted) ?? null;
    if (!workspace) throw new HttpError(403, 'forbidden', `you are not a member of the workspace "${wanted}"`);
  }
  return { via: 'session', user: session.user, sessionToken: token, csrfToken: session.csrfToken, workspace };
}

export function workspaceOf(req: FastifyRequest): Membership {
  if (!req.auth?.workspace) throw new HttpError(400, 'no_workspace', 'choose a workspace with the x-workspace header');
  return req.auth.workspace;
}

