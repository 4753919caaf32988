// The commons API: the community figures of a period and the interaction graph for the view.
// Reading only; nothing here changes state.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { PLATFORMS } from '../core/platforms.js';
import { analyse, type Analysis } from './analysis.js';
import { Kept } from './kept.js';
import type { Period } from './interactions.js';

const DAY = 86_400_000;
const MAX_DAYS = 400;
/** The view stays fluid up to this size (sigma.js, WebGL); larger graphs show the busiest part. */
export const VIEW_MAX_NODES = 20_000;
export const VIEW_MAX_EDGES = 200_000;
/**
 * The page asks for figures and graph of the same period at once, and is visited again soon; at a
 * million items an analysis takes tens of seconds. Kept per workspace, period and platforms for
 * ten minutes (the page says how old the figures are); each can hold a large graph, so few.
 */
const KEEP_MS = 10 * 60_000;
const KEEP_AT_MOST = 4;

const periodQuery = z.object({
  from: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
  platforms: z.string().optional().refine((s) => !s || s.split(',').every((x) => (PLATFORMS as readonly string[]).includes(x)), { message: `a comma-separated list of platforms (${PLATFORMS.join(', ')})` }),
}).refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });

export const commonsRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  const kept = new Kept<Analysis>(KEEP_MS, KEEP_AT_MOST);

  /** The analysis and when it was computed. */
  async function analysisOf(workspaceId: string, q: z.infer<typeof periodQuery>): Promise<{ analysis: Analysis; computedAt: string }> {
    const to = q.to ? new Date(q.to) : app.clock.now();
    const from = q.from ? new Date(q.from) : new Date(+to - 90 * DAY);
    if (+to - +from > MAX_DAYS * DAY) throw new HttpError(400, 'invalid_input', `from: the period may be at most ${MAX_DAYS} days long`, { fields: [{ field: 'from', message: `period longer than ${MAX_DAYS} days` }] });
    const p: Period = { workspaceId, from, to, platforms: q.platforms ? [...new Set(q.platforms.split(','))].sort() : undefined };
    const entry = kept.get(JSON.stringify([workspaceId, +from, +to, p.platforms]), () => analyse(app.db, p));
    return { analysis: await entry.value, computedAt: entry.at.toISOString() };
  }

  r.get('/commons/figures', {
    config: { access: 'analyst' },
    schema: {
      summary: 'Community figures of a period (default: the last 90 days): commons ratio and its weekly trend, connectors, clusters with their terms, newcomer activation, retention by monthly cohort',
      tags: ['commons'], querystring: periodQuery,
    },
  }, async (req) => {
    const { analysis, computedAt } = await analysisOf(workspaceOf(req).id, req.query);
    return { ...analysis.figures, computedAt };
  });

  r.get('/commons/graph', {
    config: { access: 'analyst' },
    schema: {
      summary: `The interaction graph of a period over persons (the team is one node), at most ${VIEW_MAX_NODES} persons and ${VIEW_MAX_EDGES} edges, busiest first`,
      tags: ['commons'],
      querystring: periodQuery.and(z.object({
        maxNodes: z.coerce.number().int().min(1).max(VIEW_MAX_NODES).default(VIEW_MAX_NODES),
        maxEdges: z.coerce.number().int().min(1).max(VIEW_MAX_EDGES).default(VIEW_MAX_EDGES),
      })),
    },
  }, async (req) => {
    const { analysis, computedAt } = await analysisOf(workspaceOf(req).id, req.query);
    return { ...await analysis.graph(req.query.maxNodes, req.query.maxEdges), computedAt };
  });
};
