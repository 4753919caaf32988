// Test set-up through the public surface: a real Allmende (database, queue, workers, HTTP server)
// on PGlite in a temporary folder or on a fresh database of the local PostgreSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { openApp, drainPipeline, type App } from '../src/app.js';
import { buildServer, type Server } from '../src/http/server.js';
import { signPayload } from '../src/connectors/signature.js';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SERVER_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
export const dbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A config for a new, empty database; cleanup() removes it. */
export async function freshConfig(): Promise<{ config: Config; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'allmende-test-'));
  const env: Record<string, string> = { ALLMENDE_DATA: dataDir, LOG_LEVEL: 'warn' };
  let dropDb = async () => {};
  if (dbKind === 'postgres') {
    const name = `allmende_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  return {
    config: loadConfig(env),
    env,
    cleanup: async () => { await dropDb(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

export interface TestEnv { app: App; server: Server; config: Config; env: Record<string, string>; close(): Promise<void> }

export async function startTestApp(): Promise<TestEnv> {
  const { config, env, cleanup } = await freshConfig();
  const app = await openApp(config, { workers: true });
  const server = await buildServer(app, { logger: false });
  await server.ready();
  return { app, server, config, env, async close() { await server.close(); await app.close(); await cleanup(); } };
}

export const drain = (app: App) => drainPipeline(app.db, { timeoutMs: 60_000 });

export interface Session { cookie: string; csrf: string; workspace: string }

/** First-run setup through the API; returns the owner's session. */
export async function setupOwner(server: Server, workspaceName = 'Stadtwerke Nord'): Promise<Session> {
  const res = await server.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'owner@example.org', name: 'Olga Owner', password: 'correct horse battery', workspaceName } });
  if (res.statusCode !== 200) throw new Error(`setup failed: ${res.body}`);
  const cookie = sessionCookie(res.headers['set-cookie']);
  return sessionFromCookie(server, cookie);
}

export function sessionCookie(setCookie: string | string[] | undefined): string {
  const c = [setCookie ?? []].flat().find((h) => h.startsWith('allmende_session='));
  if (!c) throw new Error('no session cookie set');
  return c.split(';')[0];
}

export async function sessionFromCookie(server: Server, cookie: string): Promise<Session> {
  const me = await server.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const body = me.json();
  return { cookie, csrf: body.csrfToken, workspace: body.workspaces[0]?.slug };
}

export async function login(server: Server, email: string, password: string): Promise<Session> {
  const res = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return sessionFromCookie(server, sessionCookie(res.headers['set-cookie']));
}

/** Headers for a session request in its workspace, CSRF included. */
export const as = (s: Session, workspace = s.workspace) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf, 'x-workspace': workspace });

export async function createToken(server: Server, owner: Session, role = 'manager', workspace = owner.workspace): Promise<string> {
  const res = await server.inject({ method: 'POST', url: '/api/v1/tokens', headers: as(owner, workspace), payload: { name: `test ${role}`, role } });
  if (res.statusCode !== 201) throw new Error(`token failed: ${res.body}`);
  return res.json().token;
}

export async function addMember(server: Server, owner: Session, email: string, role: string, workspace = owner.workspace): Promise<Session> {
  const password = 'a long enough password';
  const res = await server.inject({ method: 'POST', url: '/api/v1/members', headers: as(owner, workspace), payload: { email, name: email.split('@')[0], role, password } });
  if (res.statusCode !== 200) throw new Error(`member failed: ${res.body}`);
  const s = await login(server, email, password);
  return { ...s, workspace };
}

/** A realistic item; `n` makes ids and text distinct. */
export function item(n: number, over: Record<string, unknown> = {}) {
  return {
    platform: 'mastodon', platformId: `status-${n}`, kind: 'comment', threadId: 'thread-1',
    author: { platformUserId: `u${n % 7}`, handle: `@leser${n % 7}@social.example`, displayName: `Leser ${n % 7}` },
    text: n % 2 ? `Wann kommt endlich die neue Buslinie nach Nordstadt? Nummer ${n}` : `When will the new bus line to Northtown finally start? Number ${n}`,
    createdAt: new Date(Date.UTC(2026, 10, 1, 8, 0, n % 3600)).toISOString(),
    ...over,
  };
}

/** Sends items through the ingest API with an API token, as a connector or import script would. */
export const postItems = (server: Server, token: string, items: unknown[]) => server.inject({
  method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(items),
});

/** Polls until fn returns something truthy (asynchronous results: pipeline, outbox, pollers). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends rows to a connection's webhook, signed as a platform or forum would sign them. */
export function deliverSigned(server: Server, hook: { webhookUrl: string; webhookSecret: string }, rows: unknown[]) {
  const body = JSON.stringify(rows);
  const ts = Math.floor(Date.now() / 1000);
  return server.inject({ method: 'POST', url: hook.webhookUrl, payload: body, headers: { 'content-type': 'application/json', 'x-allmende-timestamp': String(ts), 'x-allmende-signature': signPayload(hook.webhookSecret, ts, body) } });
}

/** What a stand-in forum received from Allmende's outbox. */
export interface ForumAction { action: string; payload: any }

/**
 * A local stand-in for a forum that takes Allmende's actions at its actionsUrl and answers each
 * with an id and a link, as a platform would; received lists them in order.
 */
export async function startForum(): Promise<{ actionsUrl: string; received: ForumAction[]; close(): Promise<void> }> {
  const received: ForumAction[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const data = JSON.parse(Buffer.concat(chunks).toString());
      received.push({ action: data.action, payload: data.payload });
      const id = `forum-${received.length}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformId: id, permalink: `https://forum.example/c/${id}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return {
    actionsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/actions`,
    received,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
