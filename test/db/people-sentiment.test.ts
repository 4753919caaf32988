// The sentiment signal through the pipeline and the person page's monthly figures: a post
// without opinion words gets no signal and counts as 0 in its month's average.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, postItems, as, drain, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let token: string;
const anna = { platformUserId: 'anna', handle: '@anna@social.example', displayName: 'Anna Acker' };
const post = (items: unknown[]) => postItems(t.server, token, items);

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  token = await createToken(t.server, owner);
});
afterAll(() => t?.close());

describe('sentiment by month', () => {
  it('stores a signal for opinionated posts only and averages per month with neutral posts as 0', async () => {
    const res = await post([
      // October: "toll" (2) after "wirklich" (×1.5) = 3, "danke" 1 → 4/√(16+15) = 0.718; and a neutral post.
      { platform: 'mastodon', platformId: 's1', threadId: 't1', author: anna, text: 'Das ist wirklich toll, danke!', createdAt: '2026-10-03T10:00:00Z' },
      { platform: 'mastodon', platformId: 's2', threadId: 't1', author: anna, text: 'Der Bus kommt um acht Uhr am Markt an.', createdAt: '2026-10-04T10:00:00Z' },
      // November: "Frechheit" −2 and 😡 −1 → −3/√(9+15) = −0.612.
      { platform: 'mastodon', platformId: 's3', threadId: 't2', author: anna, text: 'Absolute Frechheit, wieder kein Bus gekommen 😡', createdAt: '2026-11-02T10:00:00Z' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    await drain(t.app);
    const signals = await t.app.db.query<any>(
      `select i.platform_id, s.label, s.score, s.evidence from signals s join items i on i.id = s.item_id where s.kind = 'sentiment' order by i.platform_id`);
    expect(signals.map((s) => [s.platform_id, s.label])).toEqual([['s1', 'positive'], ['s3', 'negative']]);
    expect(signals[0].score).toBeCloseTo(0.718, 3);
    expect(signals[1].evidence.words.map((w: any) => w.word)).toEqual(['frechheit', '😡']);

    const [{ person_id }] = await t.app.db.query<any>(`select person_id from identities where platform_user_id = 'anna'`);
    const page = await t.server.inject({ method: 'GET', url: `/api/v1/people/${person_id}`, headers: as(owner) });
    expect(page.statusCode, page.body).toBe(200);
    const months = page.json().summary.tone;
    expect(months.map((m: any) => [m.month, m.items, m.positive, m.negative])).toEqual([['2026-10', 2, 1, 0], ['2026-11', 1, 0, 1]]);
    expect(months[0].sentiment).toBeCloseTo(0.718 / 2, 3);
    expect(months[1].sentiment).toBeCloseTo(-0.612, 3);
  });
});
