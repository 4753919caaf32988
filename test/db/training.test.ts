// Training through the HTTP API on both databases: a trainee's reply or decision that needs
// approval becomes a draft and nothing reaches the platform (a local "forum" that records every
// action it is asked to carry out) until a mentor approves; feedback and the mentor's edit reach
// the trainee; trainees cannot approve their own work or raise their own permissions (per route);
// two mentors at once leave one outcome; practice cases hide their authors; calibration; autonomy;
// the hate/threat queue and the exposure cap.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, as, item, waitFor, deliverSigned, type TestEnv, type Session, startForum } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let mia: Session;
let ben: Session;
let cem: Session;
let tim: Session;
let timId: string;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
let forum: Awaited<ReturnType<typeof startForum>>;

const get = (url: string, who = owner) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(who) });
const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
const put = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'PUT', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
const userId = async (email: string) => (await t.app.db.query<{ id: string }>(`select id from users where email = $1`, [email]))[0].id;
const actionsFor = async (where: string, params: unknown[]) => t.app.db.query<{ type: string }>(`select type from actions where ${where}`, params);

let n = 100;
async function conversation(text: string, over: Record<string, unknown> = {}) {
  n++;
  const res = await deliverSigned(t.server, hook, [item(n, { platform: 'forum', platformId: `p-${n}`, threadId: `topic-${n}`, author: { platformUserId: 'anna', handle: 'anna_k', displayName: 'Anna Schmidt' }, text, createdAt: new Date(Date.now() - 1000).toISOString(), ...over })]);
  expect(res.statusCode, res.body).toBe(200);
  const [row] = await waitFor('the item through the pipeline', async () => {
    const rows = await t.app.db.query<{ id: number; conversation_id: number }>(`select id, conversation_id from items where platform_id = $1 and stage = 'done'`, [`p-${n}`]);
    return rows.length ? rows : null;
  });
  return { conv: row.conversation_id, itemId: row.id };
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  mia = await addMember(t.server, owner, 'mia@example.org', 'moderator');
  ben = await addMember(t.server, owner, 'ben@example.org', 'moderator');
  cem = await addMember(t.server, owner, 'cem@example.org', 'moderator');
  tim = await addMember(t.server, owner, 'tim@example.org', 'trainee');
  timId = await userId('tim@example.org');
  forum = await startForum();
  const res = await post('/connections', { platform: 'forum', name: 'Stadtforum', actionsUrl: forum.actionsUrl });
  hook = res.json();
});
afterAll(async () => { await t?.close(); await forum?.close(); });

describe('drafts under the default policy', () => {
  it('holds a trainee\'s reply as a draft: no outbound item, no action, nothing at the platform', async () => {
    const { conv } = await conversation('Wann öffnet das Freibad wieder?');
    const res = await post(`/inbox/conversations/${conv}/replies`, { text: 'Hallo Anna, das Freibad öffnet am Montag wieder.' }, tim);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().draft).toMatchObject({ state: 'pending', action: 'reply' });
    expect(await actionsFor('connection_id = $1 and type = $2', [hook.id, 'reply'])).toHaveLength(0);
    expect(await t.app.db.query(`select 1 from items where conversation_id = $1 and direction = 'outbound'`, [conv])).toHaveLength(0);
    expect(forum.received.filter((r) => r.action === 'reply')).toHaveLength(0);
    // Bad input is refused at draft time, naming the field.
    const empty = await post(`/inbox/conversations/${conv}/replies`, { text: '  ' }, tim);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/^text:/);
  });

  it('holds a trainee\'s hide as a draft, lets them hide spam alone, and refuses what the policy says never', async () => {
    const insult = await conversation('Ihr seid doch alle Idioten im Rathaus.');
    const res = await post(`/moderation/items/${insult.itemId}/decision`, { decision: 'hide', category: 'insult' }, tim);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ changed: false, draft: { state: 'pending', action: 'hide' } });
    expect(await actionsFor('item_id = $1', [insult.itemId])).toHaveLength(0);
    // One waiting decision per item and trainee: a second click does not make a second draft.
    const again = await post(`/moderation/items/${insult.itemId}/decision`, { decision: 'hide', category: 'insult' }, tim);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('draft_pending');

    const spam = await conversation('Billige Uhren hier kaufen!!!');
    const alone = await post(`/moderation/items/${spam.itemId}/decision`, { decision: 'hide', category: 'spam' }, tim);
    expect(alone.json()).toMatchObject({ changed: true, moderation: 'hidden' });
    expect((await actionsFor('item_id = $1', [spam.itemId])).map((a) => a.type)).toEqual(['hide']);

    expect((await put('/training/settings', { policies: { delete: 'never' } })).statusCode).toBe(200);
    const never = await post(`/moderation/items/${insult.itemId}/decision`, { decision: 'delete', category: 'insult' }, tim);
    expect(never.statusCode).toBe(403);
    expect(never.json().error.code).toBe('not_for_trainees');
    expect(await actionsFor('item_id = $1', [insult.itemId])).toHaveLength(0);
  });
});

describe('review with feedback', () => {
  it('sends the mentor\'s edit through the outbox and shows the trainee the diff and the feedback', async () => {
    const { conv } = await conversation('Warum ist die Bibliothek samstags zu?');
    const drafted = (await post(`/inbox/conversations/${conv}/replies`, { text: 'Weil das so ist.' }, tim)).json().draft;
    const queue = (await get('/training/drafts/queue', mia)).json().drafts;
    const mine = queue.find((d: any) => d.id === drafted.draftId);
    expect(mine).toMatchObject({ kind: 'reply', text: 'Weil das so ist.', context: 'Warum ist die Bibliothek samstags zu?', author: { name: 'tim' } });
    expect(queue.map((d: any) => d.createdAt)).toEqual([...queue.map((d: any) => d.createdAt)].sort());

    // Bad feedback is refused with the field named; the draft stays as it was.
    const badTag = await post(`/training/drafts/${drafted.draftId}/approve`, { tags: ['laune'] }, mia);
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json().error.message).toMatch(/^tags: laune is not in the workspace's skill list/);
    const badSection = await post(`/training/drafts/${drafted.draftId}/approve`, { section: 'style#gibtsnicht' }, mia);
    expect(badSection.json().error.message).toMatch(/^section: no section "style#gibtsnicht"/);
    expect((await post(`/training/drafts/${drafted.draftId}/return`, { tags: ['tone'] }, mia)).json().error.message).toMatch(/^comment:/);

    const final = 'Weil das Personal fehlt – ab März ist wieder samstags offen.';
    const ok = await post(`/training/drafts/${drafted.draftId}/approve`, { text: final, comment: 'Erklär den Grund, nicht nur das Ergebnis.', tags: ['tone', 'empathy'], section: 'style#empathie' }, mia);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().editSize).toBeGreaterThan(0);
    await waitFor('the reply at the platform', async () => forum.received.find((r) => r.action === 'reply' && r.payload.text === final));
    const [sent] = await t.app.db.query<any>(`select i.send_state, u.email from items i join users u on u.id = i.sent_by where i.conversation_id = $1 and i.direction = 'outbound'`, [conv]);
    expect(sent.email).toBe('tim@example.org');
    await waitFor('the reply marked sent', async () => (await t.app.db.query<any>(`select send_state from items where conversation_id = $1 and direction = 'outbound'`, [conv]))[0].send_state === 'sent');

    const feed = (await get('/training/drafts/mine', tim)).json().drafts;
    const reviewed = feed.find((d: any) => d.id === drafted.draftId);
    expect(reviewed.state).toBe('approved');
    expect(reviewed.review).toMatchObject({ finalText: final, comment: 'Erklär den Grund, nicht nur das Ergebnis.', tags: ['tone', 'empathy'], section: 'style#empathie', reviewer: 'mia' });
    const removed = reviewed.review.diff.filter((s: any) => s.op === 'removed').map((s: any) => s.text).join('');
    const added = reviewed.review.diff.filter((s: any) => s.op === 'added').map((s: any) => s.text).join('');
    expect(removed).toMatch(/so ist\./);
    expect(added).toMatch(/Personal fehlt/);
    expect(reviewed.review.diff.map((s: any) => (s.op === 'removed' ? '' : s.text)).join('')).toBe(final);
    const [ev] = await t.app.db.query<any>(`select data, actor from events where type = 'training.review' and (data->>'draftId')::int = $1`, [drafted.draftId]);
    expect(ev).toMatchObject({ actor: 'person:mia', data: { before: 'pending', after: 'approved', draft: 'Weil das so ist.', final } });
  });

  it('returns a draft with feedback and sends nothing', async () => {
    const { conv } = await conversation('Gibt es noch Karten für das Konzert?');
    const d = (await post(`/inbox/conversations/${conv}/replies`, { text: 'Nein.' }, tim)).json().draft;
    const back = await post(`/training/drafts/${d.draftId}/return`, { comment: 'Zu knapp – sag, wo es noch Karten gibt.', tags: ['empathy'] }, ben);
    expect(back.statusCode, back.body).toBe(200);
    expect(await t.app.db.query(`select 1 from actions a join items i on i.id = a.item_id where i.conversation_id = $1`, [conv])).toHaveLength(0);
    const mine = (await get('/training/drafts/mine', tim)).json().drafts.find((x: any) => x.id === d.draftId);
    expect(mine.review).toMatchObject({ comment: 'Zu knapp – sag, wo es noch Karten gibt.', tags: ['empathy'], diff: null });
    expect((await post(`/training/drafts/${d.draftId}/approve`, {}, mia)).statusCode).toBe(409);
  });

  it('approves a held decision once when two mentors act at the same moment', async () => {
    const { itemId } = await conversation('Du bist so ein Vollidiot.');
    const d = (await post(`/moderation/items/${itemId}/decision`, { decision: 'hide', category: 'insult' }, tim)).json().draft;
    const [a, b] = await Promise.all([
      post(`/training/drafts/${d.draftId}/approve`, { comment: 'Passt.' }, mia),
      post(`/training/drafts/${d.draftId}/approve`, { decision: 'delete', category: 'insult' }, ben),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? 'mia' : 'ben';
    const acts = await actionsFor('item_id = $1', [itemId]);
    expect(acts.map((x) => x.type)).toEqual([winner === 'mia' ? 'hide' : 'delete']);
    const [draft] = await t.app.db.query<any>(`select state, r.name from training_drafts d join users r on r.id = d.reviewer_user_id where d.id = $1`, [d.draftId]);
    expect(draft).toEqual({ state: 'approved', name: winner });
    expect(await t.app.db.query(`select 1 from events where type = 'training.review' and (data->>'draftId')::int = $1`, [d.draftId])).toHaveLength(1);
  });
});

describe('a trainee cannot approve their own work or raise their own permissions', () => {
  it('is refused on every route that would', async () => {
    const { conv } = await conversation('Ist der Markt morgen?');
    const d = (await post(`/inbox/conversations/${conv}/replies`, { text: 'Ja, ab 8 Uhr.' }, tim)).json().draft;
    const refused = [
      ['POST', `/training/drafts/${d.draftId}/approve`, {}],
      ['POST', `/training/drafts/${d.draftId}/return`, { comment: 'selbst' }],
      ['GET', '/training/drafts/queue', undefined],
      ['PUT', '/training/settings', { policies: { reply: 'alone' } }],
      ['PUT', `/training/trainees/${timId}/autonomy`, { action: 'reply', granted: true }],
      ['PUT', `/training/trainees/${timId}/harmful-queue`, { allowed: true }],
      ['PUT', '/training/guidelines/style', { title: 'x', body: '# x' }],
      ['POST', '/training/calibration/rounds', { name: 'x', raters: [timId, timId] }],
      ['POST', `/inbox/replies/1/retry`, {}],
    ] as const;
    for (const [method, url, payload] of refused) {
      const res = await t.server.inject({ method, url: `/api/v1${url}`, headers: as(tim), ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await t.app.db.query<any>(`select state from training_drafts where id = $1`, [d.draftId]))[0].state).toBe('pending');
    expect((await get('/training/settings', tim)).json().myModes.reply).toBe('approval');
    // Nor may a mentor approve a draft of their own (a trainee promoted before it was reviewed).
    await t.app.db.query(`update memberships set role = 'moderator' where user_id = $1`, [timId]);
    const own = await post(`/training/drafts/${d.draftId}/approve`, {}, tim);
    await t.app.db.query(`update memberships set role = 'trainee' where user_id = $1`, [timId]);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('own_draft');
  });
});

describe('practice', () => {
  it('builds a set from past decisions, anonymised, and scores answers against the reference at once', async () => {
    const cases = [
      { text: 'Anna Schmidt hier: @bernd_k und @clara sind echte Idioten, schreibt mir an anna@example.org', decision: 'delete', category: 'insult' },
      { text: 'Kauft billige Sonnenbrillen auf https://spam.example/x', decision: 'hide', category: 'spam' },
      { text: 'Danke für die Info zum Stadtfest!', decision: 'approve' },
    ];
    const ids: number[] = [];
    for (const c of cases) {
      const { itemId } = await conversation(c.text, { author: { platformUserId: 'anna-s', handle: '@anna_schmidt@forum.example', displayName: 'Anna Schmidt' } });
      ids.push(itemId);
      // An approval is a decision only on a held item: hold it first, as the rules would.
      if (c.decision === 'approve') expect((await post(`/moderation/items/${itemId}/decision`, { decision: 'hold' }, mia)).statusCode).toBe(200);
      const res = await post(`/moderation/items/${itemId}/decision`, { decision: c.decision, ...(c.category ? { category: c.category } : {}), reason: 'Regel Respekt verletzt, Anna Schmidt beleidigt' }, mia);
      expect(res.statusCode, res.body).toBe(200);
    }
    const built = await post('/training/practice/sets', { name: 'Woche 1', size: 30 }, mia);
    expect(built.statusCode, built.body).toBe(201);
    expect(built.json().perCategory).toMatchObject({ insult: expect.any(Number), spam: expect.any(Number), ok: expect.any(Number) });
    const chosen = await post('/training/practice/sets', { name: 'Ausgewählt', itemIds: ids, section: 'community#respekt' }, mia);
    expect((await post('/training/practice/sets', { name: 'x', itemIds: ids, section: 'community#nix' }, mia)).json().error.message).toMatch(/^section: no section/);
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect((await post('/training/practice/sets', { name: 'x', itemIds: [999999] }, mia)).json().error.message).toMatch(/^itemIds: 999999/);

    const set = (await get(`/training/practice/sets/${chosen.json().id}`, tim)).json();
    expect(set.cases).toHaveLength(3);
    const all = JSON.stringify(set);
    for (const secret of ['Anna', 'Schmidt', 'anna_schmidt', 'bernd_k', '@clara', 'anna@example.org', 'spam.example']) expect(all).not.toContain(secret);
    // Nothing leads back to the source item either.
    expect(Object.keys(set.cases[0]).sort()).toEqual(['answered', 'id', 'platform', 'position', 'replyExpected', 'text']);
    expect(set.cases[0].text).toMatch(/^Person A hier: @person-b und @person-c sind echte Idioten/);

    const wrong = await post(`/training/practice/cases/${set.cases[0].id}/answers`, { decision: 'approve' }, tim);
    expect(wrong.json()).toMatchObject({ correct: false, reference: { decision: 'delete', category: 'insult', section: 'community#respekt' } });
    expect(wrong.json().reference.reason).toBe('Regel Respekt verletzt, Person A beleidigt');
    const right = await post(`/training/practice/cases/${set.cases[1].id}/answers`, { decision: 'hide', category: 'spam' }, tim);
    expect(right.json()).toMatchObject({ correct: true, reference: { decision: 'hide', category: 'spam' } });
    // A written reply is graded by a mentor on the rubric; nobody grades their own.
    const written = await post(`/training/practice/cases/${set.cases[2].id}/answers`, { decision: 'approve', reply: 'Danke dir, schön dass es dir gefallen hat!' }, tim);
    expect(written.json()).toMatchObject({ correct: true });
    const waiting = (await get('/training/practice/replies', mia)).json().replies;
    expect(waiting.map((r: any) => r.id)).toContain(written.json().answerId);
    expect((await post(`/training/practice/answers/${written.json().answerId}/grade`, { tone: 4, accuracy: 3, policy: 4, empathy: 4 }, tim)).statusCode).toBe(403);
    expect((await post(`/training/practice/answers/${written.json().answerId}/grade`, { tone: 5, accuracy: 3, policy: 4, empathy: 4 }, mia)).json().error.message).toMatch(/^tone:/);
    expect((await post(`/training/practice/answers/${written.json().answerId}/grade`, { tone: 4, accuracy: 3, policy: 4, empathy: 4 }, mia)).statusCode).toBe(200);
    expect((await get('/training/practice/replies', mia)).json().replies.map((r: any) => r.id)).not.toContain(written.json().answerId);
    const progress = (await get(`/training/trainees/${timId}/progress`, tim)).json();
    expect(progress.practice.perCategory).toMatchObject({ insult: { answers: 1, correct: 0 }, spam: { answers: 1, correct: 1 } });
    expect(progress.practice.replyGrades).toMatchObject({ graded: 1, tone: 4, accuracy: 3 });
    // Trainees read their own progress only.
    expect((await get(`/training/trainees/${await userId('mia@example.org')}/progress`, tim)).statusCode).toBe(403);
  });
});

describe('calibration', () => {
  it('collects blind labels from three moderators and reports the agreement', async () => {
    const ids: number[] = [];
    for (const text of ['Halt die Klappe', 'Ich weiß, wo du wohnst', 'Tolle Aktion!', 'Kauft hier Pillen']) ids.push((await conversation(text)).itemId);
    const raters = [await userId('mia@example.org'), await userId('ben@example.org'), await userId('cem@example.org')];
    const round = await post('/training/calibration/rounds', { name: 'November', raters, itemIds: ids, labels: ['ok', 'insult', 'threat', 'spam'] });
    expect(round.statusCode, round.body).toBe(201);
    const rid = round.json().id;
    const labels = { mia: ['insult', 'threat', 'ok', 'spam'], ben: ['insult', 'threat', 'ok', 'spam'], cem: ['ok', 'threat', 'ok', 'spam'] };
    for (const [who, s] of [['mia', mia], ['ben', ben], ['cem', cem]] as const) {
      for (const [pos, label] of labels[who].entries()) expect((await put(`/training/calibration/rounds/${rid}/answers/${pos}`, { label }, s)).statusCode).toBe(200);
    }
    // Blind: a rater sees only their own labels.
    const cemView = (await get(`/training/calibration/rounds/${rid}/items`, cem)).json();
    expect(cemView.items.map((i: any) => i.label)).toEqual(labels.cem);
    expect(JSON.stringify(cemView)).not.toContain('mia');
    expect((await get(`/training/calibration/rounds/${rid}/results`, mia)).statusCode).toBe(403);
    expect((await put(`/training/calibration/rounds/${rid}/answers/0`, { label: 'hate' }, mia)).json().error.message).toMatch(/^label: "hate"/);

    const res = (await get(`/training/calibration/rounds/${rid}/results`)).json();
    // Counts per item (ok, insult, threat, spam): [1,2,0,0] [0,0,3,0] [3,0,0,0] [0,0,0,3].
    // P̄ = (1/3 + 1 + 1 + 1) / 4 = 5/6; p = (4, 2, 3, 3) / 12; P_e = (16 + 4 + 9 + 9) / 144 = 38/144.
    expect(res.fleissKappa).toBeCloseTo((5 / 6 - 38 / 144) / (1 - 38 / 144), 10);
    expect(res.pairwise.find((p: any) => p.a === 'mia' && p.b === 'ben').kappa).toBe(1);
    expect(res.disagreements).toEqual([{ position: 0, text: 'Halt die Klappe', labels: [{ name: 'mia', label: 'insult' }, { name: 'ben', label: 'insult' }, { name: 'cem', label: 'ok' }] }]);
    const trend = (await get('/training/calibration/rounds')).json().rounds;
    expect(trend[0]).toMatchObject({ id: rid, fleissKappa: res.fleissKappa });
  });
});

describe('graduated autonomy', () => {
  it('suggests lifting the approval once the record is sound; a manager confirms and can revoke, all audited', async () => {
    expect((await put('/training/settings', { autonomyWindow: 5, autonomyThreshold: 0.8 })).statusCode).toBe(200);
    const tara = await addMember(t.server, owner, 'tara@example.org', 'trainee');
    const taraId = await userId('tara@example.org');
    for (let i = 0; i < 5; i++) {
      const { conv } = await conversation(`Frage Nummer ${i}?`);
      const d = (await post(`/inbox/conversations/${conv}/replies`, { text: `Antwort Nummer ${i}.` }, tara)).json().draft;
      expect((await post(`/training/drafts/${d.draftId}/approve`, {}, mia)).statusCode).toBe(200);
    }
    const before = (await get(`/training/trainees/${taraId}/progress`, mia)).json();
    expect(before.autonomy.find((a: any) => a.action === 'reply')).toMatchObject({ reviewed: 5, agreement: 1, suggested: true, granted: false });
    expect((await get('/training/trainees', mia)).json().trainees.find((x: any) => x.name === 'tara').suggestions).toEqual(['reply']);

    expect((await put(`/training/trainees/${taraId}/autonomy`, { action: 'reply', granted: true })).statusCode).toBe(200);
    const { conv } = await conversation('Und jetzt?');
    const direct = await post(`/inbox/conversations/${conv}/replies`, { text: 'Jetzt direkt.' }, tara);
    expect(direct.statusCode).toBe(202);
    expect(direct.json().actionId).toBeGreaterThan(0);
    expect(direct.json().draft).toBeUndefined();

    expect((await put(`/training/trainees/${taraId}/autonomy`, { action: 'reply', granted: false })).statusCode).toBe(200);
    expect((await post(`/inbox/conversations/${conv}/replies`, { text: 'Wieder mit Freigabe.' }, tara)).json().draft.state).toBe('pending');
    const audit = await t.app.db.query<any>(`select data from events where type = 'training.autonomy' and data->>'userId' = $1 order by id`, [taraId]);
    expect(audit.map((e) => e.data.after)).toEqual([['reply'], []]);
  });
});

describe('wellbeing', () => {
  it('keeps harmful items out of a trainee\'s queue until a manager allows it and they opt in, and stops at the daily cap', async () => {
    const { itemId } = await conversation('Ich bring dich um, du Idiot.');
    await waitFor('the item held', async () => (await t.app.db.query<any>(`select moderation from items where id = $1`, [itemId]))[0].moderation === 'held');
    const ids = async (s: Session) => (await get('/moderation/queue', s)).json().items.map((i: any) => i.id);
    expect(await ids(mia)).toContain(itemId);
    expect(await ids(tim)).not.toContain(itemId);
    expect((await put('/training/me/harmful-queue', { optedIn: true }, tim)).statusCode).toBe(200);
    expect(await ids(tim)).not.toContain(itemId);
    expect((await put(`/training/trainees/${timId}/harmful-queue`, { allowed: true })).statusCode).toBe(200);
    expect(await ids(tim)).toContain(itemId);
    expect((await put('/training/settings', { dailyExposureCap: 1 })).statusCode).toBe(200);
    const capped = (await get('/moderation/queue', tim)).json();
    expect(capped.training).toMatchObject({ breakPrompt: true, cap: 1 });
    expect(capped.training.seenToday).toBeGreaterThanOrEqual(1);
    expect(capped.items.map((i: any) => i.id)).not.toContain(itemId);
    const audit = await t.app.db.query<any>(`select data from events where type = 'training.harmful_queue' and data->>'userId' = $1 order by id`, [timId]);
    expect(audit.map((e) => e.data.after)).toEqual([{ allowed: false, optedIn: true }, { allowed: true, optedIn: true }]);
  });
});
