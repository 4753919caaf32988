// Platform payloads to items, for the formats and oddities the live tests do not produce:
// RSS 1.0, Atom replies, JSON Feed, hostile markup, malformed documents, unknown Bluesky
// notification types, and a client clock that is far off.
import { describe, it, expect } from 'vitest';
import { parseFeed, htmlToText, FeedFormatError } from '../../src/connectors/feed/parse.js';
import { notificationToItem } from '../../src/connectors/bluesky/map.js';
import { retryAfterFrom } from '../../src/connectors/contract.js';
import { parseItem } from '../../src/core/item.js';

describe('feeds', () => {
  it('reads RSS 1.0 (RDF) with dc:creator and dc:date', () => {
    const { items } = parseFeed(`<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://blog.example.org/"><title>Blog</title></channel>
        <item rdf:about="https://blog.example.org/p/1#c7"><title>Re</title><link>https://blog.example.org/p/1#c7</link>
          <description>Gute Idee</description><dc:creator>Jana</dc:creator><dc:date>2026-11-20T10:00:00+01:00</dc:date></item>
      </rdf:RDF>`, 'application/rdf+xml', 'comment');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ platformId: 'https://blog.example.org/p/1#c7', threadId: 'https://blog.example.org/p/1', text: 'Gute Idee', createdAt: '2026-11-20T09:00:00.000Z' });
    expect(items[0].author.handle).toBe('Jana');
  });

  it('reads Atom with thr:in-reply-to as the parent', () => {
    const { items } = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
      <entry><id>tag:blog,2026:c-9</id><thr:in-reply-to ref="tag:blog,2026:post-3"/>
        <link rel="alternate" href="https://blog.example.org/post-3#c-9"/><author><name>Ole</name><uri>https://ole.example.org</uri></author>
        <updated>2026-11-21T08:00:00Z</updated><content type="html">&lt;b&gt;Danke&lt;/b&gt; &amp;amp; Gruß</content></entry></feed>`, 'application/atom+xml', 'comment');
    expect(items[0]).toMatchObject({ platformId: 'tag:blog,2026:c-9', threadId: 'tag:blog,2026:post-3', parentId: 'tag:blog,2026:post-3', text: 'Danke & Gruß' });
    expect(items[0].author.profileUrl).toBe('https://ole.example.org/');
  });

  it('reads JSON Feed and every item passes the shared validation', () => {
    const { items } = parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [
      { id: 1, url: 'https://blog.example.org/a', content_text: 'Hallo', date_published: '2026-11-22T12:00:00Z', authors: [{ name: 'Mia' }] },
      { id: '2', content_html: '<p>Zweiter</p>' },
      { id: '3', content_text: '' },
    ] }), 'application/feed+json', 'post');
    expect(items.map((i) => [i.platformId, i.text, i.kind])).toEqual([['1', 'Hallo', 'post'], ['2', 'Zweiter', 'post']]);
    for (const [n, it] of items.entries()) expect(parseItem(it, n + 1).ok).toBe(true);
  });

  it('turns hostile markup into inert text and refuses what is not a feed', () => {
    expect(htmlToText('<script>alert(1)</script><img src=x onerror=alert(2)>Hi &lt;b&gt; &#x1F600; &#xD800;')).toBe('Hi <b> 😀');
    expect(() => parseFeed('<html><body>Wartung</body></html>', 'text/html', 'comment')).toThrow(FeedFormatError);
    expect(() => parseFeed('{"items": 3}', 'application/json', 'comment')).toThrow(/items/);
    expect(() => parseFeed('<rss><channel><item>', 'application/rss+xml', 'comment')).toThrow(FeedFormatError);
  });

  it('does not expand entities declared by the document', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <rss><channel><item><guid>x</guid><description>&b;</description></item></channel></rss>`;
    let text = '';
    try { text = parseFeed(bomb, 'application/rss+xml', 'comment').items[0]?.text ?? ''; } catch { /* refused is fine too */ }
    expect(text.length).toBeLessThan(200);
  });
});

describe('Bluesky notifications', () => {
  const base = {
    uri: 'at://did:plc:anna/app.bsky.feed.post/3abc', cid: 'bafy', indexedAt: '2026-11-25T10:00:05.000Z',
    author: { did: 'did:plc:anna', handle: 'anna.test', displayName: 'Anna' },
    record: { $type: 'app.bsky.feed.post', text: 'Schau https://t.co/x', createdAt: '2026-11-25T10:00:00.000Z', langs: ['de-DE'],
      facets: [{ features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org/volle-adresse' }] }] },
  };

  it('maps a mention with the full link from the facet and the language', () => {
    const it = notificationToItem({ ...base, reason: 'mention' }, 'https://bsky.app')!;
    expect(it).toMatchObject({ kind: 'mention', threadId: base.uri, parentId: null, language: 'de', links: ['https://example.org/volle-adresse'], createdAt: '2026-11-25T10:00:00.000Z', permalink: 'https://bsky.app/profile/anna.test/post/3abc' });
  });

  it('skips likes, follows and unknown reasons, and malformed records', () => {
    for (const reason of ['like', 'repost', 'follow', 'starterpack-joined', 'something-new']) expect(notificationToItem({ ...base, reason }, 'https://bsky.app')).toBeNull();
    expect(notificationToItem({ ...base, reason: 'reply', record: { text: 42 } }, 'https://bsky.app')).toBeNull();
    expect(notificationToItem({ reason: 'reply' }, 'https://bsky.app')).toBeNull();
  });

  it('uses the network\'s time when the author\'s clock is far off', () => {
    const it = notificationToItem({ ...base, reason: 'reply', record: { ...base.record, createdAt: '1999-01-01T00:00:00Z' } }, 'https://bsky.app')!;
    expect(it.createdAt).toBe(base.indexedAt);
  });
});

describe('Retry-After', () => {
  it('reads seconds, an HTTP date and ratelimit-reset', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterFrom(new Headers({ 'retry-after': '120' }), now)).toBe(120);
    expect(retryAfterFrom(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:01:30 GMT' }), now)).toBe(90);
    expect(retryAfterFrom({ 'ratelimit-reset': String(now / 1000 + 30) }, now)).toBe(30);
    expect(retryAfterFrom(new Headers({}), now)).toBeNull();
  });
});
