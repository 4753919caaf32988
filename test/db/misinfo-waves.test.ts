// Link waves and newcomer bursts end to end: items arrive through a forum's signed webhook, the
// pipeline's analysers find the same link from many new accounts (tracking parameters ignored)
// and many first-time authors in one thread, each a signal with its evidence; cases below the
// thresholds (or in a workspace too young to know who is new) give none; a rule on links.newAccounts holds the wave's items for review; the
// thresholds are settings with field errors.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, item, type TestEnv, type Session, deliverSigned, drain } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let hook: { id: string; webhookUrl: string; webhookSecret: string };

const get = (url: string) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(owner) });
const send = (method: 'POST' | 'PUT', url: string, payload: unknown) => t.server.inject({ method, url: `/api/v1${url}`, headers: as(owner), payload: payload as any });
const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute)).toISOString();

async function deliver(rows: unknown[]) {
  const res = await deliverSigned(t.server, hook, rows);
  expect(res.statusCode, res.body).toBe(200);
  await drain(t.app);
}
async function signalsOf(prefix: string, kind: string) {
  return t.app.db.query<{ platform_id: string; score: number; evidence: any; moderation: string }>(
    `select i.platform_id, s.score, s.evidence, i.moderation from signals s join items i on i.id = s.item_id
     where i.platform_id like $1 and s.kind = $2 order by i.created_at, i.id`, [`${prefix}%`, kind]);
}
const author = (id: string, extra: Record<string, unknown> = {}) => ({ platformUserId: id, handle: id, displayName: id.toUpperCase(), ...extra });

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  hook = (await send('POST', '/connections', { platform: 'forum', name: 'Stadtforum' })).json();
  const rules = await send('PUT', '/moderation/rules', { source: `
rule "Link-Welle prüfen"
  when links.newAccounts >= 5
  then hold
  reason "Derselbe Link von vielen neuen Konten"
` });
  expect(rules.statusCode, rules.body).toBe(200);
  // Regulars: they wrote here weeks before, so they are neither new accounts nor first-time authors.
  await deliver(['alt1', 'alt2', 'alt3', 'alt4', 'alt5', 'alt6'].map((a, k) =>
    item(k, { platform: 'forum', platformId: `old-${a}`, threadId: 'topic-old', author: author(a), text: `Guten Morgen aus der Nordstadt ${k}`, createdAt: at(1, 8, k) })));
});
afterAll(async () => { await t?.close(); });

describe('link waves', () => {
  it('finds the same link from six new accounts, arriving one by one with different tracking parameters', async () => {
    const links = ['https://www.wahrheit.example/artikel?id=7&utm_source=tg', 'http://wahrheit.example/artikel/?fbclid=abc&id=7', 'https://wahrheit.example/artikel?id=7#kommentare',
      'https://wahrheit.example/artikel?utm_medium=x&id=7', 'https://WWW.Wahrheit.example/artikel?id=7', 'https://wahrheit.example/artikel?id=7&gclid=z'];
    // One of them says on the platform when it was made (two days before); the others are new here.
    for (const [k, link] of links.entries()) {
      await deliver([item(k, { platform: 'forum', platformId: `wave-${k}`, threadId: `topic-w${k}`, text: `Lest das, bevor es gelöscht wird ${link}`,
        author: author(`neu${k}`, k === 0 ? { createdAt: at(18, 9) } : {}), createdAt: at(20, 9, k * 20) })]);
    }
    const found = await signalsOf('wave-', 'link_wave');
    // The fifth account makes the wave: from then on each item carries the signal.
    expect(found.map((f) => f.platform_id)).toEqual(['wave-4', 'wave-5']);
    expect(found[1].evidence).toMatchObject({ link: 'wahrheit.example/artikel?id=7', accounts: 6, newAccounts: 6, windowHours: 24, newAccountDays: 7,
      firstSeen: at(20, 9, 0), lastSeen: at(20, 9, 100) });
    expect(found[1].evidence.named).toEqual(['neu0', 'neu1', 'neu2', 'neu3', 'neu4', 'neu5']);
    expect(found[0].evidence).toMatchObject({ accounts: 5, newAccounts: 5 });
    // The rule held them, and the review queue shows why.
    expect(found.map((f) => f.moderation)).toEqual(['held', 'held']);
    const queue = (await get('/moderation/queue')).json();
    const shown = queue.items.find((i: any) => i.text.includes('bevor es gelöscht') && i.signals.some((s: any) => s.kind === 'link_wave'));
    expect(shown.signals.find((s: any) => s.kind === 'link_wave').evidence.link).toBe('wahrheit.example/artikel?id=7');
  });

  it('gives no signal for four accounts, for old accounts, or for posts spread over days', async () => {
    await deliver([
      ...[0, 1, 2, 3].map((k) => item(k, { platform: 'forum', platformId: `four-${k}`, threadId: 'topic-f', text: `Schaut mal https://vier.example/x`, author: author(`vier${k}`), createdAt: at(21, 10, k) })),
      // Six accounts, but the platform says five of them are years old.
      ...[0, 1, 2, 3, 4, 5].map((k) => item(k, { platform: 'forum', platformId: `aged-${k}`, threadId: 'topic-a', text: `Veranstaltung https://fest.example/programm`,
        author: author(`aged${k}`, k ? { createdAt: '2019-03-01T00:00:00Z' } : {}), createdAt: at(21, 11, k) })),
      // Regulars (first seen weeks ago) all sharing the same link.
      ...[1, 2, 3, 4, 5, 6].map((k) => item(k, { platform: 'forum', platformId: `regular-${k}`, threadId: 'topic-r', text: `Busplan https://bus.example/plan`, author: author(`alt${k}`), createdAt: at(21, 12, k) })),
      // Six new accounts, one link, but a day and a half apart each.
      ...[0, 1, 2, 3, 4, 5].map((k) => item(k, { platform: 'forum', platformId: `slow-${k}`, threadId: `topic-s${k}`, text: `Guckt https://langsam.example/a`, author: author(`slow${k}`), createdAt: new Date(Date.parse(at(22, 0)) + k * 36 * 3_600_000).toISOString() })),
      // The day after the workspace began, everyone is first seen lately: that says nothing yet.
      ...[0, 1, 2, 3, 4, 5].map((k) => item(k, { platform: 'forum', platformId: `early-${k}`, threadId: `topic-e${k}`, text: `Früh https://frueh.example/a`, author: author(`early${k}`), createdAt: at(2, 9, k) })),
      // A platform date that is no date does not break anything.
      item(99, { platform: 'forum', platformId: 'broken-date', threadId: 'topic-b', text: 'https://vier.example/y', author: author('kaputt', { createdAt: 'gestern' }), createdAt: at(21, 10, 30) }),
    ]);
    for (const p of ['four-', 'aged-', 'regular-', 'slow-', 'broken-', 'early-']) expect(await signalsOf(p, 'link_wave'), p).toEqual([]);
  });
});

describe('newcomer bursts', () => {
  it('flags five first-time authors in one thread within the hour, with the authors', async () => {
    await deliver([
      ...[0, 1, 2, 3, 4].map((k) => item(k, { platform: 'forum', platformId: `burst-${k}`, threadId: 'topic-burst', text: `Skandal! Rücktritt jetzt ${k}`, author: author(`erst${k}`), createdAt: at(23, 14, k * 10) })),
      // A regular in the same thread is no newcomer.
      item(50, { platform: 'forum', platformId: 'burst-regular', threadId: 'topic-burst', text: 'Was ist hier los?', author: author('alt1'), createdAt: at(23, 14, 15) }),
    ]);
    const found = await signalsOf('burst-', 'newcomer_burst');
    expect(found.map((f) => f.platform_id)).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
    expect(found[0].evidence).toMatchObject({ authors: 5, windowMinutes: 60, firstSeen: at(23, 14, 0), lastSeen: at(23, 14, 40) });
    expect(found[0].evidence.named).toEqual(['erst0', 'erst1', 'erst2', 'erst3', 'erst4']);
    // Not held: no rule asks for it; the signal alone changes nothing.
    expect(found.every((f) => f.moderation === 'visible')).toBe(true);
  });

  it('gives no signal for four newcomers, for regulars, or for newcomers spread over hours', async () => {
    await deliver([
      ...[0, 1, 2, 3].map((k) => item(k, { platform: 'forum', platformId: `few-${k}`, threadId: 'topic-few', text: `Hallo ${k}`, author: author(`few${k}`), createdAt: at(24, 9, k) })),
      ...[1, 2, 3, 4, 5, 6].map((k) => item(k, { platform: 'forum', platformId: `known-${k}`, threadId: 'topic-known', text: `Moin ${k}`, author: author(`alt${k}`), createdAt: at(24, 10, k) })),
      // The workspace's second day: every author is a first-time author, which says nothing yet.
      ...[0, 1, 2, 3, 4, 5].map((k) => item(k, { platform: 'forum', platformId: `start-${k}`, threadId: 'topic-start', text: `Erster ${k}`, author: author(`start${k}`), createdAt: at(2, 10, k) })),
      ...[0, 1, 2, 3, 4].map((k) => item(k, { platform: 'forum', platformId: `spread-${k}`, threadId: 'topic-spread', text: `Hi ${k}`, author: author(`spread${k}`), createdAt: at(24, 11 + k, 0) })),
    ]);
    for (const p of ['few-', 'known-', 'spread-', 'start-']) expect(await signalsOf(p, 'newcomer_burst'), p).toEqual([]);
  });
});

describe('settings', () => {
  it('keeps the thresholds, leaves out ones unchanged, and names a bad field', async () => {
    expect((await get('/misinfo/settings')).json()).toMatchObject({ linkWaveMinAccounts: 5, linkWaveWindowHours: 24, newAccountDays: 7, newcomerMinAuthors: 5, newcomerWindowMinutes: 60 });
    const put = await send('PUT', '/misinfo/settings', { resolveShorteners: false, campaignMinAccounts: 5, campaignWindowHours: 48, linkWaveMinAccounts: 3, newcomerWindowMinutes: 30 });
    expect(put.statusCode, put.body).toBe(200);
    expect((await get('/misinfo/settings')).json()).toEqual({ resolveShorteners: false, campaignMinAccounts: 5, campaignWindowHours: 48,
      linkWaveMinAccounts: 3, linkWaveWindowHours: 24, newAccountDays: 7, newcomerMinAuthors: 5, newcomerWindowMinutes: 30 });
    const bad = await send('PUT', '/misinfo/settings', { resolveShorteners: false, campaignMinAccounts: 5, campaignWindowHours: 48, newAccountDays: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('newAccountDays');
    // With three accounts a wave is enough now.
    await deliver([0, 1, 2].map((k) => item(k, { platform: 'forum', platformId: `three-${k}`, threadId: 'topic-t', text: `https://drei.example/z`, author: author(`drei${k}`), createdAt: at(25, 9, k) })));
    expect((await signalsOf('three-', 'link_wave')).map((f) => f.evidence.accounts)).toEqual([3, 3, 3]);
  });
});
