// The generic signed webhook: a platform or a script posts items for one connection.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import { acceptRows } from '../../pipeline/accept.js';
import { verifySignature, REPLAY_WINDOW_SECONDS } from '../../connectors/signature.js';
import { HttpError } from '../errors.js';
import { acceptResult, bodyRows, sendAccepted } from './items.js';

const header = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

export const webhookRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.post('/webhooks/:connectionId', {
    config: { access: 'public' },
    schema: {
      summary: 'Signed webhook for one connection',
      description: `Headers: x-allmende-timestamp (unix seconds), x-allmende-signature: "sha256=" + hex HMAC-SHA256 with the connection's webhook secret over "<timestamp>.<raw body>", optional x-allmende-delivery (a delivery id, accepted once). Timestamps more than ${REPLAY_WINDOW_SECONDS} s off are refused. Body as for POST /items; the platform is the connection's.`,
      tags: ['items'],
      params: z.object({ connectionId: z.uuid() }),
      body: z.any(),
      response: { 200: acceptResult, 207: acceptResult, 400: z.any() },
    },
  }, async (req, reply) => {
    const [conn] = await app.db.query<{ id: string; workspace_id: string; platform: string; secret_encrypted: string | null }>(
      'select id, workspace_id, platform, secret_encrypted from connections where id = $1', [req.params.connectionId]);
    // Unknown connection and wrong signature answer alike, so ids cannot be probed.
    const check = conn?.secret_encrypted
      ? verifySignature({ secret: app.secrets.open(conn.secret_encrypted), body: req.rawBody ?? Buffer.alloc(0), signature: header(req.headers['x-allmende-signature']), timestamp: header(req.headers['x-allmende-timestamp']) })
      : { ok: false as const, reason: 'signature does not match' };
    if (!check.ok) throw new HttpError(401, 'bad_signature', check.reason);

    const delivery = header(req.headers['x-allmende-delivery']);
    // The connection fixes workspace and platform; rows need not repeat them.
    const rows = bodyRows(req.body).map((row) => (row && typeof row === 'object' && !Array.isArray(row) ? { ...row, platform: conn!.platform, connection: undefined } : row));
    const result = await app.db.transaction(async (tx) => {
      if (delivery) {
        // Deliveries older than the window need not be remembered: their timestamp is refused.
        await tx.query(`delete from webhook_deliveries where received_at < now() - make_interval(secs => $1)`, [REPLAY_WINDOW_SECONDS * 2]);
        const fresh = await tx.query(`insert into webhook_deliveries (connection_id, delivery_id) values ($1, $2) on conflict do nothing returning 1`, [conn!.id, delivery.slice(0, 200)]);
        if (!fresh.length) throw new HttpError(409, 'replayed', 'this delivery id was received already');
      }
      // One transaction with the delivery id: a failed delivery may be sent again.
      return acceptRows(tx, app.queue, { workspaceId: conn!.workspace_id, connectionId: conn!.id }, rows);
    });
    return sendAccepted(reply, result);
  });
};
