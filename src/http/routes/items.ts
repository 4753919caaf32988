// Items: send them in (one, a batch, or NDJSON) and read them back.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import type { FastifyReply } from 'fastify';
import { acceptRows, MAX_BATCH, type AcceptResult } from '../../pipeline/accept.js';
import { listItems, getItem, itemOutput } from '../../pipeline/items-read.js';
import { workspaceOf } from '../auth.js';
import { HttpError } from '../errors.js';

export const acceptResult = z.object({
  received: z.number(), created: z.number(), updated: z.number(), duplicate: z.number(),
  rejected: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
});

/** The body as rows: one object, an array, or { items: [...] }. */
export function bodyRows(body: unknown): unknown[] {
  if (body === undefined) throw new HttpError(400, 'invalid_input', 'the body is empty; send one item, an array of items or { "items": [...] }');
  const rows = Array.isArray(body) ? body
    : body && typeof body === 'object' && Array.isArray((body as any).items) ? (body as any).items
    : [body];
  if (rows.length > MAX_BATCH) throw new HttpError(413, 'batch_too_large', `at most ${MAX_BATCH} items per request; this one has ${rows.length}`);
  return rows;
}

export const itemRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.post('/items', {
    config: { access: 'manager' },
    schema: {
      summary: 'Send items: one object, an array, { items: [...] } or NDJSON (application/x-ndjson). Idempotent on (connection, platformId).',
      description: 'Each row is validated on its own: bad rows come back in `rejected` with row number and field, good rows are stored. Status 200 when all rows were good, 207 when some were rejected, 400 when none could be stored.',
      tags: ['items'],
      body: z.any(),
      response: { 200: acceptResult, 207: acceptResult, 400: z.any() },
    },
  }, async (req, reply) => {
    const rows = bodyRows(req.body);
    return sendAccepted(reply, await acceptRows(app.db, app.queue, { workspaceId: workspaceOf(req).id }, rows));
  });

  r.get('/items', {
    config: { access: 'analyst' },
    schema: {
      summary: 'Latest items, newest first', tags: ['items'],
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.string().max(100).optional() }),
      response: { 200: z.object({ items: z.array(itemOutput), nextCursor: z.string().nullable() }) },
    },
  }, async (req) => listItems(app.db, workspaceOf(req).id, req.query));

  r.get('/items/:id', {
    config: { access: 'analyst' },
    schema: { summary: 'One item with its signals and history', tags: ['items'], params: z.object({ id: z.coerce.number().int().positive() }) },
  }, async (req) => {
    const item = await getItem(app.db, workspaceOf(req).id, req.params.id);
    if (!item) throw new HttpError(404, 'not_found', 'no such item in this workspace');
    return item;
  });
};

/** 200 when every row was good, 207 when some were rejected, 400 when none could be stored. */
export function sendAccepted(reply: FastifyReply, result: AcceptResult) {
  if (result.rejected.length === 0) return reply.status(200).send(result);
  if (result.created + result.updated + result.duplicate > 0) return reply.status(207).send(result);
  return reply.status(400).send({ error: { code: 'invalid_input', message: rejectedMessage(result.rejected), details: result } });
}

function rejectedMessage(rejected: { row: number; field: string; message: string }[]): string {
  const shown = rejected.slice(0, 5).map((e) => `row ${e.row}, ${e.field}: ${e.message}`).join('; ');
  return rejected.length > 5 ? `${shown}; and ${rejected.length - 5} more` : shown;
}
