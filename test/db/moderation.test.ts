// End to end: a hateful comment arrives, a rule hides it on the platform through the connector,
// the audit log says why, a moderator reverses it, the platform undoes it, and the next training
// includes the correction. The "platform" is a local HTTP server acting on its own comments.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import { startTestApp, setupOwner, addMember, as, drain, item, type TestEnv, type Session, waitFor, deliverSigned } from '../helpers.js';
import { verifySignature } from '../../src/connectors/signature.js';
import { trainingExamples } from '../../src/moderation/learning.js';
import { forgetRules } from '../../src/moderation/rulesets.js';

let t: TestEnv;
let owner: Session;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
let forum: HttpServer;
const received: { action: string; platformId: string; signed: boolean }[] = [];
let failNext = 0;

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  forum = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) { failNext--; res.writeHead(503).end('busy'); return; }
      const body = Buffer.concat(chunks);
      const check = verifySignature({ secret: hook.webhookSecret, body, signature: req.headers['x-allmende-signature'] as string, timestamp: req.headers['x-allmende-timestamp'] as string });
      const data = JSON.parse(body.toString());
      received.push({ action: data.action, platformId: data.platformId, signed: check.ok });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => forum.listen(0, '127.0.0.1', r));
  const port = (forum.address() as any).port;
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/connections', headers: as(owner), payload: { platform: 'forum', name: 'Stadtforum', actionsUrl: `http://127.0.0.1:${port}/allmende-actions` } });
  hook = res.json();
});
afterAll(async () => { await t?.close(); forum?.close(); });

const deliver = (rows: unknown[]) => deliverSigned(t.server, hook, rows);

const RULES = `rule "Drohungen verbergen"
  when words.threat >= 1
  then hide
  reason "Drohung gegen eine Person"
`;

describe('moderation end to end', () => {
  let moderator: Session;
  let hateful: number;
  beforeAll(async () => {
    moderator = await addMember(t.server, owner, 'mod@example.org', 'moderator');
  });

  it('refuses rules with errors, naming line and column', async () => {
    const res = await t.server.inject({ method: 'PUT', url: '/api/v1/moderation/rules', headers: as(owner), payload: { source: 'rule "x"\n  when wrods.threat >= 1\n  then hide\n  reason "r"\n' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.errors[0]).toMatchObject({ line: 2 });
  });

  it('tests rules against history before they go live', async () => {
    await deliver([item(1, { text: 'Ich bring dich um, du Idiot.' }), item(2, { text: 'Danke für die schnelle Antwort!' })]);
    await drain(t.app);
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/moderation/rules/test', headers: as(moderator), payload: { source: RULES, days: 30 } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.tested).toBe(2);
    expect(body.perRule).toEqual({ 'Drohungen verbergen': 1 });
    expect(body.matched.map((m: any) => m.text)).toEqual(['Ich bring dich um, du Idiot.']);
  });

  it('hides a hateful comment on the platform, with the reason in the audit log', async () => {
    expect((await t.server.inject({ method: 'PUT', url: '/api/v1/moderation/rules', headers: as(owner), payload: { source: RULES } })).statusCode).toBe(200);
    failNext = 1; // the platform is busy once: the outbox retries
    const res = await deliver([item(3, { text: 'Wir wissen wo du wohnst. Ich bring dich um.' })]);
    expect(res.statusCode).toBe(200);
    await drain(t.app);
    const [row] = await t.app.db.query<any>(`select id, moderation from items where platform_id = 'status-3'`);
    hateful = row.id;
    expect(row.moderation).toBe('hidden');
    await waitFor('the expected state', async () => received.find((r) => r.action === 'hide' && r.platformId === 'status-3'), 30_000);
    expect(received.every((r) => r.signed)).toBe(true);
    // The platform got the request; Allmende records its answer a moment later.
    const action = await waitFor('the expected state', async () => (await t.app.db.query<any>(`select state, attempts from actions where item_id = $1 and type = 'hide' and state <> 'running'`, [hateful]))[0]);
    expect(action).toEqual({ state: 'done', attempts: 2 });

    const audit = (await t.server.inject({ url: '/api/v1/moderation/audit', headers: as(moderator) })).json().events;
    expect(audit[0]).toMatchObject({ itemId: hateful, actorKind: 'rule', actor: 'Drohungen verbergen', before: 'visible', after: 'hidden', reason: 'Drohung gegen eine Person' });
  });

  it('lets a moderator reverse it: the platform unhides, the log keeps both, the model learns the correction', async () => {
    const trainee = await addMember(t.server, owner, 'azubi@example.org', 'trainee');
    // A trainee's restore waits for a mentor (training, issue 8): nothing changes yet.
    const drafted = await t.server.inject({ method: 'POST', url: `/api/v1/moderation/items/${hateful}/decision`, headers: as(trainee), payload: { decision: 'restore' } });
    expect(drafted.json()).toMatchObject({ changed: false, moderation: 'hidden', platformAction: null, draft: { state: 'pending' } });

    const res = await t.server.inject({ method: 'POST', url: `/api/v1/moderation/items/${hateful}/decision`, headers: as(moderator), payload: { decision: 'restore', reason: 'Zitat aus einem Film, keine echte Drohung' } });
    expect(res.json()).toMatchObject({ changed: true, moderation: 'visible', platformAction: { type: 'unhide' } });
    await waitFor('the expected state', async () => received.find((r) => r.action === 'unhide' && r.platformId === 'status-3'));

    const audit = (await t.server.inject({ url: '/api/v1/moderation/audit', headers: as(moderator) })).json().events;
    expect(audit.slice(0, 2).map((e: any) => `${e.actorKind}:${e.before}->${e.after}`)).toEqual(['person:hidden->visible', 'rule:visible->hidden']);
    const figures = (await t.server.inject({ url: '/api/v1/moderation/figures', headers: as(moderator) })).json();
    expect(figures.actors.find((a: any) => a.actor === 'Drohungen verbergen')).toMatchObject({ kind: 'rule', volume: 1, overturned: 1 });

    const examples = await trainingExamples(t.app.db, (await t.app.db.query<any>('select id from workspaces'))[0].id);
    expect(examples.find((e) => e.itemId === hateful)).toMatchObject({ label: 'ok' });
    const csv = await t.server.inject({ url: '/api/v1/moderation/audit?format=csv', headers: as(moderator) });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('at,itemId,platform,platformId,actorKind,actor,before,after,reason,tool,excerpt');
  });

  it('holds items for review under the starting rules and counts harmful items a person saw', async () => {
    // Back to the starting rules (as a new workspace has them).
    const [ws] = await t.app.db.query<any>('select id from workspaces');
    await t.app.db.query('delete from rulesets');
    forgetRules(ws.id);
    await deliver([item(11, { text: 'Halt die Fresse, du Vollidiot.' })]);
    await drain(t.app);
    const queue = (await t.server.inject({ url: '/api/v1/moderation/queue', headers: as(moderator) })).json();
    const held = queue.items.find((i: any) => i.text === 'Halt die Fresse, du Vollidiot.');
    expect(held).toBeTruthy();
    expect(held.harmful).toBe(true);
    expect(held.signals.some((s: any) => s.kind === 'words' && s.evidence.matched.toLowerCase().includes('idiot'))).toBe(true);
    expect(queue.seenToday).toBeGreaterThanOrEqual(1);
    const again = (await t.server.inject({ url: '/api/v1/moderation/queue', headers: as(moderator) })).json();
    expect(again.seenToday).toBe(queue.seenToday);
    expect(queue.revealToxic).toBe(false);
  });
});

describe('external classifiers', () => {
  it('adds their scores as signals, and lets items through with a note when one is slow or broken', async () => {
    let secret = '';
    const calls: boolean[] = [];
    const good = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        calls.push(verifySignature({ secret, body, signature: req.headers['x-allmende-signature'] as string, timestamp: req.headers['x-allmende-timestamp'] as string }).ok);
        const { items } = JSON.parse(body.toString());
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: items.map((i: any) => ({ id: i.id, scores: { offensive: i.text.includes('Mist') ? 0.97 : 0.02, made_up: 1 } })) }));
      });
    });
    const slow = createServer(() => { /* never answers */ });
    await Promise.all([good, slow].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    try {
      const put = (name: string, server: HttpServer, timeoutMs: number) => t.server.inject({ method: 'PUT', url: `/api/v1/moderation/classifiers/${name}`, headers: as(owner), payload: { url: `http://127.0.0.1:${(server.address() as any).port}/score`, timeoutMs } });
      secret = (await put('eigenes-modell', good, 2000)).json().secret;
      expect(secret).toBeTruthy();
      await put('langsam', slow, 300);
      await new Promise((r) => setTimeout(r, 5_100)); // the classifier list is cached for 5 s
      await deliver([item(40, { text: 'So ein Mist heute wieder mit der Bahn.' })]);
      await drain(t.app);
      const signals = await t.app.db.query<any>(
        `select s.kind, s.label, s.score, s.source, s.evidence from signals s join items i on i.id = s.item_id where i.platform_id = 'status-40' and s.source like 'external:%' order by s.source`);
      expect(signals.map((s) => `${s.source} ${s.kind} ${s.label}`)).toEqual(['external:eigenes-modell classifier offensive', 'external:langsam classifier-unavailable langsam']);
      expect(signals[0].score).toBeCloseTo(0.97);
      expect(signals[1].evidence.note).toBe('no answer within 300 ms');
      expect(calls.every(Boolean)).toBe(true);
    } finally {
      good.close();
      slow.closeAllConnections();
      slow.close();
    }
  });
});
