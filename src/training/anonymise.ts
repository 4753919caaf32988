// Past cases become practice material without their people: the author's name and handle, every
// @mention, links and e-mail addresses are replaced by neutral stand-ins, consistently within one
// case (the same person is always "Person A"), so the case still reads like a conversation.

export interface KnownPerson { name?: string | null; handle?: string | null }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A letter, digit or underscore in any script: a known name only counts as a whole word. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const MENTION = /@[\p{L}\p{N}_.-]+(?:@[\p{L}\p{N}.-]+)?/gu;
const LINK = /https?:\/\/\S+/gi;
const EMAIL = /@?[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

export function anonymiser(people: KnownPerson[]) {
  const aliases = new Map<string, string>();
  const alias = (key: string) => {
    const k = key.toLowerCase();
    if (!aliases.has(k)) aliases.set(k, String.fromCharCode(65 + (aliases.size % 26)) + (aliases.size >= 26 ? String(Math.floor(aliases.size / 26)) : ''));
    return aliases.get(k)!;
  };
  // Every spelling of every known person, longest first ("Anna Schmidt" before "Anna"), in one
  // pattern (one compiled expression per case keeps a 500-case set fast).
  const byWord = new Map<string, string>();
  for (const p of people) {
    const handle = p.handle?.replace(/^@/, '').trim();
    const key = handle || p.name?.trim() || '';
    if (!key) continue;
    const id = alias(key);
    const words: string[] = [];
    if (handle) words.push(handle, handle.split('@')[0]);
    if (p.name?.trim()) words.push(p.name.trim(), ...p.name.trim().split(/\s+/).filter((w) => w.length >= 3));
    for (const w of words) if (!byWord.has(w.toLowerCase())) byWord.set(w.toLowerCase(), `Person ${id}`);
  }
  const known = byWord.size ? new RegExp(`@?(?:${[...byWord.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})`, 'gi') : null;
  return (text: string): string => {
    // Addresses first (a known fediverse handle looks like one): known people by name, others hidden.
    let out = text.replace(LINK, '[Link]').replace(EMAIL, (m) => {
      const bare = m.replace(/^@/, '').toLowerCase();
      return byWord.get(bare) ?? (m.startsWith('@') ? `@person-${alias(bare).toLowerCase()}` : '[E-Mail]');
    });
    if (known) {
      out = out.replace(known, (m, offset: number, whole: string) => {
        const before = whole[offset - 1] ?? '';
        const after = whole[offset + m.length] ?? '';
        if (WORD_CHAR.test(before) || WORD_CHAR.test(after)) return m;
        return byWord.get(m.replace(/^@/, '').toLowerCase()) ?? m;
      });
    }
    // Anyone else mentioned: also a stand-in, the same one for the same handle.
    return out.replace(MENTION, (m) => `@person-${alias(m.slice(1)).toLowerCase()}`);
  };
}
