// Pure helpers for identity linking: what a profile says (links, e-mail, bio), the forms an
// account's address takes, handle and name normalisation, name similarity.

/** A URL or account address in one comparable form: no scheme, no www., lower case, no trailing slash. */
export function normaliseAddress(url: string): string {
  return url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/#?]+$/, '');
}

/** The addresses one account is known under: its profile URL and the URL forms of its handle. */
export function addressesOf(platform: string, handle: string | null, profileUrl: string | null): string[] {
  const out: string[] = [];
  if (profileUrl) out.push(normaliseAddress(profileUrl));
  const h = handle?.trim().toLowerCase();
  if (h) {
    const fedi = /^@?([a-z0-9_.-]+)@([a-z0-9.-]+\.[a-z]{2,})$/.exec(h);
    if (fedi && platform !== 'email') out.push(`${fedi[2]}/@${fedi[1]}`, `@${fedi[1]}@${fedi[2]}`);
    if (platform === 'bluesky') out.push(`bsky.app/profile/${h.replace(/^@/, '')}`, `@${h.replace(/^@/, '')}`);
    if (platform === 'x') out.push(`x.com/${h.replace(/^@/, '')}`, `twitter.com/${h.replace(/^@/, '')}`);
    if (platform === 'instagram') out.push(`instagram.com/${h.replace(/^@/, '')}`);
  }
  return [...new Set(out)];
}

export interface Profile { email: string | null; emailVerified: boolean; bio: string | null; links: string[] }

const URL_RE = /https?:\/\/[^\s<>"')\]]+/gi;
const FEDI_RE = /@[a-z0-9_.-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const BSKY_RE = /@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.bsky\.social/gi;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
/** Profile text may be HTML (Mastodon's note): the links are in href, the words between tags. */
const textOf = (v: string) => v.replace(/<[^>]*href="([^"]+)"[^>]*>/gi, ' $1 ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/**
 * What the platform's profile object in a raw payload says about the account. Reads the fields
 * the platforms use: Mastodon `account` (note, fields), Bluesky `author` (description), forums
 * and exports `user`/`profile` (bio, website, links, email + email_verified).
 */
export function profileOf(raw: unknown): Profile | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, any>;
  const p = [r.author, r.account, r.user, r.profile].find((x) => x && typeof x === 'object' && !Array.isArray(x));
  if (!p) return null;
  const bioRaw = str(p.note) ?? str(p.description) ?? str(p.bio) ?? str(p.about);
  const bio = bioRaw ? textOf(bioRaw).slice(0, 2000) : null;
  const texts = [bioRaw ? textOf(bioRaw) : '', str(p.website) ?? '', ...(Array.isArray(p.links) ? p.links.filter((x: unknown) => typeof x === 'string') : []),
    ...(Array.isArray(p.fields) ? p.fields.map((f: any) => (typeof f?.value === 'string' ? textOf(f.value) : '')) : [])].join(' ');
  const links = [...(texts.match(URL_RE) ?? []), ...(texts.match(FEDI_RE) ?? []), ...(texts.match(BSKY_RE) ?? [])].map(normaliseAddress);
  const email = str(p.email)?.trim().toLowerCase() ?? null;
  const emailVerified = !!email && (p.email_verified === true || p.emailVerified === true || p.verified_email === true);
  return { email, emailVerified, bio, links: [...new Set(links)].slice(0, 50) };
}

/**
 * The handle without platform decoration: "@Anna_Berg@social.example", "anna-berg.bsky.social",
 * Instagram's "anna.berg" -> "annaberg". Only a Bluesky handle is a domain name (its first label
 * is the name); elsewhere a dot is part of the name, so "anna.berg" must not shrink to "anna".
 * E-mail has no handle: an address's local part is mostly made from the person's name (so it is
 * no evidence beside a similar name), and the From line can be forged.
 */
export function handleBase(platform: string, handle: string | null): string | null {
  if (!handle || platform === 'email') return null;
  let h = handle.trim().toLowerCase().replace(/^@/, '');
  h = h.split('@')[0];
  if (platform === 'bluesky') h = h.split('.')[0];
  h = h.replace(/[^a-z0-9]/g, '');
  return h.length >= 4 ? h : null;
}

const FOLD: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
/** Lower case, umlauts spelled out, other accents dropped, only letters, digits and single spaces. */
export function normaliseName(name: string | null): string {
  if (!name) return '';
  return name.toLowerCase().replace(/[äöüß]/g, (c) => FOLD[c]).normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]/g, ' ').replace(/\s+/g, ' ').trim();
}

function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const am = new Array(a.length).fill(false), bm = new Array(b.length).fill(false);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (!bm[j] && a[i] === b[j]) { am[i] = bm[j] = true; m++; break; }
    }
  }
  if (!m) return 0;
  let t = 0, k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!am[i]) continue;
    while (!bm[k]) k++;
    if (a[i] !== b[k++]) t++;
  }
  const jaro = (m / a.length + m / b.length + (m - t / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Similarity of two display names, 0..1; word order does not matter ("Berg, Anna" = "Anna Berg").
 * Numbers in names must agree: "Team 1" and "Team 2" are not a typo of each other.
 */
export function nameSimilarity(a: string | null, b: string | null): number {
  const x = normaliseName(a), y = normaliseName(b);
  if (!x || !y) return 0;
  const digits = (s: string) => (s.match(/\d+/g) ?? []).join(' ');
  if (digits(x) !== digits(y)) return 0;
  const sorted = (s: string) => s.split(' ').sort().join(' ');
  return Math.max(jaroWinkler(x, y), jaroWinkler(sorted(x), sorted(y)));
}

/** Names this close count as "similar" (same person writing their name a little differently). */
export const SIMILAR_NAME = 0.9;
