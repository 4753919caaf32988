// The bridge between Fastify and fedify's fetch-style handler: the ActivityPub paths (actors,
// inboxes, followers) and WebFinger go to the federation as a web Request, with the body's exact
// bytes (HTTP signatures cover its digest); its Response goes back unchanged.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { createFediverse } from './federation.js';

const ACTIVITY_TYPES = ['application/activity+json', 'application/ld+json'];

function toRequest(req: FastifyRequest): Request {
  const url = new URL(req.url, `${req.protocol}://${req.host}`);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of [v].flat()) headers.append(k, one);
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : undefined));
  return new Request(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
}

export const fediverseRoutes = (app: App): FastifyPluginAsync => async (r) => {
  const federation = createFediverse({ db: app.db, queue: app.queue, secrets: app.secrets, log: (m) => r.log.warn(m) });
  // ActivityPub bodies as bytes, in this plugin only; the signature check reads them.
  r.addContentTypeParser(ACTIVITY_TYPES, { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });

  const handler = async (req: FastifyRequest, reply: any) => {
    const res = await federation.fetch(toRequest(req), {
      contextData: undefined,
      onNotFound: () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } }),
      onNotAcceptable: () => new Response('this address answers ActivityPub (application/activity+json) only', { status: 406, headers: { 'content-type': 'text/plain' } }),
    });
    reply.status(res.status);
    res.headers.forEach((v, k) => reply.header(k, v));
    return reply.send(Buffer.from(await res.arrayBuffer()));
  };
  for (const url of ['/.well-known/webfinger', '/ap/*']) {
    r.route({ method: ['GET', 'POST'], url, config: { access: 'public' }, handler });
  }
};
