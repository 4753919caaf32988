// Inbox search through the HTTP API, with the per-conversation search vector (007): a new item
// with a new word makes its conversation findable, an edit removes the old word, words from two
// different items do not make a match (a conversation matches when one of its items does),
// phrases and "-word", paging over searched results, and a conversation too long for one vector
// still ingests and is still found.
import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, drain, item, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;

const at = (min: number) => new Date(Date.UTC(2026, 10, 2, 8, min)).toISOString();

async function send(rows: unknown[]) {
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: as(owner), payload: rows });
  expect(res.statusCode, res.body).toBe(200);
}
async function search(q: string, extra = '') {
  const res = await t.server.inject({ method: 'GET', url: `/api/v1/inbox/conversations?status=new,open,waiting,done&q=${encodeURIComponent(q)}${extra}`, headers: as(owner) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { conversations: any[]; nextCursor: string | null };
}
const threadsFound = async (q: string, extra = '') => (await search(q, extra)).conversations.map((c) => c.threadKey).sort();

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
});
afterAll(async () => { await t?.close(); });

describe('the conversation search vector', () => {
  it('finds a conversation by a word its newest item brought', async () => {
    await send([item(1, { platformId: 'a-1', threadId: 'a', text: 'Die Buslinie 5 fährt heute nicht.', createdAt: at(1) })]);
    await drain(t.app);
    expect(await threadsFound('Buslinie')).toEqual(['a']);
    expect(await threadsFound('Schwimmbad')).toEqual([]);
    await send([item(2, { platformId: 'a-2', threadId: 'a', text: 'Und das Schwimmbad ist auch geschlossen.', createdAt: at(2) })]);
    await drain(t.app);
    expect(await threadsFound('Schwimmbad')).toEqual(['a']);
    expect(await threadsFound('Schwimmbäder')).toEqual(['a']); // the German stem
    expect(await threadsFound('Hallenbad')).toEqual([]);
    expect(await threadsFound('Buslinie')).toEqual(['a']);
  });

  it('forgets the words an edit removed and learns the new ones', async () => {
    await send([item(3, { platformId: 'b-1', threadId: 'b', text: 'Der Wasserrohrbruch in der Hafenstraße ist schlimm.', createdAt: at(3) })]);
    await drain(t.app);
    expect(await threadsFound('Wasserrohrbruch')).toEqual(['b']);
    await send([item(3, { platformId: 'b-1', threadId: 'b', text: 'Die Stromleitung in der Hafenstraße ist schlimm.', createdAt: at(3) })]);
    await drain(t.app);
    expect(await threadsFound('Wasserrohrbruch')).toEqual([]);
    expect(await threadsFound('Stromleitung')).toEqual(['b']);
    expect(await threadsFound('Hafenstraße')).toEqual(['b']);
  });

  it('matches only when one item has all the words, the phrase, and not the excluded word', async () => {
    await send([
      item(10, { platformId: 'c-1', threadId: 'c', text: 'Der Fahrplan am Wochenende ist neu.', createdAt: at(10) }),
      item(11, { platformId: 'c-2', threadId: 'c', text: 'Das Kundenzentrum hat heute zu.', createdAt: at(11) }),
      item(12, { platformId: 'd-1', threadId: 'd', text: 'Das Kundenzentrum hat einen neuen Fahrplan ausgehängt.', createdAt: at(12) }),
    ]);
    await drain(t.app);
    // Both words are in conversation c, but in different items: only d has them together.
    expect(await threadsFound('Fahrplan Kundenzentrum')).toEqual(['d']);
    expect(await threadsFound('Fahrplan')).toEqual(['c', 'd']);
    expect(await threadsFound('"Fahrplan am Wochenende"')).toEqual(['c']);
    expect(await threadsFound('"Wochenende am Fahrplan"')).toEqual([]);
    expect(await threadsFound('Fahrplan -Kundenzentrum')).toEqual(['c']);
    expect(await threadsFound('Fahrplan or Schwimmbad')).toEqual(['a', 'c', 'd']);
    // Together with another filter.
    expect(await threadsFound('Fahrplan', '&platform=x')).toEqual([]);
    expect(await threadsFound('Fahrplan', '&platform=mastodon')).toEqual(['c', 'd']);
  });

  it('pages through searched conversations with a cursor, each once', async () => {
    // 9 conversations with both words in one item, 9 with them in different items.
    const rows = [];
    for (let i = 0; i < 9; i++) {
      rows.push(item(100 + i, { platformId: `p-${i}`, threadId: `p${i}`, text: `Ersatzverkehr wegen Baustelle Nummer ${i}`, createdAt: at(20 + i) }));
      rows.push(item(200 + i, { platformId: `q-${i}`, threadId: `q${i}`, text: `Ersatzverkehr ab Montag ${i}`, createdAt: at(20 + i) }));
      rows.push(item(300 + i, { platformId: `r-${i}`, threadId: `q${i}`, text: `Die Baustelle dauert ${i}`, createdAt: at(21 + i) }));
    }
    await send(rows);
    await drain(t.app);
    const all = await threadsFound('Ersatzverkehr Baustelle');
    expect(all).toEqual([...Array(9).keys()].map((i) => `p${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search('Ersatzverkehr Baustelle', `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.conversations.map((c) => c.threadKey));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.sort()).toEqual(all);
    expect(pages).toBe(5);
  });

  it('ingests a conversation of many long items and still finds it by a word of its last item', async () => {
    // Each item: 100,000 characters of distinct made-up words, so the conversation has far more
    // lexeme text than one vector may hold.
    const word = (n: number) => `zq${n.toString(26).split('').map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('')}x`;
    const long = (k: number) => {
      const words: string[] = [];
      let len = 0;
      for (let n = k * 20_000; len < 99_000; n++) { const w = word(n); words.push(w); len += w.length + 1; }
      return words.join(' ');
    };
    await send([0, 1, 2].map((k) => item(400 + k, { platformId: `long-${k}`, threadId: 'long', text: long(k), createdAt: at(40 + k) })));
    await drain(t.app);
    await send([3, 4].map((k) => item(400 + k, { platformId: `long-${k}`, threadId: 'long', text: `${long(k)} Seilbahnstörung`, createdAt: at(40 + k) })));
    await drain(t.app);
    const [conv] = await t.app.db.query<{ search_incomplete: boolean; item_count: number }>(
      `select search_incomplete, item_count from conversations where thread_key = 'long'`);
    expect(conv).toEqual({ search_incomplete: true, item_count: 5 });
    const stages = await t.app.db.query<{ stage: string }>(`select distinct stage from items where thread_id = 'long'`);
    expect(stages).toEqual([{ stage: 'done' }]);
    expect(await threadsFound('Seilbahnstörung')).toEqual(['long']);
    expect(await threadsFound(word(5))).toEqual(['long']);
    expect(await threadsFound(`${word(5)} ${word(20_005)}`)).toEqual([]);
    expect(await threadsFound('Fahrplan')).toEqual(['c', 'd']);
  });

  it('backfills in the migration the same vectors that ingest and analyse kept', async () => {
    const vectors = () => t.app.db.query(`select id, search::text as search, search_incomplete from conversations order by id`);
    const kept = await vectors();
    expect(kept.filter((c: any) => c.search).length).toBeGreaterThan(10);
    const sql = readFileSync(new URL('../../src/store/migrations/007_conversation_search.sql', import.meta.url), 'utf8');
    const start = sql.indexOf('update conversations');
    await t.app.db.exec(`update conversations set search = null, search_incomplete = false; ${sql.slice(start, sql.indexOf(';', start) + 1)}`);
    expect(await vectors()).toEqual(kept);
  });
});
