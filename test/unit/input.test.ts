// The pieces every way in shares: item validation, UTF-8 decoding, links, webhook signatures.
import { describe, it, expect } from 'vitest';
import { parseItem, unflatten } from '../../src/core/item.js';
import { decodeUtf8, decodeStrict, InvalidUtf8Error } from '../../src/core/utf8.js';
import { extractLinks } from '../../src/core/text/links.js';
import { signPayload, verifySignature } from '../../src/connectors/signature.js';

describe('parseItem', () => {
  it('fills defaults and keeps the row as the raw payload', () => {
    const r = parseItem({ platform: 'youtube', platformId: 'c1', text: 'Hallo' }, 1);
    expect(r).toMatchObject({ ok: true, item: { kind: 'comment', links: [], media: [], author: {}, raw: { platform: 'youtube', platformId: 'c1', text: 'Hallo' } } });
  });
  it('names every bad field of a row', () => {
    const r = parseItem({ platform: 'youtube', platformId: '', text: 'x', kind: 'tweet', permalink: 'javascript:alert(1)', createdAt: 'yesterday' }, 7);
    expect(r.ok).toBe(false);
    const fields = !r.ok ? r.errors.map((e) => `${e.row}:${e.field}`) : [];
    expect(fields.sort()).toEqual(['7:createdAt', '7:kind', '7:permalink', '7:platformId']);
  });
  it('refuses lone surrogates anywhere in the row', () => {
    const r = parseItem({ platform: 'x', platformId: '1', text: 'ok', raw: { deep: ['a\uD800b'] } }, 1);
    expect(r).toEqual({ ok: false, errors: [{ row: 1, field: 'raw.deep.0', message: 'contains invalid Unicode (invalid UTF-8 or a lone surrogate)' }] });
  });
  it('turns CSV columns into the nested shape', () => {
    expect(unflatten({ 'author.handle': '@a', links: 'https://a.example https://b.example', text: 'hi', permalink: '' }))
      .toEqual({ author: { handle: '@a' }, links: ['https://a.example', 'https://b.example'], text: 'hi' });
  });
});

describe('UTF-8', () => {
  it('marks invalid bytes so validation can name the field, unless real U+FFFD is present', () => {
    const bad = Buffer.from([0x61, 0xff, 0x62]);
    expect(decodeUtf8(bad).isWellFormed()).toBe(false);
    expect(decodeStrict(bad)).toBeNull();
    const mixed = Buffer.concat([Buffer.from('ok \uFFFD '), bad]);
    expect(() => decodeUtf8(mixed)).toThrow(InvalidUtf8Error);
    try { decodeUtf8(mixed); } catch (e) { expect((e as InvalidUtf8Error).offset).toBe(8); }
    expect(decodeUtf8(Buffer.from('Grüße'))).toBe('Grüße');
  });
});

describe('extractLinks', () => {
  it('finds links without trailing punctuation, and stays linear on hostile input', () => {
    expect(extractLinks('Siehe https://example.org/a?b=1. Und (http://x.example/y)!')).toEqual(['https://example.org/a?b=1', 'http://x.example/y']);
    const hostile = 'http://a' + '.'.repeat(200_000) + 'b';
    const t0 = performance.now();
    extractLinks(hostile + ' ' + 'http://x' + ')'.repeat(200_000));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('webhook signatures', () => {
  const body = Buffer.from('{"a":1}');
  const now = 1_800_000_000;
  it('accepts the right signature inside the window only', () => {
    const signature = signPayload('s3cret', now, body);
    expect(verifySignature({ secret: 's3cret', body, signature, timestamp: String(now), nowSeconds: now + 299 })).toEqual({ ok: true });
    expect(verifySignature({ secret: 's3cret', body, signature, timestamp: String(now), nowSeconds: now + 301 }).ok).toBe(false);
    expect(verifySignature({ secret: 'other', body, signature, timestamp: String(now), nowSeconds: now }).ok).toBe(false);
    expect(verifySignature({ secret: 's3cret', body: Buffer.from('{"a":2}'), signature, timestamp: String(now), nowSeconds: now }).ok).toBe(false);
    expect(verifySignature({ secret: 's3cret', body, signature: undefined, timestamp: String(now), nowSeconds: now }).ok).toBe(false);
  });
});
