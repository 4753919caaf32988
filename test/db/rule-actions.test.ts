// Rule actions that act in the inbox: a rule replies with a canned response (sent through the
// connection like a person's reply, shown in the conversation), labels the conversation and hands
// it to a team; what cannot be done is recorded on the item with the reason.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, item, type TestEnv, type Session, waitFor, deliverSigned, startForum } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
let forum: Awaited<ReturnType<typeof startForum>>;

const get = (url: string) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(owner) });
const send = (method: 'POST' | 'PUT', url: string, payload: unknown) => t.server.inject({ method, url: `/api/v1${url}`, headers: as(owner), payload: payload as any });

const deliver = (rows: unknown[]) => deliverSigned(t.server, hook, rows);

const RULES = `
rule "Netiquette"
  when text contains word "Schwachkopf"
  then hold, reply "Netiquette", label "hass", assign "Moderation"
  reason "Beleidigung"

rule "Ohne Vorlage"
  when text contains word "Dummbatz"
  then reply "Gibt es nicht", assign "Niemand"
  reason "Test"
`;

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  forum = await startForum();
  hook = (await send('POST', '/connections', { platform: 'forum', name: 'Stadtforum', actionsUrl: forum.actionsUrl })).json();
  expect((await send('POST', '/inbox/teams', { name: 'Moderation' })).statusCode).toBe(201);
  const canned = await send('POST', '/inbox/canned', { name: 'Netiquette', language: 'de', body: 'Hallo {{name}}, bitte bleib freundlich – unsere Netiquette gilt für alle.' });
  expect(canned.statusCode, canned.body).toBe(201);
  const rules = await send('PUT', '/moderation/rules', { source: RULES });
  expect(rules.statusCode, rules.body).toBe(200);
});
afterAll(async () => { await t?.close(); await forum?.close(); });

describe('rule actions in the inbox', () => {
  it('replies with the canned response through the connection, labels and assigns the conversation', async () => {
    const res = await deliver([item(1, { platform: 'forum', platformId: 'c-1', threadId: 'topic-1', author: { platformUserId: 'kai', handle: 'kai_w', displayName: 'Kai' }, text: 'Du Schwachkopf, das ist doch Unsinn.' })]);
    expect(res.statusCode, res.body).toBe(200);
    const [{ conversation_id: conv }] = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'c-1'`);

    const sent = await waitFor('the expected state', () => Promise.resolve(forum.received.find((r) => r.action === 'reply')));
    expect(sent.payload.text).toBe('Hallo Kai, bitte bleib freundlich – unsere Netiquette gilt für alle.');
    expect(sent.payload.parentPlatformId).toBe('c-1');

    const view = await waitFor('the expected state', async () => {
      const v = (await get(`/inbox/conversations/${conv}`)).json();
      return v.items.some((i: any) => i.direction === 'outbound' && i.send?.state === 'sent') && v;
    });
    const reply = view.items.find((i: any) => i.direction === 'outbound');
    expect(reply.text).toBe(sent.payload.text);
    expect(reply.permalink).toMatch(/^https:\/\/forum\.example\/c\/forum-/);
    expect(view.conversation.labels).toEqual(['hass']);
    expect(view.conversation.team?.name).toBe('Moderation');
    // An automatic answer does not settle the conversation.
    expect(view.conversation.status).not.toBe('waiting');
    const actors = view.history.map((e: any) => `${e.type} ${e.actor}`);
    expect(actors).toEqual(expect.arrayContaining(['inbox.labels rule:Netiquette', 'inbox.assignment rule:Netiquette']));
    const [held] = await t.app.db.query<{ moderation: string }>(`select moderation from items where platform_id = 'c-1'`);
    expect(held.moderation).toBe('held');
  });

  it('records why an action could not be done, and the item still goes through', async () => {
    const res = await deliver([item(2, { platform: 'forum', platformId: 'c-2', threadId: 'topic-2', text: 'So ein Dummbatz.' })]);
    expect(res.statusCode, res.body).toBe(200);
    const notes = await waitFor('the expected state', async () => {
      const rows = await t.app.db.query<{ data: any }>(
        `select e.data from events e join items i on i.id = e.item_id where i.platform_id = 'c-2' and e.type = 'rule.action_not_done' order by e.id`);
      return rows.length === 2 && rows.map((r) => r.data);
    });
    expect(notes.map((n) => n.action).sort()).toEqual(['assign', 'reply']);
    expect(notes.find((n) => n.action === 'reply').reason).toMatch(/no canned response named "Gibt es nicht"/);
    expect(notes.find((n) => n.action === 'assign').reason).toMatch(/no team named "Niemand"/);
    const [stage] = await t.app.db.query<{ stage: string }>(`select stage from items where platform_id = 'c-2'`);
    expect(stage.stage).toBe('done');
    expect(forum.received.filter((r) => r.action === 'reply')).toHaveLength(1);
  });
});
