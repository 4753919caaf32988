// The workspace's community guidelines and reply style guide: Markdown documents whose headings
// are sections that feedback and practice cases cite as "<document>#<anchor>". The server never
// turns them into HTML; the web app renders them to React elements.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';

export const GUIDELINE_DOCS = ['community', 'style'] as const;
export type GuidelineDoc = (typeof GUIDELINE_DOCS)[number];

const DEFAULTS: Record<GuidelineDoc, { title: string; body: string }> = {
  community: {
    title: 'Community-Richtlinien',
    body: `# Community-Richtlinien

## Respekt
Wir streiten über Sachen, nicht über Menschen. Beleidigungen blenden wir aus und sagen warum.

## Hass und Drohungen
Angriffe auf Menschen wegen ihrer Herkunft, Religion, ihres Geschlechts oder ihrer Sexualität und jede Drohung werden gelöscht; Drohungen melden wir.

## Spam
Werbung ohne Bezug zum Thema und wiederholte gleiche Beiträge blenden wir aus.

## Falschinformationen
Wir antworten mit Quellen, bevor wir ausblenden.
`,
  },
  style: {
    title: 'Stil für Antworten',
    body: `# Stil für Antworten

## Ton
Wir duzen, schreiben freundlich und ohne Floskeln.

## Genauigkeit
Nur zusagen, was stimmt; im Zweifel nachfragen und Bescheid geben.

## Empathie
Erst das Anliegen anerkennen, dann die Antwort.

## Tempo
Lieber eine kurze Zwischenantwort als gar keine.
`,
  },
};

/** A heading's anchor: lower case, umlauts spelled out, everything else a hyphen. */
export function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'abschnitt';
}

/** The sections (headings of level 1–3, outside code blocks) with their anchors. */
export function sectionsOf(markdown: string): { anchor: string; title: string; level: number }[] {
  const out: { anchor: string; title: string; level: number }[] = [];
  const seen = new Map<string, number>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const m = !inCode && /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = anchorOf(m[2]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ anchor: n ? `${base}-${n + 1}` : base, title: m[2], level: m[1].length });
  }
  return out;
}

export async function guidelines(db: Db, workspaceId: string) {
  const rows = await db.query<{ slug: GuidelineDoc; title: string; body: string; updated_at: Date }>(`select slug, title, body, updated_at from guidelines where workspace_id = $1`, [workspaceId]);
  return GUIDELINE_DOCS.map((slug) => {
    const row = rows.find((r) => r.slug === slug);
    const doc = row ?? { ...DEFAULTS[slug], updated_at: null };
    return { slug, title: doc.title, body: doc.body, sections: sectionsOf(doc.body), updatedAt: doc.updated_at ? new Date(doc.updated_at).toISOString() : null };
  });
}

/** Checks a citation "<document>#<anchor>" against the workspace's documents; null passes. */
export async function checkSection(db: Db, workspaceId: string, ref: string | null | undefined, field: string): Promise<string | null> {
  if (!ref) return null;
  const [doc, anchor] = ref.split('#');
  const found = (await guidelines(db, workspaceId)).find((d) => d.slug === doc);
  if (!found || !found.sections.some((s) => s.anchor === anchor)) {
    throw new HttpError(400, 'invalid_input', `${field}: no section "${ref}" in the guidelines (write it as community#anchor or style#anchor)`);
  }
  return ref;
}
