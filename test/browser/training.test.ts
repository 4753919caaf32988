// Training in a real browser: a trainee drafts a reply, a mentor edits it with feedback, the
// trainee sees the diff and the feedback, and the approved reply goes out through the outbox to a
// local forum; a practice session scored against the team's decision; a calibration round of three
// moderators showing the expected Fleiss' kappa.
import { describe, it, expect } from 'vitest';
import { createServer } from 'node:http';
import { browserApp, signIn } from './harness.js';
import { setupOwner, addMember, as, item, deliverSigned, waitFor, login, type Session } from '../helpers.js';

const PASSWORD = 'a long enough password';
const received: { action: string; payload: any }[] = [];
let owner: Session;
let roundId = 0;

const env = browserApp(async (t) => {
  owner = await setupOwner(t.server);
  const mods: Record<string, Session> = {};
  for (const name of ['mia', 'ben', 'cem']) mods[name] = await addMember(t.server, owner, `${name}@example.org`, 'moderator');
  await addMember(t.server, owner, 'tim@example.org', 'trainee');
  const forum = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const data = JSON.parse(Buffer.concat(chunks).toString());
      received.push({ action: data.action, payload: data.payload });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformId: `forum-${received.length}` }));
    });
  });
  await new Promise<void>((r) => forum.listen(0, '127.0.0.1', r));
  forum.unref();
  const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
  const hook = (await post('/connections', { platform: 'forum', name: 'Stadtforum', actionsUrl: `http://127.0.0.1:${(forum.address() as any).port}/a` })).json();
  const texts = ['Wann öffnet das Hallenbad wieder?', 'Ihr seid alle Vollidioten, Bernd Maier hier', 'Kauft Pillen auf https://spam.example', 'Danke fürs Stadtfest!'];
  const rows = texts.map((text, i) => item(i + 1, { platform: 'forum', platformId: `b-${i}`, threadId: `t-${i}`, text, author: { platformUserId: `p${i}`, handle: 'bernd_m', displayName: 'Bernd Maier' }, createdAt: new Date(Date.now() - 60_000).toISOString() }));
  expect((await deliverSigned(t.server, hook, rows)).statusCode).toBe(200);
  const ids = await waitFor('items through the pipeline', async () => {
    const r = await t.app.db.query<{ id: number; platform_id: string }>(`select id, platform_id from items where stage = 'done' order by platform_id`);
    return r.length === 4 ? r.map((x) => x.id) : null;
  });
  // Past decisions of the team, the material for practice.
  for (const [idx, body] of [[1, { decision: 'delete', category: 'insult', reason: 'Beleidigung nach Richtlinie Respekt' }], [2, { decision: 'hide', category: 'spam', reason: 'Werbung' }]] as const) {
    expect((await post(`/moderation/items/${ids[idx]}/decision`, body, mods.mia)).statusCode).toBe(200);
  }
  expect((await post('/training/practice/sets', { name: 'Erste Übung', itemIds: [ids[1], ids[2]] }, mods.mia)).statusCode).toBe(201);
  // A calibration round: mia and ben agree everywhere, cem calls item 1 "ok".
  const raters = (await t.app.db.query<{ id: string }>(`select id from users where email in ('mia@example.org', 'ben@example.org', 'cem@example.org') order by email`)).map((u) => u.id);
  const round = await post('/training/calibration/rounds', { name: 'November', raters, itemIds: ids, labels: ['ok', 'insult', 'spam'] });
  roundId = round.json().id;
  const labels: Record<string, string[]> = { mia: ['ok', 'insult', 'spam', 'ok'], ben: ['ok', 'insult', 'spam', 'ok'], cem: ['ok', 'ok', 'spam', 'ok'] };
  for (const who of ['ben', 'cem']) {
    for (const [pos, label] of labels[who].entries()) await t.server.inject({ method: 'PUT', url: `/api/v1/training/calibration/rounds/${roundId}/answers/${pos}`, headers: as(mods[who]), payload: { label } });
  }
  for (const [pos, label] of labels.mia.slice(1).entries()) await t.server.inject({ method: 'PUT', url: `/api/v1/training/calibration/rounds/${roundId}/answers/${pos + 1}`, headers: as(mods.mia), payload: { label } });
});

describe('training', () => {
  it('takes a trainee\'s reply through a mentor\'s edit and feedback to the platform', async () => {
    const { t } = env;
    const tim = await signIn(env, 'tim@example.org', PASSWORD);
    await tim.getByTestId('nav-training').click();
    await tim.getByTestId('training-tab-write').click();
    const select = tim.getByTestId('write-conversation');
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
    const value = await select.locator('option', { hasText: 'Hallenbad' }).getAttribute('value');
    await select.selectOption(value!);
    await tim.getByTestId('write-text').fill('Keine Ahnung, vielleicht bald.');
    await tim.getByTestId('write-submit').click();
    await expect.poll(() => tim.getByTestId('write-notice').textContent()).toMatch(/wartet auf eine Freigabe/);
    expect(await t.app.db.query(`select 1 from actions where type = 'reply'`)).toHaveLength(0);

    const mia = await signIn(env, 'mia@example.org', PASSWORD);
    await mia.getByTestId('nav-training').click();
    const draft = mia.getByTestId('mentor-draft');
    await expect.poll(() => draft.count()).toBe(1);
    expect(await draft.textContent()).toContain('Wann öffnet das Hallenbad wieder?');
    const final = 'Das Hallenbad öffnet am 1. Dezember wieder – wir freuen uns auf dich!';
    await draft.getByTestId('mentor-text').fill(final);
    await draft.getByTestId('mentor-comment').fill('Nenn das Datum, wenn wir es kennen.');
    await draft.getByTestId('mentor-tag-accuracy').check();
    await draft.getByTestId('mentor-section').selectOption('style#genauigkeit');
    await draft.getByTestId('mentor-approve').click();
    await expect.poll(() => mia.getByTestId('mentor-notice').textContent()).toMatch(/Freigegeben/);
    await waitFor('the reply at the forum', async () => received.find((r) => r.action === 'reply' && r.payload.text === final));

    await tim.getByTestId('training-tab-mine').click();
    const mine = tim.locator('[data-testid="my-draft"][data-state="approved"]');
    await expect.poll(() => mine.count()).toBe(1);
    expect(await mine.getByTestId('diff-removed').first().textContent()).toMatch(/Keine Ahnung/);
    expect(await mine.getByTestId('diff-added').first().textContent()).toMatch(/1\. Dezember/);
    expect(await mine.getByTestId('my-feedback').textContent()).toMatch(/Nenn das Datum.*accuracy/s);
    expect(await mine.getByTestId('feedback-section').textContent()).toBe('style#genauigkeit');
  });

  it('scores a practice session against the team\'s decision at once, without revealing the author', async () => {
    const tim = await signIn(env, 'tim@example.org', PASSWORD);
    await tim.getByTestId('nav-training').click();
    await tim.getByTestId('training-tab-practice').click();
    await tim.getByTestId('practice-set').first().click();
    const cases = tim.getByTestId('practice-case');
    await expect.poll(() => cases.count()).toBe(2);
    const page = await tim.getByTestId('practice').textContent();
    expect(page).not.toMatch(/Bernd|Maier|bernd_m|spam\.example/);
    // The insult: the trainee would leave it up – wrong, and the team's reasoning is shown.
    await cases.nth(0).getByTestId('practice-check').click();
    const first = cases.nth(0).getByTestId('practice-result');
    await expect.poll(() => first.getAttribute('data-correct')).toBe('false');
    expect(await first.textContent()).toMatch(/Löschen \(insult\).*Beleidigung nach Richtlinie Respekt/s);
    // The spam: hidden as spam – right.
    await cases.nth(1).getByTestId('practice-decision').selectOption('hide');
    await cases.nth(1).getByTestId('practice-category').selectOption('spam');
    await cases.nth(1).getByTestId('practice-check').click();
    await expect.poll(() => cases.nth(1).getByTestId('practice-result').getAttribute('data-correct')).toBe('true');
  });

  it('lets a mentor grade a written practice reply on the rubric', async () => {
    const timApi = await login(env.t.server, 'tim@example.org', PASSWORD);
    const [c] = await env.t.app.db.query<{ id: number }>(`select id from practice_cases order by id limit 1`);
    const answer = await env.t.server.inject({ method: 'POST', url: `/api/v1/training/practice/cases/${c.id}/answers`, headers: as(timApi),
      payload: { decision: 'delete', category: 'insult', reply: 'Bitte bleib sachlich, sonst müssen wir löschen.' } });
    expect(answer.statusCode, answer.body).toBe(200);
    const mia = await signIn(env, 'mia@example.org', PASSWORD);
    await mia.getByTestId('nav-training').click();
    await mia.getByTestId('training-tab-practice').click();
    const card = mia.getByTestId('grade-reply').first();
    await expect.poll(() => card.getByTestId('grade-reply-text').textContent()).toBe('Bitte bleib sachlich, sonst müssen wir löschen.');
    await card.getByTestId('grade-tone').selectOption('4');
    await card.getByTestId('grade-empathy').selectOption('2');
    await card.getByTestId('grade-save').click();
    await expect.poll(async () => (await env.t.app.db.query<{ grade: any }>(`select grade from practice_answers where id = $1`, [answer.json().answerId]))[0]?.grade)
      .toEqual({ tone: 4, accuracy: 3, policy: 3, empathy: 2 });
    await expect.poll(() => mia.getByTestId('grade-reply').count()).toBe(0);
    await mia.context().close();
  });

  it('shows a calibration round of three moderators with the expected kappa', async () => {
    const mia = await signIn(env, 'mia@example.org', PASSWORD);
    await mia.getByTestId('nav-training').click();
    await mia.getByTestId('training-tab-calibration').click();
    await mia.getByTestId('calibration-rate').click();
    const first = mia.getByTestId('calibration-item').first();
    await first.getByTestId('calibration-label').selectOption('ok');
    await expect.poll(async () => (await env.t.app.db.query(`select 1 from calibration_answers where round_id = $1`, [roundId])).length).toBe(12);

    const o = await signIn(env, 'owner@example.org', 'correct horse battery');
    await o.getByTestId('nav-training').click();
    await o.getByTestId('training-tab-calibration').click();
    await o.getByTestId('calibration-open-results').click();
    // Counts (ok, insult, spam): [3,0,0] [1,2,0] [0,0,3] [3,0,0]: P̄ = (1 + 1/3 + 1 + 1)/4 = 5/6;
    // p = (7, 2, 3)/12, P_e = 62/144; kappa = (5/6 - 62/144) / (82/144) = 58/82 = 0.707.
    await expect.poll(() => o.getByTestId('calibration-fleiss').textContent()).toBe((58 / 82).toFixed(3));
    expect(await o.getByTestId('calibration-disagreement').count()).toBe(1);
    expect(await o.getByTestId('calibration-disagreement').textContent()).toMatch(/Vollidioten.*cem: ok/s);
  });

  it('renders the guidelines from Markdown with their sections, and hostile markup only as text', async () => {
    const hostile = '# Hausregeln\n\n## Respekt\nSei **freundlich** und lies [die FAQ](https://example.org/faq).\n\n<img src=x onerror="window.__owned = 1"> <script>window.__owned = 2</script>\n\n- [Klick](javascript:window.__owned=3)\n';
    const res = await env.t.server.inject({ method: 'PUT', url: '/api/v1/training/guidelines/community', headers: as(owner), payload: { title: 'Hausregeln', body: hostile } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sections.map((x: any) => x.anchor)).toEqual(['hausregeln', 'respekt']);
    const tim = await signIn(env, 'tim@example.org', PASSWORD);
    await tim.getByTestId('nav-training').click();
    await tim.getByTestId('training-tab-guidelines').click();
    const doc = tim.getByTestId('guideline-community');
    await doc.locator('#community-respekt').waitFor();
    expect(await doc.locator('strong').first().textContent()).toBe('freundlich');
    expect(await doc.locator('a[href="https://example.org/faq"]').count()).toBe(1);
    // The markup is shown as typed, nothing of it became an element or ran.
    expect(await doc.locator('img, script').count()).toBe(0);
    expect(await doc.textContent()).toContain('<img src=x onerror=');
    expect(await doc.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await tim.evaluate(() => (window as any).__owned)).toBeUndefined();
  });
});
