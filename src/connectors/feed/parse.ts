// RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed to normalised items. Feed HTML becomes plain text:
// it is shown as text anyway, and the rules read words, not markup.
import { XMLParser } from 'fast-xml-parser';
import { createHash } from 'node:crypto';
import type { ItemInput } from '../../core/item.js';
import { extractLinks } from '../../core/text/links.js';

export class FeedFormatError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Markup to text: block ends become line breaks, tags go, entities are decoded once. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\u0000/g, '')
    .replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

const text = (v: unknown): string => {
  if (v == null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && '#text' in (v as any)) return String((v as any)['#text']);
  return '';
};
const list = <T>(v: T | T[] | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);
const iso = (v: unknown): string | null => {
  const s = text(v).trim();
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};
const http = (v: unknown): string | null => {
  const s = text(v).trim();
  try { return /^https?:$/.test(new URL(s).protocol) && s.length <= 2048 ? new URL(s).toString() : null; } catch { return null; }
};
const withoutFragment = (u: string | null) => (u ? u.split('#')[0] : null);

interface Entry { id: string | null; link: string | null; inReplyTo: string | null; author: string | null; authorUrl: string | null; body: string; title: string; date: string | null }

function toItem(e: Entry, kind: 'post' | 'comment'): ItemInput | null {
  const body = htmlToText(e.body || e.title);
  if (!body) return null;
  const platformId = e.id || e.link || `sha256:${createHash('sha256').update(`${e.title}\u0000${e.date}\u0000${body}`).digest('hex')}`;
  return {
    platform: 'feed', platformId: platformId.slice(0, 512), kind,
    // A comment feed's entries answer the post they are linked to (#comment-… on the post's page).
    threadId: (e.inReplyTo ?? withoutFragment(e.link) ?? platformId).slice(0, 512),
    parentId: e.inReplyTo?.slice(0, 512) ?? null,
    author: { platformUserId: e.author?.slice(0, 512) ?? null, handle: e.author?.slice(0, 512) ?? null, displayName: e.author?.slice(0, 1000) ?? null, profileUrl: e.authorUrl },
    text: body, language: null, links: extractLinks(body), media: [],
    createdAt: e.date, permalink: e.link,
    raw: { id: e.id, link: e.link, title: e.title || null, author: e.author, date: e.date },
  };
}

/** Parses a feed document; throws FeedFormatError when it is none of the known formats. */
export function parseFeed(body: string, contentType: string, kind: 'post' | 'comment'): { items: ItemInput[]; skipped: number } {
  const entries: Entry[] = [];
  const trimmed = body.trimStart();
  if (/json/i.test(contentType) || trimmed.startsWith('{')) {
    let doc: any;
    try { doc = JSON.parse(body); } catch { throw new FeedFormatError('not valid JSON'); }
    if (!Array.isArray(doc?.items)) throw new FeedFormatError('JSON Feed without "items"');
    for (const it of doc.items) {
      const author = it?.authors?.[0] ?? it?.author;
      entries.push({
        id: it?.id != null ? String(it.id) : null, link: http(it?.url), inReplyTo: null,
        author: typeof author?.name === 'string' ? author.name : null, authorUrl: http(author?.url),
        body: typeof it?.content_text === 'string' ? it.content_text : typeof it?.content_html === 'string' ? it.content_html : '',
        title: typeof it?.title === 'string' ? it.title : '', date: iso(it?.date_published ?? it?.date_modified),
      });
    }
  } else {
    let doc: any;
    try {
      // No DTDs or entity expansion from the document: a feed is hostile input.
      doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: false, processEntities: true, htmlEntities: false, allowBooleanAttributes: true }).parse(body, true);
    } catch (e: any) {
      throw new FeedFormatError(`not well-formed XML: ${e.message}`);
    }
    const channel = doc?.rss?.channel ?? doc?.['rdf:RDF'];
    if (channel) {
      const items = list(doc?.rss ? channel.item : doc['rdf:RDF'].item);
      for (const it of items) {
        const guid = text(it?.guid) || text(it?.['@rdf:about']) || null;
        entries.push({
          id: guid, link: http(it?.link), inReplyTo: null,
          author: text(it?.['dc:creator']) || text(it?.author).replace(/^\S+@\S+\s*\((.*)\)$/, '$1') || null, authorUrl: null,
          body: text(it?.['content:encoded']) || text(it?.description), title: text(it?.title), date: iso(it?.pubDate ?? it?.['dc:date']),
        });
      }
    } else if (doc?.feed) {
      for (const it of list(doc.feed.entry)) {
        const links = list<any>(it?.link);
        const alt = links.find((l) => !l?.['@rel'] || l['@rel'] === 'alternate');
        const reply = list<any>(it?.['thr:in-reply-to'])[0];
        const author = list<any>(it?.author)[0];
        entries.push({
          id: text(it?.id) || null, link: http(alt?.['@href']), inReplyTo: reply?.['@ref'] ? String(reply['@ref']) : null,
          author: text(author?.name) || null, authorUrl: http(author?.uri),
          body: text(it?.content) || text(it?.summary), title: text(it?.title), date: iso(it?.published ?? it?.updated),
        });
      }
    } else {
      throw new FeedFormatError('neither RSS, Atom nor JSON Feed');
    }
  }
  const items: ItemInput[] = [];
  let skipped = 0;
  for (const e of entries) {
    const it = toItem(e, kind);
    if (it) items.push(it); else skipped++;
  }
  return { items, skipped };
}
