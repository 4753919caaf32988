// Misinformation end to end: known claims are imported from a fact-checker's ClaimReview file, a
// comment repeating one in other words arrives through a connector (a signed webhook from a
// forum), is matched with its passage, held by a rule on claim.score and claim.verdict, shows in
// the review queue with the evidence, and is answered with the claim's counter-reply, which
// reaches the forum. Also: listed domains become signals, near-copies from many accounts become
// a campaign with one action for all its items, and bad imports name entry and field.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, item, type TestEnv, type Session, waitFor, deliverSigned, drain, startForum } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
let forum: Awaited<ReturnType<typeof startForum>>;

const get = (url: string) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(owner) });
const send = (method: 'POST' | 'PUT', url: string, payload: unknown) => t.server.inject({ method, url: `/api/v1${url}`, headers: as(owner), payload: payload as any });

// As fact-checking sites embed it in their pages: a @graph with the article and the review.
const CLAIM_REVIEW = JSON.stringify({
  '@context': 'https://schema.org',
  '@graph': [
    { '@type': 'WebPage', url: 'https://faktencheck.example/stadtwerke' },
    {
      '@type': 'ClaimReview', url: 'https://faktencheck.example/stadtwerke-strompreis', inLanguage: 'de',
      claimReviewed: 'Die Stadtwerke erhöhen den Strompreis im Januar um 50 Prozent.',
      author: { '@type': 'Organization', name: 'Faktencheck Nord' },
      reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Falsch' },
      itemReviewed: { '@type': 'Claim', appearance: [{ '@type': 'CreativeWork', url: 'https://social.example/p/1' }] },
    },
  ],
});

const RULES = `
rule "Falschbehauptung prüfen"
  when claim.score >= 0.3 and claim.verdict is "false"
  then hold
  reason "Bekannte Falschbehauptung"
`;

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  forum = await startForum();
  hook = (await send('POST', '/connections', { platform: 'forum', name: 'Stadtforum', actionsUrl: forum.actionsUrl })).json();
  const rules = await send('PUT', '/moderation/rules', { source: RULES });
  expect(rules.statusCode, rules.body).toBe(200);
});
afterAll(async () => { await t?.close(); await forum?.close(); });

describe('known claims', () => {
  it('refuses a broken ClaimReview file naming entry and field, and stores nothing', async () => {
    const bad = JSON.stringify([
      { '@type': 'ClaimReview', url: 'https://x.example/a', claimReviewed: 'Etwas', reviewRating: { alternateName: 'Falsch' } },
      { '@type': 'ClaimReview', url: 'https://x.example/b', reviewRating: { alternateName: 'Falsch' } },
    ]);
    const res = await send('POST', '/misinfo/claims/import', { format: 'claimreview', content: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('ClaimReview 2 (https://x.example/b), claimReviewed: missing');
    const csv = await send('POST', '/misinfo/claims/import', { format: 'csv', content: 'text_de,verdict\nEs stimmt,vielleicht\n' });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.message).toContain('line 2, verdict');
    const script = await send('POST', '/misinfo/claims', { textDe: 'Etwas', verdict: 'false', factCheckUrl: 'javascript:alert(1)' });
    expect(script.statusCode).toBe(400);
    expect(script.json().error.message).toContain('factCheckUrl');
    expect((await send('POST', '/misinfo/claims', { verdict: 'false' })).json().error.message).toContain('textDe');
    expect((await get('/misinfo/claims')).json().claims).toEqual([]);
  });

  it('matches a paraphrase arriving through a connector, holds it by rule and answers with the counter-reply', async () => {
    const imported = await send('POST', '/misinfo/claims/import', { format: 'claimreview', content: CLAIM_REVIEW, name: 'faktencheck-nord' });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ added: 1, alreadyKnown: 0 });
    // The same file again adds nothing.
    expect((await send('POST', '/misinfo/claims/import', { format: 'claimreview', content: CLAIM_REVIEW })).json()).toEqual({ added: 0, alreadyKnown: 1 });
    const [claim] = (await get('/misinfo/claims')).json().claims;
    expect(claim).toMatchObject({ verdict: 'false', factCheckUrl: 'https://faktencheck.example/stadtwerke-strompreis', textDe: expect.stringContaining('Strompreis') });
    const put = await send('PUT', `/misinfo/claims/${claim.id}`, { ...claim, replyDe: 'Hallo {{name}}, das stimmt so nicht: Die Preise steigen im Januar um 4 Prozent.' });
    expect(put.statusCode, put.body).toBe(200);

    const text = 'Hab gehört ab Januar wird der Strom bei den Stadtwerken 50 Prozent teurer!! Unverschämt.';
    const res = await deliverSigned(t.server, hook, [item(1, { platform: 'forum', platformId: 'c-1', threadId: 'topic-1', author: { platformUserId: 'kai', handle: 'kai_w', displayName: 'Kai' }, text })]);
    expect(res.statusCode, res.body).toBe(200);
    await drain(t.app);

    const queue = await waitFor('the item in the review queue', async () => (await get('/moderation/queue')).json().items.find((i: any) => i.text === text));
    expect(queue.reason).toBe('Bekannte Falschbehauptung');
    const signal = queue.signals.find((s: any) => s.kind === 'claim');
    expect(signal.label).toBe('false');
    expect(signal.score).toBeGreaterThanOrEqual(0.3);
    expect(signal.evidence.claimId).toBe(claim.id);
    expect(signal.evidence.factCheckUrl).toBe(claim.factCheckUrl);
    // The matched passage, as offsets into the text people read.
    expect(text.slice(signal.evidence.start, signal.evidence.end)).toBe(signal.evidence.passage);
    expect(signal.evidence.passage).toContain('Januar');
    expect(signal.evidence.passage).toContain('Prozent');

    // The inbox shows the same evidence on the item in its conversation.
    const [{ conversation_id: conv }] = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where id = $1`, [queue.id]);
    const inboxItem = (await get(`/inbox/conversations/${conv}`)).json().items.find((i: any) => i.id === queue.id);
    expect(inboxItem.misinfo).toEqual([expect.objectContaining({ kind: 'claim', label: 'false', evidence: expect.objectContaining({ claimId: claim.id, passage: signal.evidence.passage }) })]);

    const answer = await send('POST', `/misinfo/items/${queue.id}/counter-reply`, { claimId: claim.id });
    expect(answer.statusCode, answer.body).toBe(200);
    const sent = await waitFor('the counter-reply at the forum', () => Promise.resolve(forum.received.find((r) => r.action === 'reply')));
    expect(sent.payload.text).toBe('Hallo Kai, das stimmt so nicht: Die Preise steigen im Januar um 4 Prozent.\nhttps://faktencheck.example/stadtwerke-strompreis');
    expect(sent.payload.parentPlatformId).toBe('c-1');

    // The claims page counts the item, its platform and that the team answered it.
    const overview = (await get('/misinfo/claims/overview')).json().claims[0];
    expect(overview).toMatchObject({ items: 1, platforms: { forum: 1 }, answeredShare: 1 });
    const csv = await get('/misinfo/claims/overview?format=csv');
    expect(csv.body.split('\r\n')[1]).toContain(',1,');
  });

  it('does not match an unrelated comment on the same topic', async () => {
    const text = 'Wie hoch ist der Strompreis bei den Stadtwerken gerade?';
    await deliverSigned(t.server, hook, [item(2, { platform: 'forum', platformId: 'c-2', threadId: 'topic-2', text })]);
    await drain(t.app);
    const [row] = await t.app.db.query<{ n: number; moderation: string }>(
      `select (select count(*)::int from signals s where s.item_id = i.id and s.kind = 'claim') as n, i.moderation from items i where platform_id = 'c-2'`);
    expect(row).toEqual({ n: 0, moderation: 'visible' });
  });

  it('records a claim taken from an item, with the event', async () => {
    const [{ id }] = await t.app.db.query<{ id: number }>(`select id from items where platform_id = 'c-2'`);
    const res = await send('POST', '/misinfo/claims/from-item', { itemId: id, selection: 'Strompreis bei den Stadtwerken', verdict: 'misleading' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ origin: `item:${id}`, verdict: 'misleading' });
    const [ev] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from events where type = 'misinfo.claims.add' and data->>'origin' = $1`, [`item:${id}`]);
    expect(ev.n).toBe(1);
  });
});

describe('sources', () => {
  it('turns a link to a listed domain into a signal, also below a subdomain, and exports the list as CSV', async () => {
    const bad = await send('POST', '/misinfo/domains/import', { content: 'domain,category,note\nnot a domain,unreliable,\nexample.org,propaganda,\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('line 2, domain');
    expect(bad.json().error.message).toContain('line 3, category');
    const ok = await send('POST', '/misinfo/domains/import', { content: 'domain,category,note\nnews.wahrheit-jetzt.co.uk,unreliable,"=erfindet Zitate"\nfaktencheck.example,trusted,\n' });
    expect(ok.statusCode, ok.body).toBe(200);
    const csv = await get('/misinfo/domains?format=csv');
    expect(csv.body).toContain(`wahrheit-jetzt.co.uk,unreliable,"'=erfindet Zitate"`);

    await deliverSigned(t.server, hook, [item(3, { platform: 'forum', platformId: 'c-3', threadId: 'topic-3', text: 'Lest das: https://blog.wahrheit-jetzt.co.uk/artikel?id=7 endlich mal jemand ehrlich' })]);
    await drain(t.app);
    const [s] = await t.app.db.query<any>(`select s.label, s.evidence from signals s join items i on i.id = s.item_id where i.platform_id = 'c-3' and s.kind = 'domain'`);
    expect(s.label).toBe('unreliable');
    expect(s.evidence).toMatchObject({ domain: 'wahrheit-jetzt.co.uk', note: '=erfindet Zitate', link: 'https://blog.wahrheit-jetzt.co.uk/artikel?id=7' });
  });
});

describe('campaigns', () => {
  it('clusters near-copies from many accounts across platforms and applies one action to all', async () => {
    const base = 'Wacht auf! Die Stadt verkauft heimlich unser Trinkwasser an einen Konzern, teilt das bevor es gelöscht wird';
    const variants = [base, base.replace('Wacht auf!', 'WACHT AUF!!'), base + ' 😡😡', base.replace('heimlich', 'ganz heimlich'), base.replace(/ /g, '  '), base.replace('teilt das', 'teilt es'), base + ' #wasser'];
    const rows = variants.map((text, k) => item(100 + k, { platform: 'forum', platformId: `camp-${k}`, threadId: `topic-c${k % 3}`, author: { platformUserId: `acc${k}`, handle: `neu_${k}`, displayName: `Neu ${k}` }, text, createdAt: new Date(Date.UTC(2026, 10, 2, 9, k)).toISOString() }));
    expect((await deliverSigned(t.server, hook, rows)).statusCode).toBe(200);
    await drain(t.app);
    const list = (await get('/misinfo/campaigns')).json().campaigns;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ items: 7, accounts: 7, platforms: ['forum'] });
    const detail = (await get(`/misinfo/campaigns/${list[0].id}`)).json();
    expect(detail.items.map((i: any) => i.text)).toEqual(variants.map((v) => v.replace(/ +/g, ' ')));
    expect(detail.accounts).toHaveLength(7);
    expect(detail.timeline.reduce((n: number, p: any) => n + p.items, 0)).toBe(7);

    const act = await send('POST', `/misinfo/campaigns/${list[0].id}/action`, { action: 'hold', reason: 'Kampagne Trinkwasser' });
    expect(act.statusCode, act.body).toBe(200);
    expect(act.json()).toEqual({ items: 7, changed: 7 });
    const held = await t.app.db.query<{ moderation: string }>(`select moderation from items where platform_id like 'camp-%'`);
    expect(held.every((h) => h.moderation === 'held')).toBe(true);
    const [ev] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from events where type = 'moderation' and data->>'tool' = 'campaign'`);
    expect(ev.n).toBe(7);
  });

  it('gives the campaign signal also to the copies that came before it had enough accounts', async () => {
    const base = 'Achtung: Die Bibliothek am Rathausplatz schließt für immer, die Stadt hat das heimlich beschlossen';
    const copy = (k: number, text: string) => item(200 + k, { platform: 'forum', platformId: `late-${k}`, threadId: `topic-l${k}`, author: { platformUserId: `late${k}`, handle: `late_${k}` }, text, createdAt: new Date(Date.UTC(2026, 10, 3, 9, k)).toISOString() });
    // Four accounts (one short of the default five) in one delivery, through the whole pipeline first.
    const early = [base, base + ' 😡', base.toUpperCase(), base.replace('heimlich', 'ganz heimlich')].map((text, k) => copy(k, text));
    expect((await deliverSigned(t.server, hook, early)).statusCode).toBe(200);
    await drain(t.app);
    const campaignSignals = async () => t.app.db.query<{ platform_id: string; campaign: string }>(
      `select i.platform_id, s.evidence->>'campaignId' as campaign from signals s join items i on i.id = s.item_id
       where s.kind = 'campaign' and i.platform_id like 'late-%' order by i.platform_id`);
    expect(await campaignSignals()).toEqual([]);
    // The fifth account's copy forms the campaign: all five items carry its signal.
    expect((await deliverSigned(t.server, hook, [copy(4, base + ' #bibliothek')])).statusCode).toBe(200);
    await drain(t.app);
    const signals = await campaignSignals();
    expect(signals.map((s) => s.platform_id)).toEqual(['late-0', 'late-1', 'late-2', 'late-3', 'late-4']);
    expect(new Set(signals.map((s) => s.campaign)).size).toBe(1);
    const [first] = await t.app.db.query<{ id: number }>(`select id from items where platform_id = 'late-0'`);
    const shown = (await get(`/items/${first.id}`)).json();
    expect(shown.signals.find((s: any) => s.kind === 'campaign')?.evidence).toMatchObject({ campaignId: Number(signals[0].campaign), items: 5, accounts: 5 });
  });
});
