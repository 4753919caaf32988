// Sorting a post from the firehose the way Bluesky's notifications would: a reply in one of the
// account's threads, a mention of it, a quote of its post; anything else is not for the inbox.
import { describe, expect, it } from 'vitest';
import { reasonFor, postToItem } from '../../src/connectors/bluesky/map.js';

const me = 'did:plc:stadtwerke';
const mine = `at://${me}/app.bsky.feed.post/3kabc`;
const theirs = 'at://did:plc:anna/app.bsky.feed.post/3kxyz';

describe('firehose posts', () => {
  it('finds replies (to the post or deeper in the thread), mentions and quotes', () => {
    expect(reasonFor({ text: 'a', reply: { root: { uri: mine }, parent: { uri: mine } } }, me)).toBe('reply');
    expect(reasonFor({ text: 'a', reply: { root: { uri: mine }, parent: { uri: theirs } } }, me)).toBe('reply');
    expect(reasonFor({ text: '@stadtwerke hallo', facets: [{ features: [{ $type: 'app.bsky.richtext.facet#mention', did: me }] }] }, me)).toBe('mention');
    expect(reasonFor({ text: 'siehe', embed: { $type: 'app.bsky.embed.record', record: { uri: mine } } }, me)).toBe('quote');
    expect(reasonFor({ text: 'siehe', embed: { $type: 'app.bsky.embed.recordWithMedia', record: { record: { uri: mine } } } }, me)).toBe('quote');
  });

  it('leaves out what does not concern the account, and malformed records', () => {
    expect(reasonFor({ text: 'a', reply: { root: { uri: theirs }, parent: { uri: theirs } } }, me)).toBeNull();
    expect(reasonFor({ text: 'a', facets: [{ features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:other' }] }] }, me)).toBeNull();
    expect(reasonFor({ text: 'a', facets: 'nonsense', reply: 7 }, me)).toBeNull();
    expect(reasonFor(null, me)).toBeNull();
    expect(postToItem({ uri: theirs, cid: null, reason: 'reply', author: { did: 'did:plc:anna' }, record: { text: 5 }, indexedAt: null }, 'https://bsky.app')).toBeNull();
  });

  it('keeps the thread and falls back to the DID while the handle is unknown', () => {
    const it = postToItem({ uri: theirs, cid: 'bafy', reason: 'reply', author: { did: 'did:plc:anna' }, record: { text: 'Hallo', createdAt: new Date().toISOString(), reply: { root: { uri: mine }, parent: { uri: mine } } }, indexedAt: null }, 'https://bsky.app');
    expect(it).toMatchObject({ kind: 'reply', threadId: mine, parentId: mine, author: { platformUserId: 'did:plc:anna', handle: null, profileUrl: 'https://bsky.app/profile/did%3Aplc%3Aanna' } });
  });
});
