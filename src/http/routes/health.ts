import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import { STAGE_QUEUE } from '../../pipeline/stages.js';

export const healthRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  // Live: the process answers. Ready: the database answers and the queue is reachable.
  r.get('/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  r.get('/ready', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await app.db.query('select 1');
      const backlog = await app.queue.pending(STAGE_QUEUE.analyse);
      return { status: 'ready', database: app.db.kind, analyseBacklog: backlog };
    } catch (e: any) {
      return reply.status(503).send({ status: 'not ready', reason: e.message });
    }
  });
};
