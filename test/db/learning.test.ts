// Learning threat and spam from the team: moderators give a reason category with their decisions,
// retraining (POST /moderation/train) learns a label only from enough examples, the evaluation
// says which labels lack them, and the adopted model scores new items for the learned labels.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, as, drain, item, type TestEnv, type Session } from '../helpers.js';
import { plan, decideAll } from '../fixtures/decisions.js';

let t: TestEnv;
let owner: Session;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  token = await createToken(t.server, owner);
  await decideAll(t, token, owner);
}, 180_000);
afterAll(async () => { await t?.close(); });

describe('learning threat and spam from decisions', () => {
  it('refuses an unknown reason category, naming the field', async () => {
    const [{ id }] = await t.app.db.query<{ id: number }>('select id from items limit 1');
    const r = await t.server.inject({ method: 'POST', url: `/api/v1/moderation/items/${id}/decision`, headers: as(owner), payload: { decision: 'hide', category: 'rudeness' } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/category/);
  });

  it('says in the evaluation which labels have too few examples', async () => {
    const r = await t.server.inject({ method: 'GET', url: '/api/v1/moderation/evaluation', headers: as(owner) });
    expect(r.statusCode).toBe(200);
    const labels = Object.fromEntries(r.json().labels.map((l: any) => [l.label, l]));
    expect(labels.threat).toMatchObject({ examples: 24, enough: true });
    expect(labels.spam).toMatchObject({ examples: 4, enough: false });
    expect(labels.spam.note).toMatch(/not enough examples.*4 of 8/);
    expect(labels.offensive.examples).toBe(10);
  });

  it('retrains a German model with a threat head, adopted because it beats the starter model on held-back decisions', async () => {
    const r = await t.server.inject({ method: 'POST', url: '/api/v1/moderation/train', headers: as(owner) });
    expect(r.statusCode, r.body).toBe(200);
    const de = r.json().outcomes.find((o: any) => o.language === 'de');
    expect(de.decisions).toBe(plan.length);
    expect(de.adopted, de.reason).toBe(true);
    expect(de.reason).toMatch(/macro-F1 candidate .* vs current/);
    const en = r.json().outcomes.find((o: any) => o.language === 'en');
    expect(en).toMatchObject({ adopted: false, decisions: 0, reasonCode: 'too_few_decisions', reasonParams: { decisions: 0, needed: 50 } });
    expect(de.reasonCode).toBe('compared');

    const ev = (await t.server.inject({ method: 'GET', url: '/api/v1/moderation/evaluation', headers: as(owner) })).json();
    const model = ev.models.find((m: any) => m.language === 'de');
    expect(model.source).toBe('workspace');
    expect(model.meta.labels).toContain('threat');
    expect(model.meta.labels).not.toContain('spam');
    expect(model.meta.untrained.map((u: any) => u.label)).toContain('spam');
    expect(ev.evaluation.classes).toEqual(expect.arrayContaining(['ok', 'offensive', 'threat', 'spam']));
  });

  it('scores a new threatening item with the learned threat label', async () => {
    const text = `Wir wissen wo du wohnst, Kassenwart, heute Nacht wirst du bluten.`;
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [item(9001, { text, language: 'de' })] });
    expect(res.statusCode).toBe(200);
    // The classifier cache trusts itself for 5 s after the adoption was made by this process: it was told.
    await drain(t.app);
    const [s] = await t.app.db.query<{ score: number; source: string }>(
      `select s.score, s.source from signals s join items i on i.id = s.item_id where i.platform_id = 'status-9001' and s.kind = 'classifier' and s.label = 'threat'`);
    expect(s, 'a threat score from the workspace model').toBeTruthy();
    expect(s.source).toMatch(/workspace-de/);
    expect(s.score).toBeGreaterThan(0.5);
  });

  it('evaluates uploaded labelled data with the model in use, and names the line of a bad label', async () => {
    const data = 'text\tlabel\nWir wissen wo du wohnst, heute Nacht wirst du bluten.\tthreat\nWann fährt der Bus wieder?\tOTHER\nDu bist ein Vollidiot.\tOFFENSE\n';
    const r = await t.server.inject({ method: 'POST', url: '/api/v1/moderation/evaluate', headers: as(owner), payload: { data, format: 'tsv', name: 'probe.tsv', language: 'de' } });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.rows).toBe(3);
    expect(body.evaluation.classes).toEqual(expect.arrayContaining(['ok', 'offensive', 'threat']));
    expect(body.evaluation.total).toBe(3);
    expect(body.report).toMatch(/confusion matrix/);

    const bad = await t.server.inject({ method: 'POST', url: '/api/v1/moderation/evaluate', headers: as(owner), payload: { data: 'text\tlabel\nHallo\tok\nNa\tgemein\n', format: 'tsv' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/line 3: unknown label "gemein"/);
    const empty = await t.server.inject({ method: 'POST', url: '/api/v1/moderation/evaluate', headers: as(owner), payload: { data: '', format: 'tsv' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/data/);
  });
});
