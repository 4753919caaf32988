// Fediverse inbox bench: signed deliveries per second into Allmende's ActivityPub inbox and the
// time each takes (sender's POST to the stored item), from a second fedify server in this process.
//
//   node --import tsx bench/fediverse.ts [--notes 2000] [--concurrency 8] [--db pglite|postgres] [--timeout 600]
//
// Each delivery is a Create(Note) mentioning the brand, signed by one of 10 remote accounts:
// HTTP signature checked (the sender's key fetched once, then cached), Note mapped and stored
// through ingest, one item per delivery as remote servers send them. Everything on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { Create, MemoryKvStore, Mention, Note, Person, createFederation, generateCryptoKeyPair } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app.js';
import { buildServer } from '../src/http/server.js';
import { createWorkspace } from '../src/auth/accounts.js';

process.env.ALLMENDE_FEDIVERSE_ALLOW_PRIVATE = '1';
const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt; };
const NOTES = Number(arg('notes', '2000'));
const WIDTH = Number(arg('concurrency', '8'));
const SENDERS = 10;
const DB = arg('db', 'pglite');
const SERVER = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const deadline = setTimeout(() => { console.error(`stopped: over --timeout ${arg('timeout', '600')} s`); process.exit(2); }, Number(arg('timeout', '600')) * 1000);
deadline.unref();
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
let peakRss = 0;
setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100).unref();

const cleanups: (() => Promise<unknown> | unknown)[] = [];
try {
  const dir = mkdtempSync(join(tmpdir(), 'allmende-bench-fedi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = { ALLMENDE_DATA: dir, LOG_LEVEL: 'warn' };
  if (DB === 'postgres') {
    const name = `fediverse_bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: SERVER }); await c.connect(); await c.query(`create database ${name}`); await c.end();
    cleanups.unshift(async () => { const d = new pg.Client({ connectionString: SERVER }); await d.connect(); await d.query(`drop database if exists ${name} with (force)`); await d.end(); });
    const u = new URL(SERVER); u.pathname = `/${name}`; env.DATABASE_URL = u.toString();
  }
  const app = await openApp(loadConfig(env), { workers: true });
  const server = await buildServer(app, { logger: false });
  cleanups.unshift(async () => { await server.close(); await app.close(); });
  const origin = (await server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  const ws = await createWorkspace(app.db, { name: 'Bench', slug: `bench-${randomBytes(3).toString('hex')}` });
  const { fediverse } = await import('../src/connectors/fediverse/index.js');
  const settings = fediverse.settings.parse({ username: 'stadtwerke', origin });
  await app.db.query(`insert into connections (workspace_id, platform, name, settings, credentials_encrypted) values ($1, 'fediverse', 'bench', $2, $3)`,
    [ws.id, JSON.stringify(settings), app.secrets.seal(JSON.stringify(fediverse.credentials.parse({})))]);

  // The second server: SENDERS accounts with their own keys.
  const keys = await Promise.all(Array.from({ length: SENDERS }, () => generateCryptoKeyPair('RSASSA-PKCS1-v1_5')));
  const remoteFed = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  remoteFed.setActorDispatcher('/users/{identifier}', async (ctx, id) => new Person({
    id: ctx.getActorUri(id), preferredUsername: id, inbox: ctx.getInboxUri(id), publicKey: (await ctx.getActorKeyPairs(id))[0].cryptographicKey,
  })).setKeyPairsDispatcher(async (_ctx, id) => [keys[Number(id.slice(1)) % keys.length]]);
  remoteFed.setInboxListeners('/users/{identifier}/inbox');
  const remote = createServer(async (req, res) => {
    const response = await remoteFed.fetch(new Request(new URL(req.url!, remoteOrigin), { method: req.method, headers: req.headers as Record<string, string> }), { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries([...(response.headers as any).entries()]));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
  const remoteOrigin = `http://127.0.0.1:${(remote.address() as any).port}`;
  cleanups.push(() => { remote.closeAllConnections(); return new Promise((r) => remote.close(r)); });

  const ctx = remoteFed.createContext(new URL(remoteOrigin), undefined);
  const us = await ctx.lookupObject(`${origin}/ap/actors/stadtwerke`) as Person;
  console.log(`fediverse inbox bench: ${NOTES} signed deliveries, ${WIDTH} at a time, ${SENDERS} senders, database ${DB}, node ${process.version}`);
  const times: number[] = [];
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: WIDTH }, async () => {
    while (next < NOTES) {
      const i = next++;
      const who = `u${i % SENDERS}`;
      const actor = ctx.getActorUri(who);
      const note = new Note({
        id: new URL(`/notes/${i}`, remoteOrigin), attribution: actor, to: us.id, contexts: [new URL(`/contexts/${i % 100}`, remoteOrigin)],
        content: `<p>@stadtwerke Frage ${i}: Fährt die Linie ${i % 12} auch sonntags?</p>`, tags: [new Mention({ href: us.id, name: '@stadtwerke' })],
        published: Temporal.Now.instant(),
      });
      const s = performance.now();
      await ctx.sendActivity({ identifier: who }, us, new Create({ id: new URL(`/notes/${i}/activity`, remoteOrigin), actor, object: note, to: us.id }));
      times.push(performance.now() - s);
      if ((i + 1) % 200 === 0) process.stderr.write(`\r  delivered ${i + 1} / ${NOTES}   `);
    }
  }));
  const wall = (Date.now() - t0) / 1000;
  process.stderr.write('\n');
  const [{ n }] = await app.db.query<{ n: number }>(`select count(*)::int as n from items where platform = 'fediverse'`);
  console.log(`  ${n} items stored of ${NOTES} deliveries in ${fmt(wall)} s = ${fmt(NOTES / wall)} deliveries/s`);
  console.log(`  per delivery (sign, POST, verify, store): p50 ${fmt(pct(times, 50))} ms, p95 ${fmt(pct(times, 95))} ms, p99 ${fmt(pct(times, 99))} ms, max ${fmt(Math.max(...times))} ms`);
  console.log(`  peak RSS ${fmt(peakRss / 1024 / 1024)} MB (Allmende and the sending server in one process)`);
  if (n !== NOTES) process.exitCode = 1;
} finally {
  for (const c of cleanups) await Promise.resolve().then(c).catch((e) => console.error(`cleanup: ${e.message}`));
  clearTimeout(deadline);
}
