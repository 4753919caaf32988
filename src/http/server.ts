// The HTTP server: the API under /api/v1 (schema-validated, OpenAPI at /api/docs), health and
// readiness, and the web app from web/dist.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { registerAuth } from './auth.js';
import { HttpError, errorBody } from './errors.js';
import { decodeUtf8, parseJson, parseNdjson } from './body.js';
import { healthRoutes } from './routes/health.js';
import { accountRoutes } from './routes/accounts.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { itemRoutes } from './routes/items.js';
import { webhookRoutes } from './routes/webhooks.js';
import { moderationRoutes } from '../moderation/routes.js';
import { inboxRoutes } from '../inbox/routes.js';
import { inboxSetupRoutes } from '../inbox/setup-routes.js';
import { slaRoutes } from '../sla/routes.js';
import { inboxSettingsRoutes } from '../inboxSettings/routes.js';
import { connectorRoutes } from '../connectors/routes.js';
import { peopleRoutes } from '../people/routes.js';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

declare module 'fastify' {
  interface FastifyRequest { rawBody?: Buffer }
}

export type Server = FastifyInstance;

export async function buildServer(app: App, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: opts.logger ?? { level: app.config.logLevel },
    bodyLimit: 32 * 1024 * 1024,
    trustProxy: process.env.ALLMENDE_TRUST_PROXY === '1',
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  // Raw bytes first: webhooks sign them, and UTF-8 must be checked before anything decodes it.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser(['application/json', 'application/x-ndjson'], { parseAs: 'buffer' }, (req, body, done) => {
    try {
      const buf = body as Buffer;
      req.rawBody = buf;
      if (buf.length === 0) return done(null, undefined);
      const text = decodeUtf8(buf);
      done(null, (req.headers['content-type'] ?? '').startsWith('application/x-ndjson') ? parseNdjson(text) : parseJson(text));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  server.setErrorHandler((err: any, req, reply) => {
    if (err instanceof HttpError) return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    if (hasZodFastifySchemaValidationErrors(err)) {
      // code and its limits let the web app say it in the user's language; message stays for API users.
      const fields = err.validation.map((v: any) => ({
        field: String(v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '(body)',
        code: v.keyword, message: v.message,
        ...Object.fromEntries(['minimum', 'maximum', 'expected', 'format', 'origin', 'values'].filter((k) => v.params?.[k] !== undefined).map((k) => [k, v.params[k]])),
      }));
      return reply.status(400).send(errorBody('invalid_input', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields }));
    }
    if (err.statusCode && err.statusCode < 500) return reply.status(err.statusCode).send(errorBody(err.code ?? 'bad_request', err.message));
    req.log.error(err);
    return reply.status(500).send(errorBody('internal', 'something went wrong on our side; it is logged'));
  });
  server.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !existsSync(WEB_DIST + 'index.html')) return reply.status(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
    // The web app routes in the browser: unknown paths get its page.
    return reply.type('text/html').sendFile('index.html');
  });

  // Defence in depth for the web app: even if hostile text reached the page as markup, the
  // browser would run no inline script and load nothing from elsewhere.
  server.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!req.url.startsWith('/api/docs')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }
    return payload;
  });

  await server.register(cookie);
  await server.register(swagger, {
    openapi: {
      info: { title: 'Allmende API', version: '1', description: 'Community management: items, accounts, workspaces, webhooks.' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'allmende_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  // The docs pages above are registered before the access check, and are public.
  registerAuth(server, app.db);

  await server.register(healthRoutes(app));
  await server.register(accountRoutes(app), { prefix: '/api/v1' });
  await server.register(workspaceRoutes(app), { prefix: '/api/v1' });
  await server.register(itemRoutes(app), { prefix: '/api/v1' });
  await server.register(webhookRoutes(app), { prefix: '/api/v1' });
  await server.register(moderationRoutes(app), { prefix: '/api/v1' });
  await server.register(inboxRoutes(app), { prefix: '/api/v1' });
  await server.register(inboxSetupRoutes(app), { prefix: '/api/v1' });
  await server.register(slaRoutes(app), { prefix: '/api/v1' });
  await server.register(inboxSettingsRoutes(app), { prefix: '/api/v1' });
  await server.register(connectorRoutes(app), { prefix: '/api/v1' });
  await server.register(peopleRoutes(app), { prefix: '/api/v1' });

  if (existsSync(WEB_DIST)) await server.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
  return server;
}
