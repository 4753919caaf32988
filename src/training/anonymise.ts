// Past cases become practice material without their people: the author's name and handle, every
// @mention, links and e-mail addresses are replaced by neutral stand-ins, consistently within one
// case (the same person is always "Person A"), so the case still reads like a conversation.

export interface KnownPerson { name?: string | null; handle?: string | null }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function anonymiser(people: KnownPerson[]) {
  const aliases = new Map<string, string>();
  const alias = (key: string) => {
    const k = key.toLowerCase();
    if (!aliases.has(k)) aliases.set(k, String.fromCharCode(65 + (aliases.size % 26)) + (aliases.size >= 26 ? String(Math.floor(aliases.size / 26)) : ''));
    return aliases.get(k)!;
  };
  // Longest first, so "Anna Schmidt" goes before "Anna".
  const replacements: { pattern: RegExp; by: string }[] = [];
  for (const p of people) {
    const handle = p.handle?.replace(/^@/, '').trim();
    const key = handle || p.name?.trim() || '';
    if (!key) continue;
    const id = alias(key);
    const words: string[] = [];
    if (handle) words.push(handle, handle.split('@')[0]);
    if (p.name?.trim()) words.push(p.name.trim(), ...p.name.trim().split(/\s+/).filter((w) => w.length >= 3));
    for (const w of words) replacements.push({ pattern: new RegExp(`@?(?<![\\p{L}\\p{N}_])${escape(w)}(?![\\p{L}\\p{N}_])`, 'giu'), by: `Person ${id}` });
  }
  replacements.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  return (text: string): string => {
    let out = text
      .replace(/https?:\/\/\S+/gi, '[Link]')
      .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[E-Mail]');
    for (const r of replacements) out = out.replace(r.pattern, r.by);
    // Anyone else mentioned: also a stand-in, the same one for the same handle.
    out = out.replace(/@[\p{L}\p{N}_.-]+(?:@[\p{L}\p{N}.-]+)?/gu, (m) => `@person-${alias(m.slice(1)).toLowerCase()}`);
    return out;
  };
}
