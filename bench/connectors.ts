// Connectors bench: items/s and lag (platform time to stored time) through the real connectors
// and the app's own poller, against real local peers.
//
//   node --import tsx bench/connectors.ts [--bluesky 10000] [--imap 5000] [--live 200] [--db pglite|postgres]
//                                         [--only bluesky|imap] [--timeout 900] [--db-prefix allmende_bench]
//
// Bluesky: a local AT Protocol network from @atproto/dev-env (PLC, PDS, AppView, Ozone in this
//   process, on the local PostgreSQL server). 20 member accounts reply to the brand's post until
//   the brand has --bluesky notifications; then the connection is made due and the time until
//   every reply is stored is measured (backlog items/s). Then --live replies are written at about
//   5/s (below what the local PDS writes here) while the connection is read every second;
//   lag = stored time − the post's createdAt.
// IMAP: real Postfix + Dovecot on 127.0.0.1 (as the tests start them). --imap mails are sent
//   through SMTP and delivered by LMTP; then the mailbox is read (500 per poll, the next poll at
//   once while more wait): backlog items/s. Then --live mails at about 20/s, woken by IMAP IDLE;
//   lag = stored time − the mail's Date header (whole seconds, so ±1 s).
// Times exclude generating the backlog (printed on its own). Allmende's database: a new PGlite
// folder, or with --db postgres a new database on the local server. Bounded by --timeout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openApp, type App } from '../src/app.js';
import { createWorkspace } from '../src/auth/accounts.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt; };
const BSKY = Number(arg('bluesky', '10000'));
const IMAP = Number(arg('imap', '5000'));
const LIVE = Number(arg('live', '200'));
const DB = arg('db', 'pglite') as 'pglite' | 'postgres';
const ONLY = arg('only', '');
/** Databases made on the server start with this (a shared server: say whose they are). */
const DB_PREFIX = arg('db-prefix', 'allmende_bench');
const SERVER = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const deadline = setTimeout(() => { console.error(`stopped: over --timeout ${arg('timeout', '900')} s`); process.exit(2); }, Number(arg('timeout', '900')) * 1000);
deadline.unref();

type Cleanup = () => Promise<unknown> | unknown;
// Closed in this order: Allmende first, then the peers it talks to, then their databases and folders.
const apps: Cleanup[] = [];
const peers: Cleanup[] = [];
const removals: Cleanup[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN; };
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
let peakRss = 0;
setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100).unref();

async function createDb(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  removals.push(async () => { const d = new pg.Client({ connectionString: SERVER }); await d.connect(); await d.query(`drop database if exists ${name} with (force)`); await d.end(); });
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

async function startAllmende(): Promise<{ app: App; workspaceId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'allmende-bench-conn-'));
  removals.push(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = { ALLMENDE_DATA: dir, LOG_LEVEL: 'warn' };
  if (DB === 'postgres') env.DATABASE_URL = await createDb(DB_PREFIX);
  const app = await openApp(loadConfig(env), { workers: true });
  apps.push(() => app.close());
  const ws = await createWorkspace(app.db, { name: 'Bench', slug: `bench-${randomBytes(3).toString('hex')}` });
  return { app, workspaceId: ws.id };
}

async function addConnection(app: App, workspaceId: string, platform: string, settings: unknown, credentials: unknown): Promise<string> {
  // Paused while the backlog is generated (no poll, no IDLE watcher); `start` makes it read.
  const [row] = await app.db.query<{ id: string }>(
    `insert into connections (workspace_id, platform, name, settings, credentials_encrypted, status) values ($1, $2, $3, $4, $5, 'paused') returning id`,
    [workspaceId, platform, `bench ${platform}`, JSON.stringify(settings), app.secrets.seal(JSON.stringify(credentials))]);
  return row.id;
}

const start = (app: App, id: string) => app.db.query(`update connections set status = 'active', next_poll_at = now() where id = $1`, [id]);
const countItems = async (app: App, id: string) => (await app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [id]))[0].n;

async function waitForCount(app: App, id: string, n: number, label: string, pollEveryMs = 0): Promise<number> {
  const t0 = Date.now();
  let last = -1;
  for (;;) {
    if (pollEveryMs) await app.db.query('update connections set next_poll_at = now() where id = $1', [id]);
    const c = await countItems(app, id);
    if (c !== last) { process.stderr.write(`\r  ${label}: ${fmt(c)} / ${fmt(n)} stored   `); last = c; }
    if (c >= n) { process.stderr.write('\n'); return Date.now() - t0; }
    await sleep(pollEveryMs || 100);
  }
}

async function lagOf(app: App, id: string, since: string): Promise<number[]> {
  const rows = await app.db.query<{ ms: number }>(
    `select extract(epoch from (received_at - created_at)) * 1000 as ms from items where connection_id = $1 and created_at >= $2`, [id, since]);
  return rows.map((r) => Number(r.ms));
}

function report(name: string, backlog: number, genMs: number, readMs: number, lags: number[]) {
  console.log(`\n${name}`);
  console.log(`  backlog: ${fmt(backlog)} items generated in ${(genMs / 1000).toFixed(1)} s; read and stored in ${(readMs / 1000).toFixed(1)} s = ${fmt(backlog / (readMs / 1000))} items/s`);
  console.log(`  live: ${lags.length} items, lag p50 ${fmt(pct(lags, 50))} ms, p95 ${fmt(pct(lags, 95))} ms, p99 ${fmt(pct(lags, 99))} ms, max ${fmt(Math.max(...lags))} ms`);
}

/** Runs fn over 0..n-1 with at most `width` at a time. */
async function pool(n: number, width: number, fn: (i: number) => Promise<unknown>, label: string) {
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
      if (++done % 200 === 0 || done === n) process.stderr.write(`\r  ${label}: ${fmt(done)} / ${fmt(n)}   `);
    }
  }));
  process.stderr.write('\n');
}

async function benchBluesky() {
  const { TestNetwork } = await import('@atproto/dev-env');
  const { AtpAgent } = await import('@atproto/api');
  process.env.REDIS_HOST ??= '127.0.0.1';
  const net = await TestNetwork.create({ dbPostgresUrl: await createDb(`${DB_PREFIX}_atp`), dbPostgresSchema: 'atp' });
  peers.push(() => net.close());
  const account = async (handle: string) => {
    const a = new AtpAgent({ service: net.pds.url });
    await a.createAccount({ email: `${handle.split('.')[0]}@example.org`, handle, password: 'bench-password' });
    return a;
  };
  const brand = await account('stadtwerke.test');
  const members = await Promise.all(Array.from({ length: 20 }, (_, i) => account(`leserin${i}.test`)));
  const post = await brand.post({ text: 'Neuer Fahrplan ab Montag. Fragen?' });
  const root = { uri: post.uri, cid: post.cid };
  const appPassword = (await brand.com.atproto.server.createAppPassword({ name: 'bench' })).data.password;
  const { app, workspaceId } = await startAllmende();
  const id = await addConnection(app, workspaceId, 'bluesky', { service: net.pds.url, identifier: 'stadtwerke.test', backfill: 10_000 }, { appPassword });

  const g0 = Date.now();
  await pool(BSKY, 8, (i) => members[i % members.length].post({ text: `Frage ${i}: Fährt die Linie ${i % 12} auch sonntags?`, reply: { root, parent: root }, langs: ['de'] }), 'replies written');
  await net.processAll();
  const genMs = Date.now() - g0;

  // The first poll reads back at most `backfill` notifications; then everything since.
  await start(app, id);
  const readMs = await waitForCount(app, id, BSKY, 'bluesky backlog');

  const since = new Date().toISOString();
  // 5 per second: the local PDS writes about 20 per second here, and a queue in front of it would be measured as lag.
  for (let i = 0; i < LIVE; i++) { void members[i % members.length].post({ text: `Live ${i}`, reply: { root, parent: root } }); await sleep(200); }
  await waitForCount(app, id, BSKY + LIVE, 'bluesky live', 1000);
  report(`Bluesky (dev-env network; Allmende on ${DB})`, BSKY, genMs, readMs, await lagOf(app, id, since));
}

async function benchImap() {
  const { startMailServers, mailServersMissing } = await import('../test/db/connectors-mailserver.js');
  const nodemailer = (await import('nodemailer')).default;
  const { ImapFlow } = await import('imapflow');
  const missing = mailServersMissing();
  if (missing) { console.log(`\nIMAP skipped: ${missing}`); return; }
  const mail = await startMailServers();
  peers.push(() => mail.stop());
  mail.addUser('support@allmende.test', 'bench-pw');
  const { app, workspaceId } = await startAllmende();
  const id = await addConnection(app, workspaceId, 'email', {
    address: 'support@allmende.test', user: 'support@allmende.test', imapHost: '127.0.0.1', imapPort: mail.imapPort, imapTls: false,
    smtpHost: '127.0.0.1', smtpPort: mail.smtpPort, smtpTls: false,
  }, { password: 'bench-pw' });

  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: mail.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  const send = (i: number) => smtp.sendMail({ from: `kunde${i % 50}@example.org`, to: 'support@allmende.test', subject: `Frage ${i}`, text: `Hallo, mein Zählerstand ist ${4711 + i}.`, messageId: `<bench-${i}@example.org>`, date: new Date() });
  const g0 = Date.now();
  await pool(IMAP, 8, send, 'mails sent');
  const box = new ImapFlow({ host: '127.0.0.1', port: mail.imapPort, secure: false, auth: { user: 'support@allmende.test', pass: 'bench-pw' }, logger: false });
  await box.connect();
  for (;;) { const s = await box.status('INBOX', { messages: true }); if (s && (s.messages ?? 0) >= IMAP) break; await sleep(200); }
  await box.logout();
  const genMs = Date.now() - g0;

  await start(app, id);
  const readMs = await waitForCount(app, id, IMAP, 'imap backlog');

  await sleep(6000); // the IDLE watcher is connected by now
  const since = new Date(Date.now() - 1000).toISOString();
  for (let i = 0; i < LIVE; i++) { void send(IMAP + i); await sleep(50); }
  await waitForCount(app, id, IMAP + LIVE, 'imap live');
  smtp.close();
  report(`IMAP (Postfix + Dovecot on 127.0.0.1; Allmende on ${DB})`, IMAP, genMs, readMs, await lagOf(app, id, since));
}

try {
  console.log(`connectors bench: bluesky ${ONLY && ONLY !== 'bluesky' ? '-' : BSKY}, imap ${ONLY && ONLY !== 'imap' ? '-' : IMAP}, live ${LIVE} each, database ${DB}, node ${process.version}`);
  if (!ONLY || ONLY === 'bluesky') await benchBluesky();
  if (!ONLY || ONLY === 'imap') await benchImap();
  console.log(`\npeak RSS ${fmt(peakRss / 1024 / 1024)} MB (this process, peers included where they run in it)`);
} finally {
  for (const c of [...apps, ...peers, ...removals]) await Promise.resolve().then(c).catch((e) => console.error(`cleanup: ${e.message}`));
  clearTimeout(deadline);
  process.exit(0);
}
