// Every problem a word list can have, in English and German, like the rule language's messages:
// a stable `code` (for the UI and tests), the English `message` and the German `messageDe`.
// The word-list editor shows the one that matches the user's language.

type P = Record<string, string | number>;
const n = (v: string | number, locale: 'en' | 'de') => (typeof v === 'number' ? v.toLocaleString(locale === 'en' ? 'en' : 'de-DE') : v);

const CATALOG: Record<string, (p: P, l: 'en' | 'de') => [en: string, de: string]> = {
  not_a_string: () => ['the list text must be a string', 'der Listentext muss ein Text sein'],
  text_too_long: (p, l) => [`the list text has ${n(p.length, l)} characters; at most ${n(p.max, l)}`,
    `der Listentext hat ${n(p.length, l)} Zeichen; erlaubt sind höchstens ${n(p.max, l)}`],
  line_too_long: (p) => [`line is longer than ${p.max} characters`, `die Zeile ist länger als ${p.max} Zeichen`],
  too_many_lines: (p, l) => [`more than ${n(p.max, l)} entries; a list may have at most that many — split it into several lists (reading stopped here)`,
    `mehr als ${n(p.max, l)} Einträge; mehr darf eine Liste nicht haben – teile sie auf mehrere Listen auf (hier wurde aufgehört zu lesen)`],
  too_many_fields: (p) => [`expected "category<TAB>mode<TAB>term", found ${p.count} TAB-separated fields`,
    `erwartet „Kategorie<TAB>Modus<TAB>Begriff“, gefunden: ${p.count} durch TAB getrennte Felder`],
  unknown_category: (p) => [`unknown category "${p.category}"; expected one of ${p.expected}${p.orAllow ? ' or allow' : ''}`,
    `unbekannte Kategorie „${p.category}“; erwartet: ${p.expected}${p.orAllow ? ' oder allow' : ''}`],
  unknown_mode: (p) => [`unknown mode "${p.mode}"; expected one of ${p.expected}`, `unbekannter Modus „${p.mode}“; erwartet: ${p.expected}`],
  no_term: (p) => [`no term after "${p.head}"`, `kein Begriff nach „${p.head}“`],
  not_arrays: () => ['entries and allow must be arrays', 'entries und allow müssen Listen sein'],
  too_many_entries: (p, l) => [`${n(p.count, 'en')} entries (terms and allow entries); a list may have at most ${n(p.max, 'en')} — split it into several lists`,
    `${n(p.count, l)} Einträge (Begriffe und Ausnahmen); eine Liste darf höchstens ${n(p.max, l)} haben – teile sie auf mehrere Listen auf`],
  empty_term: () => ['empty term', 'leerer Begriff'],
  empty_allow: () => ['empty allow entry', 'leere Ausnahme'],
  term_too_long: (p) => [`term is longer than ${p.max} characters`, `der Begriff ist länger als ${p.max} Zeichen`],
  folds_too_short: (p) => [
    `folds to "${p.key}" (${p.length} character${p.length === 1 ? '' : 's'}); ${p.mode} terms need at least ${p.min}` + (p.mode !== 'word' ? ' — use mode "word" for a short whole word' : ''),
    `wird zu „${p.key}“ (${p.length} Zeichen); Begriffe im Modus ${p.mode} brauchen mindestens ${p.min}` + (p.mode !== 'word' ? ' – nimm den Modus „word“ für ein kurzes ganzes Wort' : ''),
  ],
  folds_too_long: (p) => [`folds to ${p.length} characters; at most ${p.max}`, `wird zu ${p.length} Zeichen; erlaubt sind höchstens ${p.max}`],
  no_letter: () => ['has no letter or digit', 'enthält keinen Buchstaben und keine Ziffer'],
  allow_same_as_term: (p) => [`allow entry is the same as the term "${p.other}" and would switch it off; remove one of them`,
    `die Ausnahme ist derselbe Begriff wie „${p.other}“ und würde ihn abschalten; entferne eins von beiden`],
  term_same_as_allow: (p) => [`term is the same as the allow entry "${p.other}"; remove one of them`,
    `der Begriff ist derselbe wie die Ausnahme „${p.other}“; entferne eins von beiden`],
  duplicate: (p) => [
    `duplicate of ${p.line !== '' ? `line ${p.line}` : `entry ${p.entry}`} (same folded term, category and mode); ignored`,
    `doppelt (wie ${p.line !== '' ? `Zeile ${p.line}` : `Eintrag ${p.entry}`}: gleicher Begriff, gleiche Kategorie und gleicher Modus); wird ignoriert`,
  ],
  not_an_object: () => ['entry is not an object', 'der Eintrag ist kein Objekt'],
  allow_not_string_or_object: () => ['allow entry is neither a string nor an object', 'die Ausnahme ist weder ein Text noch ein Objekt'],
  too_many_chars: (p, l) => [`${n(p.count, 'en')} folded characters in all; a list may have at most ${n(p.max, 'en')}`,
    `insgesamt ${n(p.count, l)} Zeichen; eine Liste darf höchstens ${n(p.max, l)} haben`],
  allow_no_effect: (p) => [
    `allow entry contains no term of this list${p.others ? ' or of the lists matched with it' : ''}, so it allows nothing`,
    `die Ausnahme enthält keinen Begriff dieser Liste${p.others ? ' oder der mit ihr geprüften Listen' : ''} und bewirkt deshalb nichts`,
  ],
};

export interface ProblemText { code: string; message: string; messageDe: string }

export function problemText(code: string, params: P = {}): ProblemText {
  const entry = CATALOG[code];
  if (entry === undefined) throw new Error(`word lists: no message for ${code}`);
  return { code, message: entry(params, 'en')[0], messageDe: entry(params, 'de')[1] };
}
