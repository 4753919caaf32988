// The inbox API: conversations (list, view, status, assignment, labels, bulk), replies, notes,
// and live presence. Roles: analysts read; trainees write notes and show presence; moderators
// and up triage and reply; managers set up teams, canned responses and shared views.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import type { Db } from '../store/db.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { listFilters, listConversations, conversationOutput } from './list.js';
import { getConversation, conversationRow } from './view.js';
import { actorOf, changeConversations, STATUSES, type Actor, type Change } from './state.js';
import { sendReply, retryReply } from './replies.js';
import { addNote, mentionsOf } from './notes.js';
import { renderCanned } from './canned.js';
import { PresenceBoard } from './presence.js';
import { ensureLabels, LABEL } from './setup-routes.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });


async function mustExist(db: Db, workspaceId: string, id: number) {
  const rows = await db.query(`select 1 from conversations where workspace_id = $1 and id = $2`, [workspaceId, id]);
  if (!rows.length) throw new HttpError(404, 'not_found', 'no such conversation in this workspace');
}

/** An assignee must be a member of the workspace who may work the inbox; a team must be the workspace's. */
async function checkAssignment(db: Db, workspaceId: string, userId: string | null | undefined, teamId: string | null | undefined) {
  if (userId) {
    const [m] = await db.query<{ role: string }>(`select role from memberships where workspace_id = $1 and user_id = $2`, [workspaceId, userId]);
    if (!m) throw new HttpError(400, 'invalid_input', 'userId: not a member of this workspace');
    if (m.role === 'analyst') throw new HttpError(400, 'invalid_input', 'userId: analysts read only and cannot be assigned conversations');
  }
  if (teamId) {
    const rows = await db.query(`select 1 from teams where workspace_id = $1 and id = $2`, [workspaceId, teamId]);
    if (!rows.length) throw new HttpError(400, 'invalid_input', 'teamId: no such team in this workspace');
  }
}

const statusBody = z.object({
  status: z.enum(STATUSES),
  snoozeUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  reason: z.string().trim().max(500).optional(),
});
const assignBody = z.object({ userId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional(), me: z.boolean().optional() });
const labelsBody = z.object({ add: z.array(LABEL).max(20).optional(), remove: z.array(LABEL).max(20).optional() });

export const inboxRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  const board = new PresenceBoard();
  const streams = new Set<import('node:http').ServerResponse>();
  // Open event streams would keep the server from closing.
  r.addHook('preClose', async () => { for (const s of streams) s.end(); });
  r.addHook('onClose', async () => board.close());

  /** Turns a request body into one change, checked against the workspace. */
  async function changeOf(req: FastifyRequest, body: any, kind: 'status' | 'assignment' | 'labels' | 'priority'): Promise<Change> {
    const ws = workspaceOf(req);
    if (kind === 'priority') return { kind: 'priority', to: body.priority };
    if (kind === 'status') {
      if (body.snoozeUntil && Date.parse(body.snoozeUntil) <= Date.now()) throw new HttpError(400, 'invalid_input', 'snoozeUntil: must be in the future');
      return { kind: 'status', to: body.status, snoozeUntil: body.snoozeUntil ?? null };
    }
    if (kind === 'assignment') {
      const userId = body.me ? req.auth?.user?.id : body.userId;
      if (body.me && !userId) throw new HttpError(400, 'invalid_input', 'me: an API token is nobody to assign to');
      await checkAssignment(app.db, ws.id, userId, body.teamId);
      return { kind: 'assignment', userId, teamId: body.teamId };
    }
    await ensureLabels(app.db, ws.id, body.add ?? []);
    return { kind: 'labels', add: body.add, remove: body.remove };
  }

  r.get('/inbox/conversations', {
    config: { access: 'analyst' },
    schema: { summary: 'Conversations with filters, search (German and English stemming) and keyset paging', tags: ['inbox'], querystring: listFilters },
  }, async (req) => listConversations(app.db, workspaceOf(req).id, req.auth?.user?.id ?? null, req.query, app.clock.now()));

  r.get('/inbox/conversations/:id', {
    config: { access: 'analyst' },
    schema: { summary: 'A conversation: the whole thread, earlier exchanges with the same people, notes and history', tags: ['inbox'], params: idParams },
  }, async (req) => {
    const found = await getConversation(app.db, workspaceOf(req).id, req.params.id, req.auth?.user?.id ?? null);
    if (!found) throw new HttpError(404, 'not_found', 'no such conversation in this workspace');
    return { ...found, presence: board.people(workspaceOf(req).id, req.params.id) };
  });

  const single = (path: string, kind: 'status' | 'assignment' | 'labels' | 'priority', body: z.ZodTypeAny, summary: string) =>
    r.post(`/inbox/conversations/:id/${path}`, {
      config: { access: 'moderator' },
      schema: { summary, tags: ['inbox'], params: idParams, body },
    }, async (req) => {
      const ws = workspaceOf(req);
      await mustExist(app.db, ws.id, req.params.id);
      const changed = await changeConversations(app.db, ws.id, actorOf(req), [req.params.id], await changeOf(req, req.body, kind), (req.body as any).reason);
      const row = await conversationRow(app.db, ws.id, req.params.id);
      return { changed: changed.length > 0, conversation: conversationOutput(row) };
    });
  single('status', 'status', statusBody, 'Set the status (new, open, waiting, done), optionally snoozed until a time');
  single('assign', 'assignment', assignBody, 'Assign to a person (userId, or me: true) and/or a team; null clears');
  single('labels', 'labels', labelsBody, 'Add and remove labels');
  single('priority', 'priority', z.object({ priority: z.number().int().min(0).max(3) }), 'Set the priority: 0 normal, 1 raised, 2 high, 3 urgent');

  r.post('/inbox/bulk', {
    config: { access: 'moderator' },
    schema: {
      summary: 'One action on many conversations: assign, label, unlabel, close (done) or set a status', tags: ['inbox'],
      body: z.discriminatedUnion('action', [
        z.object({ action: z.literal('assign'), ids: z.array(z.number().int().positive()).min(1).max(500), userId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional(), me: z.boolean().optional() }),
        z.object({ action: z.literal('label'), ids: z.array(z.number().int().positive()).min(1).max(500), labels: z.array(LABEL).min(1).max(20) }),
        z.object({ action: z.literal('unlabel'), ids: z.array(z.number().int().positive()).min(1).max(500), labels: z.array(LABEL).min(1).max(20) }),
        z.object({ action: z.literal('close'), ids: z.array(z.number().int().positive()).min(1).max(500) }),
        z.object({ action: z.literal('status'), ids: z.array(z.number().int().positive()).min(1).max(500), status: z.enum(STATUSES), snoozeUntil: z.iso.datetime({ offset: true }).nullable().optional() }),
      ]),
    },
  }, async (req) => {
    const b = req.body;
    const change = b.action === 'assign' ? await changeOf(req, b, 'assignment')
      : b.action === 'label' ? await changeOf(req, { add: b.labels }, 'labels')
      : b.action === 'unlabel' ? { kind: 'labels' as const, remove: b.labels }
      : b.action === 'close' ? { kind: 'status' as const, to: 'done' as const }
      : await changeOf(req, b, 'status');
    // Ids of other workspaces are simply not found: changeConversations filters by workspace.
    const changed = await changeConversations(app.db, workspaceOf(req).id, actorOf(req), [...new Set(b.ids)], change);
    return { changed };
  });

  r.post('/inbox/conversations/:id/replies', {
    config: { access: 'moderator' },
    schema: {
      summary: 'Reply on the platform: recorded at once as an outbound item (sending) and sent through the outbox', tags: ['inbox'],
      params: idParams,
      body: z.object({ text: z.string().max(200_000), replyTo: z.number().int().positive().optional(), status: z.enum(['waiting', 'done', 'open']).optional() }),
    },
  }, async (req, reply) => {
    const out = await sendReply(app.db, workspaceOf(req).id, actorOf(req), req.params.id, req.body);
    return reply.status(202).send(out);
  });

  r.post('/inbox/replies/:id/retry', {
    config: { access: 'moderator' },
    schema: { summary: 'Send a failed reply again', tags: ['inbox'], params: idParams },
  }, async (req, reply) => reply.status(202).send(await retryReply(app.db, workspaceOf(req).id, actorOf(req), req.params.id)));

  r.post('/inbox/conversations/:id/notes', {
    config: { access: 'trainee' },
    schema: { summary: 'An internal note (never sent to the platform); @name mentions a colleague', tags: ['inbox'], params: idParams, body: z.object({ text: z.string().trim().min(1).max(10_000) }) },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    await mustExist(app.db, ws.id, req.params.id);
    return reply.status(201).send(await addNote(app.db, ws.id, req.params.id, req.auth?.user?.id ?? null, req.body.text));
  });

  r.get('/inbox/mentions', {
    config: { access: 'analyst' },
    schema: { summary: 'Notes that mention me, newest first', tags: ['inbox'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  }, async (req) => {
    const user = req.auth?.user;
    if (!user) throw new HttpError(403, 'forbidden', 'this needs a person logged in, not an API token');
    return { mentions: await mentionsOf(app.db, workspaceOf(req).id, user.id, req.query.limit) };
  });

  r.post('/inbox/conversations/:id/canned/:cannedId', {
    config: { access: 'trainee' },
    schema: { summary: 'A canned response with its variables filled for this conversation', tags: ['inbox'], params: z.object({ id: z.coerce.number().int().positive(), cannedId: z.uuid() }) },
  }, async (req) => {
    const out = await renderCanned(app.db, workspaceOf(req).id, req.params.cannedId, req.params.id, req.auth?.user?.name ?? '');
    if (!out) throw new HttpError(404, 'not_found', 'no such conversation or canned response in this workspace');
    return out;
  });

  r.post('/inbox/conversations/:id/presence', {
    config: { access: 'trainee' },
    schema: { summary: 'I am viewing, typing in, or have left this conversation (renew every few seconds)', tags: ['inbox'], params: idParams, body: z.object({ state: z.enum(['viewing', 'typing', 'left']) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const user = req.auth?.user;
    if (!user) throw new HttpError(403, 'forbidden', 'presence is for people, not API tokens');
    await mustExist(app.db, ws.id, req.params.id);
    board.set(ws.id, req.params.id, req.body.state === 'left' ? { userId: user.id, state: 'left' } : { userId: user.id, name: user.name, state: req.body.state });
    return { people: board.people(ws.id, req.params.id) };
  });

  r.get('/inbox/stream', {
    config: { access: 'analyst' },
    schema: { summary: 'Server-sent events: who views or types in which conversation of this workspace', tags: ['inbox'] },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const userId = req.auth?.user?.id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('snapshot', board.snapshot(ws.id));
    const off = board.subscribe(ws.id, (conversationId, people) => send('presence', { conversationId, people }));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    streams.add(res);
    const stop = () => { streams.delete(res); clearInterval(keepAlive); off(); if (userId) board.leaveAll(ws.id, userId); };
    req.raw.on('close', stop);
  });
};
