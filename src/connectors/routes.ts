// The connections API: which platforms Allmende can connect and what each can do there; add a
// platform connection with its credentials, test it, pause and resume it, re-authorise it,
// poll it now, remove it. Credentials go in sealed and never come back out.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { ACTION_TYPES, READ_MODES, NeedsReauthorisation, PlatformBusy } from './contract.js';
import { CONNECTORS, clientFor, loadConnection } from './registry.js';

/** Zod issues of a connector's own schema, named under the body field they came in. */
function invalid(field: string, error: z.ZodError): HttpError {
  const first = error.issues[0];
  const path = [field, ...first.path].join('.');
  return new HttpError(400, 'invalid_input', `${path}: ${first.message}`, error.issues.map((i) => ({ field: [field, ...i.path].join('.'), message: i.message })));
}

const STATUS_COLUMNS = `id, platform, name, status, settings, created_at as "createdAt", last_polled_at as "lastPolledAt",
  last_item_at as "lastItemAt", last_error as "lastError", last_error_at as "lastErrorAt", next_poll_at as "nextPollAt",
  credentials_encrypted is not null as "hasCredentials",
  (select count(*)::int from items i where i.connection_id = connections.id) as "itemCount",
  (select count(*)::int from actions a where a.connection_id = connections.id and a.state = 'pending') as "pendingActions"`;

export const connectorRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/connectors', {
    config: { access: 'analyst' },
    schema: { summary: 'Platforms with a connector and what each can read and do (the capability matrix)', tags: ['connections'] },
  }, async () => ({
    readModes: READ_MODES,
    actions: ACTION_TYPES,
    connectors: Object.values(CONNECTORS).map((d) => ({ platform: d.platform, read: d.read, act: d.act, missing: d.missing })),
  }));

  r.get('/connections/status', {
    config: { access: 'analyst' },
    schema: { summary: 'Every connection with its state: active, paused, needs re-authorisation; last poll, last item, last error', tags: ['connections'] },
  }, async (req) => {
    const rows = await app.db.query<any>(`select ${STATUS_COLUMNS} from connections where workspace_id = $1 order by platform, name`, [workspaceOf(req).id]);
    // Settings can name an account but never hold a credential; still, only known keys go out.
    return { connections: rows.map((c) => ({ ...c, settings: publicSettings(c.platform, c.settings) })) };
  });

  r.post('/connectors/:platform/connections', {
    config: { access: 'admin' },
    schema: {
      summary: 'Connect a platform account; the credentials are checked with the platform, then stored encrypted', tags: ['connections'],
      params: z.object({ platform: z.string().max(50) }),
      body: z.object({ name: z.string().trim().min(1).max(200), settings: z.record(z.string(), z.unknown()).default({}), credentials: z.record(z.string(), z.unknown()).default({}) }),
    },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const def = CONNECTORS[req.params.platform];
    if (!def) throw new HttpError(404, 'not_found', `no connector for "${req.params.platform}"; known: ${Object.keys(CONNECTORS).join(', ')}`);
    const settings = def.settings.safeParse(req.body.settings);
    if (!settings.success) throw invalid('settings', settings.error);
    const credentials = def.credentials.safeParse(req.body.credentials);
    if (!credentials.success) throw invalid('credentials', credentials.error);
    const account = await check(() => def.open(settings.data, credentials.data).test());
    const rows = await app.db.query<{ id: string }>(
      `insert into connections (workspace_id, platform, name, settings, credentials_encrypted) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, platform, name) do nothing returning id`,
      [ws.id, def.platform, req.body.name, JSON.stringify(settings.data), app.secrets.seal(JSON.stringify(credentials.data))])
      .catch((e) => {
        // Another unique rule of the platform, e.g. a fediverse name is one address on this server.
        if (e?.code === '23505') throw new HttpError(409, 'exists', `this ${def.platform} account is connected already, here or in another workspace`);
        throw e;
      });
    if (!rows.length) throw new HttpError(409, 'exists', `a ${def.platform} connection "${req.body.name}" exists`);
    return reply.status(201).send({ id: rows[0].id, account: account.account });
  });

  /** The connection of this workspace, or 404. */
  async function own(req: any, id: string) {
    const conn = await loadConnection(app.db, id);
    if (!conn || conn.workspace_id !== workspaceOf(req).id) throw new HttpError(404, 'not_found', 'no such connection in this workspace');
    return conn;
  }
  const idParam = z.object({ id: z.uuid() });

  r.post('/connections/:id/test', {
    config: { access: 'manager' },
    schema: { summary: 'Check the stored credentials with the platform', tags: ['connections'], params: idParam },
  }, async (req) => {
    const conn = await own(req, req.params.id);
    const client = clientFor(conn, app.secrets);
    if (!client) throw new HttpError(400, 'no_connector', 'this connection has no platform credentials to test (webhook or import only)');
    const account = await check(() => client.test());
    const [s] = await app.db.query<any>(`select last_item_at as "lastItemAt", last_polled_at as "lastPolledAt", status from connections where id = $1`, [conn.id]);
    return { ok: true, account: account.account, ...s };
  });

  r.put('/connections/:id/credentials', {
    config: { access: 'admin' },
    schema: { summary: 'Re-authorise: new credentials, checked with the platform; the connection reads and acts again', tags: ['connections'], params: idParam, body: z.object({ credentials: z.record(z.string(), z.unknown()) }) },
  }, async (req) => {
    const conn = await own(req, req.params.id);
    const def = CONNECTORS[conn.platform];
    if (!def) throw new HttpError(400, 'no_connector', `no connector for ${conn.platform}`);
    const credentials = def.credentials.safeParse(req.body.credentials);
    if (!credentials.success) throw invalid('credentials', credentials.error);
    const account = await check(() => def.open(def.settings.parse(conn.settings ?? {}), credentials.data).test());
    await app.db.query(
      `update connections set credentials_encrypted = $2, status = case when status = 'needs_reauth' then 'active' else status end,
         last_error = null, poll_failures = 0, next_poll_at = now() where id = $1`,
      [conn.id, app.secrets.seal(JSON.stringify(credentials.data))]);
    return { ok: true, account: account.account };
  });

  for (const [path, status, from] of [['pause', 'paused', ['active', 'needs_reauth']], ['resume', 'active', ['paused']]] as const) {
    r.post(`/connections/:id/${path}`, {
      config: { access: 'admin' },
      schema: { summary: path === 'pause' ? 'Pause: nothing is read, actions wait' : 'Resume a paused connection', tags: ['connections'], params: idParam },
    }, async (req) => {
      const conn = await own(req, req.params.id);
      await app.db.query(`update connections set status = $2, next_poll_at = now() where id = $1 and status = any($3::text[])`, [conn.id, status, from]);
      const [row] = await app.db.query<{ status: string }>('select status from connections where id = $1', [conn.id]);
      return { status: row.status };
    });
  }

  r.post('/connections/:id/poll', {
    config: { access: 'manager' },
    schema: { summary: 'Read now instead of at the next interval', tags: ['connections'], params: idParam },
  }, async (req) => {
    const conn = await own(req, req.params.id);
    await app.db.query(`update connections set next_poll_at = now() where id = $1`, [conn.id]);
    return { ok: true };
  });

  r.delete('/connections/:id', {
    config: { access: 'admin' },
    schema: { summary: 'Remove a connection with its items and pending actions', tags: ['connections'], params: idParam },
  }, async (req) => {
    const conn = await own(req, req.params.id);
    await app.db.query('delete from connections where id = $1', [conn.id]);
    return { ok: true };
  });
};

/** The platform's answer to a credentials check, as an HTTP error a person can act on. */
async function check<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e: any) {
    if (e instanceof NeedsReauthorisation) throw new HttpError(400, 'credentials_refused', e.message);
    if (e instanceof PlatformBusy) throw new HttpError(502, 'platform_unavailable', e.message);
    throw new HttpError(400, 'connection_failed', `the platform refused: ${e?.message ?? e}`);
  }
}

function publicSettings(platform: string, settings: any): unknown {
  const def = CONNECTORS[platform];
  if (!def) return settings?.actionsUrl ? { actionsUrl: settings.actionsUrl } : {};
  const r = def.settings.safeParse(settings ?? {});
  return r.success ? r.data : {};
}
