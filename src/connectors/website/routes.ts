// The comment widget's public side: /widget.js, and per website connection the page's approved
// comments (GET) and a new comment (POST). Only the connection's own site may call them (CORS
// names that one origin; a POST from any other origin is refused). New comments are rate-limited
// per visitor address, a filled-in honeypot field is thanked and dropped, and under
// pre-moderation a comment is held — in the same transaction that stores it — until approved.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { HttpError } from '../../http/errors.js';
import { parseItem } from '../../core/item.js';
import { ingest } from '../../pipeline/ingest.js';
import { changeModeration } from '../../moderation/state.js';
import { website } from './index.js';
import { en, de } from './messages.js';

const WIDGET = `const MESSAGES = ${JSON.stringify({ en, de })};\n` + readFileSync(new URL('./widget.js', import.meta.url), 'utf8');

/** At most this many comments per visitor address and site in the window. */
export const RATE_LIMIT = { comments: 5, windowMs: 10 * 60_000 };
const MAX_SHOWN = 500;

interface Site { id: string; workspaceId: string; origin: string; postModeration: boolean }

export const widgetRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  const recent = new Map<string, number[]>();

  async function siteOf(id: string): Promise<Site> {
    const [row] = await app.db.query<{ id: string; workspace_id: string; settings: unknown; status: string }>(
      `select id, workspace_id, settings, status from connections where id = $1 and platform = 'website'`, [id]);
    const s = row && website.settings.safeParse(row.settings);
    if (!row || !s?.success) throw new HttpError(404, 'not_found', 'no such comment widget');
    if (row.status !== 'active') throw new HttpError(503, 'paused', 'comments on this site are paused');
    return { id: row.id, workspaceId: row.workspace_id, origin: s.data.origin, postModeration: s.data.postModeration };
  }

  /** CORS for the site's own origin only; other origins get no permission header. */
  function allowSite(req: FastifyRequest, reply: FastifyReply, site: Site) {
    reply.header('vary', 'origin');
    if (req.headers.origin === site.origin) {
      reply.header('access-control-allow-origin', site.origin);
      reply.header('access-control-allow-methods', 'GET, POST');
      reply.header('access-control-allow-headers', 'content-type');
      reply.header('access-control-max-age', '600');
    }
  }

  /** The page's address as the thread: the site's origin and the path, no query or fragment. */
  function threadOf(site: Site, page: string): string {
    const u = new URL(page);
    if (u.origin !== site.origin) throw new HttpError(400, 'invalid_input', `page: not an address on ${site.origin}`);
    return u.origin + u.pathname;
  }

  r.get('/widget.js', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('cross-origin-resource-policy', 'cross-origin').send(WIDGET));

  const params = z.object({ id: z.uuid() });
  const page = z.url({ protocol: /^https?$/ }).max(2048);

  r.options('/api/v1/widget/:id/comments', { config: { access: 'public' }, schema: { hide: true, params } }, async (req, reply) => {
    allowSite(req, reply, await siteOf(req.params.id));
    return reply.status(204).send();
  });

  r.get('/api/v1/widget/:id/comments', {
    config: { access: 'public' },
    schema: { summary: 'The approved comments on one page of the site (for the widget)', tags: ['website'], params, querystring: z.object({ page }) },
  }, async (req, reply) => {
    const site = await siteOf(req.params.id);
    allowSite(req, reply, site);
    const rows = await app.db.query<{ id: string; name: string | null; text: string; created_at: Date }>(
      `select platform_id as id, author_name as name, text, created_at from items
       where connection_id = $1 and thread_id = $2 and moderation = 'visible' order by created_at, id limit $3`,
      [site.id, threadOf(site, req.query.page), MAX_SHOWN]);
    return { comments: rows.map((c) => ({ id: c.id, name: c.name ?? '', text: c.text, createdAt: new Date(c.created_at).toISOString() })) };
  });

  r.post('/api/v1/widget/:id/comments', {
    config: { access: 'public' },
    schema: {
      summary: 'A visitor\'s new comment (from the widget); held for approval under pre-moderation', tags: ['website'], params,
      body: z.object({
        page,
        name: z.string().trim().min(1, 'is empty').max(100),
        text: z.string().trim().min(1, 'is empty').max(5000),
        /** The honeypot: people leave it empty. */
        website: z.string().max(2000).optional(),
      }),
    },
  }, async (req, reply) => {
    const site = await siteOf(req.params.id);
    allowSite(req, reply, site);
    if (req.headers.origin !== site.origin) throw new HttpError(403, 'forbidden', `comments are taken from ${site.origin} only`);
    const thread = threadOf(site, req.body.page);
    // A bot that filled the hidden field is told it worked, so it does not learn to avoid it.
    if (req.body.website) return reply.status(202).send({ shown: false });

    const key = `${site.id}\u0000${req.ip}`;
    const now = Date.now();
    const times = (recent.get(key) ?? []).filter((t) => now - t < RATE_LIMIT.windowMs);
    if (times.length >= RATE_LIMIT.comments) {
      reply.header('retry-after', String(Math.ceil((times[0] + RATE_LIMIT.windowMs - now) / 1000)));
      throw new HttpError(429, 'too_many', `at most ${RATE_LIMIT.comments} comments in ${RATE_LIMIT.windowMs / 60_000} minutes`);
    }
    recent.set(key, [...times, now]);
    // Visitors who stopped writing are forgotten, so the map does not grow with every address seen.
    if (recent.size > 10_000) for (const [k, ts] of recent) if (now - ts[ts.length - 1] >= RATE_LIMIT.windowMs) recent.delete(k);

    const id = randomUUID();
    const parsed = parseItem({
      platform: 'website', platformId: id, kind: 'comment', threadId: thread,
      author: { displayName: req.body.name, handle: req.body.name },
      text: req.body.text, createdAt: new Date(now).toISOString(), permalink: `${thread}#comment-${id}`,
      raw: { page: req.body.page, name: req.body.name, text: req.body.text },
    }, 1);
    if (!parsed.ok) throw new HttpError(400, 'invalid_input', parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    await app.db.transaction(async (tx) => {
      const stored = await ingest(tx, app.queue, { workspaceId: site.workspaceId, connectionId: site.id }, [parsed.item]);
      if (!site.postModeration) {
        await changeModeration(tx, site.workspaceId, { kind: 'rule', name: 'Vormoderation (Website)' },
          stored.itemIds.map((itemId) => ({ itemId, to: 'held' as const, reason: 'pre-moderation: website comments wait for approval' })), 'website');
      }
      await tx.query(`update connections set last_item_at = now() where id = $1`, [site.id]);
    });
    return reply.status(202).send({ shown: site.postModeration });
  });
};
