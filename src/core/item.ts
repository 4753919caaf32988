// The normalised item as it enters Allmende, and the validation every way in (API, webhook,
// import) shares. Validation is per row so one bad row never costs the good ones.
import { z } from 'zod';
import { PLATFORMS, ITEM_KINDS } from './platforms.js';

export const MAX_TEXT = 100_000;

// PostgreSQL text cannot hold NUL, and a silently stripped NUL would change what was said.
const safeString = (max: number) => z.string().max(max, `longer than ${max} characters`);
const optionalString = (max: number) => safeString(max).nullish();
const httpUrl = z.string().max(2048).refine((s) => { try { return /^https?:$/.test(new URL(s).protocol); } catch { return false; } }, 'not an http(s) URL');

export const itemInput = z.object({
  platform: z.enum(PLATFORMS, { message: `unknown platform; known: ${PLATFORMS.join(', ')}` }),
  connection: optionalString(200),
  platformId: safeString(512).min(1, 'is empty'),
  kind: z.enum(ITEM_KINDS, { message: `unknown kind; known: ${ITEM_KINDS.join(', ')}` }).default('comment'),
  threadId: optionalString(512),
  parentId: optionalString(512),
  author: z.object({
    platformUserId: optionalString(512),
    handle: optionalString(512),
    displayName: optionalString(1000),
    profileUrl: httpUrl.nullish(),
  }).default({}),
  text: safeString(MAX_TEXT),
  language: z.string().regex(/^[a-z]{2,3}$/, 'not an ISO 639 language code').nullish(),
  links: z.array(httpUrl).max(1000).default([]),
  media: z.array(z.object({ url: httpUrl, type: optionalString(100), alt: optionalString(5000) })).max(100).default([]),
  createdAt: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).nullish(),
  permalink: httpUrl.nullish(),
  raw: z.unknown().optional(),
});
export type ItemInput = z.infer<typeof itemInput>;

export interface RowError { row: number; field: string; message: string }

/** Validates one row; `row` is the 1-based position in the batch or file, for the error text. */
export function parseItem(value: unknown, row: number): { ok: true; item: ItemInput } | { ok: false; errors: RowError[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: [{ row, field: '(row)', message: 'must be a JSON object' }] };
  }
  const bad = findBadString(value, '');
  if (bad) return { ok: false, errors: [{ row, ...bad }] };
  const r = itemInput.safeParse(value);
  // The row as it came is the audit copy unless the sender gave the platform's payload as `raw`.
  if (r.success) return { ok: true, item: { ...r.data, raw: r.data.raw ?? value } };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      row,
      field: i.path.join('.') || '(row)',
      message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
    })),
  };
}

/** Flat rows (CSV columns such as `author.handle`, `links` separated by spaces) to the nested shape. */
export function unflatten(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const [key, raw] of Object.entries(row)) {
    if (raw === '' || raw === undefined) continue;
    if (key === 'links') { out.links = raw.split(/\s+/).filter(Boolean); continue; }
    if (key === 'media') { out.media = raw.split(/\s+/).filter(Boolean).map((url) => ({ url })); continue; }
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) at = at[p] ??= {};
    at[parts[parts.length - 1]] = raw;
  }
  return out;
}

/**
 * PostgreSQL stores neither NUL nor lone UTF-16 surrogates (text or jsonb); silently dropping them
 * would change what a person wrote, so the row is refused, naming the field. Checks every string,
 * including the fields Allmende does not read, since the whole row is kept as the raw payload.
 */
function findBadString(value: unknown, path: string): { field: string; message: string } | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path || '(row)', message: 'contains a NUL character' };
    if (!value.isWellFormed()) return { field: path || '(row)', message: 'contains invalid Unicode (invalid UTF-8 or a lone surrogate)' };
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000') || !k.isWellFormed()) return { field: path || '(row)', message: 'has a field name with invalid characters' };
      const bad = findBadString(v, path ? `${path}.${k}` : k);
      if (bad) return bad;
    }
  }
  return null;
}
