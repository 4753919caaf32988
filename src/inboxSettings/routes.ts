// Inbox settings that had no API yet: whether a team member is available for automatic
// assignment (someone on holiday is skipped by round robin and load balancing).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';

export const inboxSettingsRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.put('/inbox/teams/:id/members/:userId/availability', {
    config: { access: 'manager' },
    schema: {
      summary: 'Mark a team member available or not for automatic assignment', tags: ['inbox'],
      params: z.object({ id: z.uuid(), userId: z.uuid() }), body: z.object({ available: z.boolean() }),
    },
  }, async (req) => {
    const rows = await app.db.query(
      `update team_members set available = $4 where workspace_id = $1 and team_id = $2 and user_id = $3 returning user_id`,
      [workspaceOf(req).id, req.params.id, req.params.userId, req.body.available]);
    if (!rows.length) throw new HttpError(404, 'not_found', 'no such member in this team');
    return { ok: true };
  });
};
