// Users, sessions, API tokens and the login rate limit, all in the database so several
// processes behind one server agree.
import type { Db } from '../store/db.js';
import { hashPassword, verifyPassword, burnPasswordCheck, MIN_PASSWORD } from './passwords.js';
import { newToken, tokenHash } from './secrets.js';
import { hasRole, type Role } from './roles.js';

export const SESSION_DAYS = 14;
export const LOGIN_WINDOW_MINUTES = 15;
export const LOGIN_MAX_FAILURES = 5;

export class AccountError extends Error {
  constructor(public readonly code: string, message: string, public readonly status = 400, public readonly details?: unknown) { super(message); }
}

export interface User { id: string; email: string; name: string; is_owner: boolean; locale: 'de' | 'en' | null }
export interface Membership { id: string; slug: string; name: string; role: Role }

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function needsOwner(db: Db): Promise<boolean> {
  return (await db.query('select 1 from users where is_owner limit 1')).length === 0;
}

export async function createUser(db: Db, u: { email: string; name: string; password: string; isOwner?: boolean }): Promise<User> {
  if (u.password.length < MIN_PASSWORD) throw new AccountError('weak_password', `the password needs at least ${MIN_PASSWORD} characters`);
  const passwordHash = await hashPassword(u.password);
  try {
    const [user] = await db.query<User>(
      `insert into users (email, name, password_hash, is_owner) values ($1, $2, $3, $4)
       returning id, email, name, is_owner, locale`, [normaliseEmail(u.email), u.name.trim(), passwordHash, !!u.isOwner]);
    return user;
  } catch (e: any) {
    if (e.code === '23505') throw new AccountError(u.isOwner ? 'owner_exists' : 'email_taken', u.isOwner ? 'this installation already has an owner' : 'an account with this e-mail exists', 409);
    throw e;
  }
}

export async function createWorkspace(db: Db, w: { slug: string; name: string }): Promise<{ id: string; slug: string; name: string }> {
  try {
    const [ws] = await db.query<{ id: string; slug: string; name: string }>(
      'insert into workspaces (slug, name) values ($1, $2) returning id, slug, name', [w.slug, w.name]);
    return ws;
  } catch (e: any) {
    if (e.code === '23505') throw new AccountError('slug_taken', `a workspace "${w.slug}" exists`, 409);
    if (e.code === '23514') throw new AccountError('bad_slug', 'the workspace slug takes lower-case letters, digits and dashes', 400);
    throw e;
  }
}

export function slugify(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return s || 'workspace';
}

export async function addMember(db: Db, workspaceId: string, userId: string, role: Role): Promise<void> {
  await db.query(
    `insert into memberships (workspace_id, user_id, role) values ($1, $2, $3)
     on conflict (workspace_id, user_id) do update set role = excluded.role`, [workspaceId, userId, role]);
}

/** Checks a password, counting failures per e-mail and per client address. */
export async function login(db: Db, email: string, password: string, clientIp: string): Promise<User> {
  const address = normaliseEmail(email);
  const keys = [`email:${address}`, `ip:${clientIp}`];
  // Counted per key: five failures for one e-mail, or from one address, lock that key.
  const counts = await db.query<{ failures: number; oldest: Date }>(
    `select count(*)::int as failures, min(failed_at) as oldest from login_failures
     where key = any($1) and failed_at > now() - make_interval(mins => $2) group by key order by 1 desc limit 1`, [keys, LOGIN_WINDOW_MINUTES]);
  const { failures = 0, oldest = null } = counts[0] ?? {};
  if (failures >= LOGIN_MAX_FAILURES) {
    const retryAfterSeconds = oldest ? Math.max(1, Math.ceil((new Date(oldest).getTime() + LOGIN_WINDOW_MINUTES * 60_000 - Date.now()) / 1000)) : LOGIN_WINDOW_MINUTES * 60;
    throw new AccountError('rate_limited', 'too many failed logins; try again later', 429, { retryAfterSeconds });
  }
  const [row] = await db.query<User & { password_hash: string; disabled_at: Date | null }>(
    'select id, email, name, is_owner, locale, password_hash, disabled_at from users where email = $1', [address]);
  const ok = row ? await verifyPassword(row.password_hash, password) : (await burnPasswordCheck(password), false);
  if (!ok || !row || row.disabled_at) {
    await db.query(`insert into login_failures (key) select unnest($1::text[])`, [keys]);
    throw new AccountError('bad_credentials', 'e-mail or password is wrong', 401);
  }
  await db.query(`delete from login_failures where key = $1 or failed_at < now() - make_interval(mins => $2)`, [keys[0], LOGIN_WINDOW_MINUTES]);
  const { password_hash: _h, disabled_at: _d, ...user } = row;
  return user;
}

export async function createSession(db: Db, userId: string): Promise<{ token: string; csrfToken: string }> {
  const token = newToken('alms');
  const csrfToken = newToken('csrf');
  await db.query('delete from sessions where expires_at < now()');
  await db.query(
    `insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, now() + make_interval(days => $4))`,
    [tokenHash(token), userId, csrfToken, SESSION_DAYS]);
  return { token, csrfToken };
}

export async function findSession(db: Db, token: string): Promise<{ user: User; csrfToken: string } | null> {
  const [row] = await db.query<User & { csrf_token: string }>(
    `select u.id, u.email, u.name, u.is_owner, u.locale, s.csrf_token from sessions s join users u on u.id = s.user_id
     where s.token_hash = $1 and s.expires_at > now() and u.disabled_at is null`, [tokenHash(token)]);
  if (!row) return null;
  const { csrf_token, ...user } = row;
  return { user, csrfToken: csrf_token };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [tokenHash(token)]);
}

/** The user's workspaces and role in each; the owner is owner everywhere. */
export async function memberships(db: Db, user: User): Promise<Membership[]> {
  if (user.is_owner) {
    return db.query<Membership>(`select id, slug, name, 'owner' as role from workspaces order by name`);
  }
  return db.query<Membership>(
    `select w.id, w.slug, w.name, m.role from memberships m join workspaces w on w.id = m.workspace_id
     where m.user_id = $1 order by w.name`, [user.id]);
}

export async function createApiToken(db: Db, t: { workspaceId: string; name: string; role: Role; createdBy: string | null; creatorRole: Role }): Promise<{ id: string; token: string }> {
  if (t.role === 'owner') throw new AccountError('bad_role', 'a token cannot have the owner role');
  if (!hasRole(t.creatorRole, t.role)) throw new AccountError('forbidden', 'a token cannot have more rights than its creator', 403);
  const token = newToken('almt');
  const [row] = await db.query<{ id: string }>(
    `insert into api_tokens (workspace_id, name, role, token_hash, created_by) values ($1, $2, $3, $4, $5) returning id`,
    [t.workspaceId, t.name, t.role, tokenHash(token), t.createdBy]);
  return { id: row.id, token };
}

export async function findApiToken(db: Db, token: string): Promise<{ id: string; workspace: Membership } | null> {
  const [row] = await db.query<{ token_id: string; stale: boolean } & Membership>(
    `select t.id as token_id, w.id, w.slug, w.name, t.role,
       (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale
     from api_tokens t join workspaces w on w.id = t.workspace_id
     where t.token_hash = $1 and t.revoked_at is null`, [tokenHash(token)]);
  if (!row) return null;
  // "Last used" to the minute is enough to spot dead tokens, and spares a write per request.
  if (row.stale) await db.query('update api_tokens set last_used_at = now() where id = $1', [row.token_id]);
  const { token_id, stale: _s, ...workspace } = row;
  return { id: token_id, workspace };
}
