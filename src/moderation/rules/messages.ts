// Every message the rule language can show, in English and German. An error or warning carries a
// stable `code` (for the UI and tests), the English `message` and the German `messageDe`; the
// editor shows the one that matches the user's language.

export interface Message { code: string; message: string; messageDe: string }

type P = Record<string, string | number>;
type Entry = (p: P) => [en: string, de: string];

const q = (s: string | number) => `"${s}"`;
const mean = (s: string | number | undefined, en: boolean) =>
  s === undefined || s === '' ? '' : en ? ` Did you mean ${s}?` : ` Meintest du ${s}?`;

// RE2's own error descriptions (re2js Parser.ERR_*), in plain words.
const RE2_ERRORS: Record<string, [string, string]> = {
  'invalid character class range': ['invalid range in [...]', 'ungültiger Bereich in [...]'],
  'invalid escape sequence': ['unknown escape sequence', 'unbekannte Escape-Sequenz'],
  'invalid named capture': ['invalid named group', 'ungültige benannte Gruppe'],
  'invalid or unsupported Perl syntax': ['unsupported syntax', 'nicht unterstützte Schreibweise'],
  'invalid nested repetition operator': ['two repetition operators in a row (such as ** or +*)', 'zwei Wiederholungszeichen hintereinander (etwa ** oder +*)'],
  'invalid repeat count': ['invalid repeat count (at most 1000)', 'ungültige Wiederholungszahl (höchstens 1000)'],
  'missing closing ]': ['a ] is missing', 'es fehlt eine ]'],
  'missing closing )': ['a ) is missing', 'es fehlt eine )'],
  'missing argument to repetition operator': ['*, + or ? without anything to repeat before it', '*, + oder ? ohne etwas davor, das wiederholt werden kann'],
  'trailing backslash at end of expression': ['a backslash at the end', 'ein Backslash am Ende'],
  'duplicate capture group name': ['a group name is used twice', 'ein Gruppenname kommt doppelt vor'],
  'unexpected )': ['a ) without its (', 'eine ) ohne passende ('],
  'expression nests too deeply': ['too many nested groups', 'zu viele verschachtelte Gruppen'],
  'expression too large': ['the expression is too large', 'der Ausdruck ist zu groß'],
};

const CATALOG: Record<string, Entry> = {
  // limits
  'source-too-large': (p) => [
    `The rule text is ${p.kb} KB; at most ${p.max} KB are allowed.`,
    `Der Regeltext ist ${p.kb} KB groß; erlaubt sind höchstens ${p.max} KB.`,
  ],
  'too-many-rules': (p) => [
    `At most ${p.max} rules are allowed in one rule set.`,
    `In einem Regelwerk sind höchstens ${p.max} Regeln erlaubt.`,
  ],
  'too-many-errors': (p) => [
    `More than ${p.max} errors; fix these first.`,
    `Mehr als ${p.max} Fehler; bitte zuerst diese beheben.`,
  ],
  'nesting-too-deep': (p) => [
    `Conditions are nested too deeply (more than ${p.max} levels of brackets or not).`,
    `Die Bedingung ist zu tief verschachtelt (mehr als ${p.max} Ebenen aus Klammern oder not).`,
  ],
  'list-too-long': (p) => [
    `A list may hold at most ${p.max} entries.`,
    `Eine Liste darf höchstens ${p.max} Einträge haben.`,
  ],
  'value-too-long': (p) => [
    `This text is too long (at most ${p.max} characters).`,
    `Dieser Text ist zu lang (höchstens ${p.max} Zeichen).`,
  ],

  // tokens
  'string-unclosed': () => [
    'Text in quotes is not closed: a " is missing before the end of the line.',
    'Der Text in Anführungszeichen ist nicht geschlossen: vor dem Zeilenende fehlt ein ".',
  ],
  'typographic-quote': (p) => [
    `Typographic quote ${p.ch}: write straight quotes "…" (word processors often replace them).`,
    `Typografisches Anführungszeichen ${p.ch}: bitte gerade Anführungszeichen "…" schreiben (Textverarbeitungen ersetzen sie oft).`,
  ],
  'bad-character': (p) => [
    `Unexpected character ${p.ch}.`,
    `Unerwartetes Zeichen ${p.ch}.`,
  ],
  'regex-unclosed': () => [
    'The regex is not closed: a / is missing before the end of the line (write \\/ for a slash inside it).',
    'Der reguläre Ausdruck ist nicht geschlossen: vor dem Zeilenende fehlt ein / (ein Schrägstrich darin wird als \\/ geschrieben).',
  ],
  'regex-inner-slash': () => [
    'This / ends the regex too early: write a slash inside a regex as \\/, e.g. /https?:\\/\\/t\\.me/.',
    'Dieser / beendet den regulären Ausdruck zu früh: ein Schrägstrich darin wird als \\/ geschrieben, z. B. /https?:\\/\\/t\\.me/.',
  ],
  'regex-flag': (p) => [
    `Unknown regex flag ${p.flag}: allowed are i (ignore case), m (^ and $ at every line) and s (. also matches line breaks). A / inside a regex is written \\/.`,
    `Unbekannter Schalter ${p.flag} am regulären Ausdruck: erlaubt sind i (Groß-/Kleinschreibung egal), m (^ und $ an jeder Zeile) und s (. passt auch auf Zeilenumbrüche). Ein / im Ausdruck wird als \\/ geschrieben.`,
  ],

  // structure
  'expected-rule': (p) => [
    `Expected rule "name" here, found ${p.found}.${mean(p.suggest, true)}`,
    `Hier wird rule "Name" erwartet, gefunden: ${p.found}.${mean(p.suggest, false)}`,
  ],
  'rule-name-missing': () => [
    'rule needs a name in quotes, e.g. rule "Spam-Links prüfen".',
    'rule braucht einen Namen in Anführungszeichen, z. B. rule "Spam-Links prüfen".',
  ],
  'rule-name-empty': () => ['The rule name is empty.', 'Der Name der Regel ist leer.'],
  'rule-name-duplicate': (p) => [
    `There is already a rule named ${q(p.name)} (line ${p.line}); rule names must be unique.`,
    `Es gibt schon eine Regel namens ${q(p.name)} (Zeile ${p.line}); Regelnamen müssen eindeutig sein.`,
  ],
  'expected-clause': (p) => [
    `Expected when, unless, then, reason, priority, enabled or disabled, found ${p.found}.${mean(p.suggest, true)}`,
    `Erwartet wird when, unless, then, reason, priority, enabled oder disabled, gefunden: ${p.found}.${mean(p.suggest, false)}`,
  ],
  'clause-twice': (p) => {
    const hints: Record<string, [string, string]> = {
      when: ['combine the conditions with and / or.', 'Bedingungen mit and / or verbinden.'],
      then: ['list all actions after one then, separated by commas.', 'alle Aktionen nach einem then aufzählen, durch Kommas getrennt.'],
      reason: ['a rule has one reason.', 'eine Regel hat einen Grund.'],
      priority: ['a rule has one priority.', 'eine Regel hat eine Priorität.'],
      enabled: ['say enabled or disabled once.', 'enabled oder disabled nur einmal angeben.'],
    };
    const [hEn, hDe] = hints[String(p.clause)] ?? hints.enabled;
    return [
      `This rule already has ${p.clause} (line ${p.line}): ${hEn}`,
      `Diese Regel hat schon ${p.clause} (Zeile ${p.line}): ${hDe}`,
    ];
  },
  'missing-when': (p) => [
    `Rule ${q(p.name)} has no when: say when it applies, e.g. when words.insult >= 1.`,
    `Regel ${q(p.name)} hat kein when: es fehlt, wann sie greift, z. B. when words.insult >= 1.`,
  ],
  'missing-then': (p) => [
    `Rule ${q(p.name)} has no then: say what should happen, e.g. then hold.`,
    `Regel ${q(p.name)} hat kein then: es fehlt, was geschehen soll, z. B. then hold.`,
  ],
  'missing-reason': (p) => [
    `Rule ${q(p.name)} has no reason: every decision needs a reason people can read, e.g. reason "Beleidigung".`,
    `Regel ${q(p.name)} hat kein reason: jede Entscheidung braucht einen lesbaren Grund, z. B. reason "Beleidigung".`,
  ],
  'reason-empty': () => ['The reason is empty; write why the rule acts.', 'Der Grund ist leer; bitte schreiben, warum die Regel eingreift.'],
  'priority-invalid': (p) => [
    `priority needs a whole number from ${p.min} to ${p.max}, found ${p.found}.`,
    `priority braucht eine ganze Zahl von ${p.min} bis ${p.max}, gefunden: ${p.found}.`,
  ],
  'unexpected-after-condition': (p) => [
    `Expected and, or, or the next part of the rule (then, unless, reason …), found ${p.found}.`,
    `Erwartet wird and, or oder der nächste Teil der Regel (then, unless, reason …), gefunden: ${p.found}.`,
  ],

  // conditions
  'expected-condition': (p) => [
    `Expected a condition (e.g. words.insult >= 1, text contains "…", author.trusted), found ${p.found}.`,
    `Erwartet wird eine Bedingung (z. B. words.insult >= 1, text contains "…", author.trusted), gefunden: ${p.found}.`,
  ],
  'expected-close-paren': (p) => [
    `Expected ) to close the ( at line ${p.line}, column ${p.column}; found ${p.found}.`,
    `Erwartet wird ) für die ( in Zeile ${p.line}, Spalte ${p.column}; gefunden: ${p.found}.`,
  ],
  'unknown-field': (p) => [
    `Unknown field ${p.name}.${mean(p.suggest, true)}`,
    `Unbekanntes Feld ${p.name}.${mean(p.suggest, false)}`,
  ],
  'unknown-category': (p) => [
    `Unknown word-list category ${p.name}.${mean(p.suggest, true)} Categories: ${p.list}.`,
    `Unbekannte Wortlisten-Kategorie ${p.name}.${mean(p.suggest, false)} Kategorien: ${p.list}.`,
  ],
  'unknown-label': (p) => [
    `Unknown classifier label ${p.name}.${mean(p.suggest, true)} Labels: ${p.list}.`,
    `Unbekanntes Klassifikator-Label ${p.name}.${mean(p.suggest, false)} Labels: ${p.list}.`,
  ],
  'keyword-case': (p) => [
    `Keywords are written in lower case: ${p.word}.`,
    `Schlüsselwörter werden klein geschrieben: ${p.word}.`,
  ],
  'keyword-as-field': (p) => [
    `${p.name} is a keyword and cannot start a condition here; expected a condition such as words.insult >= 1.`,
    `${p.name} ist ein Schlüsselwort und kann hier keine Bedingung beginnen; erwartet wird z. B. words.insult >= 1.`,
  ],
  'number-field-op': (p) => [
    `${p.field} is a number: compare it with <, <=, >, >=, = or != and a number, e.g. ${p.field} ${p.example}.`,
    `${p.field} ist eine Zahl: vergleichen mit <, <=, >, >=, = oder != und einer Zahl, z. B. ${p.field} ${p.example}.`,
  ],
  'string-field-op': (p) => [
    `${p.field} is text, not a number: use is, is not, in, contains or matches, e.g. ${p.field} ${p.example}.`,
    `${p.field} ist Text, keine Zahl: verwende is, is not, in, contains oder matches, z. B. ${p.field} ${p.example}.`,
  ],
  'text-field-op': () => [
    'text can be checked with contains, contains word or matches, e.g. text contains "gratis".',
    'text wird mit contains, contains word oder matches geprüft, z. B. text contains "gratis".',
  ],
  'bool-field-op': (p) => [
    `${p.field} is yes or no: write ${p.field} or not ${p.field}.`,
    `${p.field} ist ja oder nein: schreib ${p.field} oder not ${p.field}.`,
  ],
  'list-field-op': (p) => p.field === 'domains'
    ? [
      'domains is a list: use domains any ["example.com"], domains contains "…", domains matches /…/ or domains.count.',
      'domains ist eine Liste: verwende domains any ["example.com"], domains contains "…", domains matches /…/ oder domains.count.',
    ]
    : [
      'links is a list: use links contains "…", links matches /…/ or links.count (for domains: domains any [...]).',
      'links ist eine Liste: verwende links contains "…", links matches /…/ oder links.count (für Domains: domains any [...]).',
    ],
  'words-op': () => [
    'words is checked with words any, words any ["threat", "insult"], or counts such as words.insult >= 1.',
    'words wird mit words any, words any ["threat", "insult"] oder Zählungen wie words.insult >= 1 geprüft.',
  ],
  'never-unknown': (p) => [
    `${p.field} is always known; is unknown fits only language, author.handle, author.accountAgeDays and score.… .`,
    `${p.field} ist immer bekannt; is unknown passt nur zu language, author.handle, author.accountAgeDays und score.… .`,
  ],
  'expected-number': (p) => [
    `Expected a number after ${p.after}, found ${p.found}.${p.quoted ? ' Numbers are written without quotes.' : ''}`,
    `Nach ${p.after} wird eine Zahl erwartet, gefunden: ${p.found}.${p.quoted ? ' Zahlen stehen ohne Anführungszeichen.' : ''}`,
  ],
  'decimal-comma': (p) => [
    `Write decimal numbers with a point: ${p.number}.`,
    `Dezimalzahlen werden mit Punkt geschrieben: ${p.number}.`,
  ],
  'expected-string': (p) => [
    `Expected text in quotes after ${p.after}, found ${p.found}.${p.word ? ` Write "${p.word}".` : ''}`,
    `Nach ${p.after} wird Text in Anführungszeichen erwartet, gefunden: ${p.found}.${p.word ? ` Schreib "${p.word}".` : ''}`,
  ],
  'expected-list': (p) => [
    `Expected a list in square brackets after ${p.after}, e.g. ${p.example}.`,
    `Nach ${p.after} wird eine Liste in eckigen Klammern erwartet, z. B. ${p.example}.`,
  ],
  'expected-list-item': (p) => [
    `Expected text in quotes or ] in the list, found ${p.found}.`,
    `In der Liste wird Text in Anführungszeichen oder ] erwartet, gefunden: ${p.found}.`,
  ],
  'expected-list-separator': (p) => [
    `Expected , or ] in the list, found ${p.found}.`,
    `In der Liste wird , oder ] erwartet, gefunden: ${p.found}.`,
  ],
  'list-empty': () => ['The list is empty.', 'Die Liste ist leer.'],
  'expected-regex': (p) => [
    `Expected a regex between slashes after matches, e.g. /gewinn(spiel)?/i; found ${p.found}.`,
    `Nach matches wird ein regulärer Ausdruck zwischen Schrägstrichen erwartet, z. B. /gewinn(spiel)?/i; gefunden: ${p.found}.`,
  ],
  'score-range': (p) => [
    `Scores are between 0 and 1${Number(p.value) > 1 && Number(p.value) <= 100 ? ` (${p.value} % is ${Number(p.value) / 100})` : ''}.`,
    `Scores liegen zwischen 0 und 1${Number(p.value) > 1 && Number(p.value) <= 100 ? ` (${p.value} % entspricht ${Number(p.value) / 100})` : ''}.`,
  ],
  'negative-count': (p) => [
    `${p.field} is never negative.`,
    `${p.field} ist nie negativ.`,
  ],
  'empty-text': (p) => [
    `Empty text after ${p.after}.`,
    `Leerer Text nach ${p.after}.`,
  ],
  'unknown-value': (p) => [
    `Unknown ${p.what} ${q(p.value)}.${mean(p.suggest, true)}${p.list ? ` Known: ${p.list}.` : ''}`,
    `Unbekannt als ${p.whatDe}: ${q(p.value)}.${mean(p.suggest, false)}${p.list ? ` Bekannt: ${p.list}.` : ''}`,
  ],
  'bad-language': (p) => [
    `Language codes are two or three lower-case letters (ISO 639), e.g. "de" or "en"; found ${q(p.value)}.${mean(p.suggest, true)}`,
    `Sprachcodes sind zwei oder drei Kleinbuchstaben (ISO 639), z. B. "de" oder "en"; gefunden: ${q(p.value)}.${mean(p.suggest, false)}`,
  ],
  'bad-domain': (p) => [
    `Write only the domain, like "bit.ly" (no https://, no path, no spaces); found ${q(p.value)}.${mean(p.suggest, true)}`,
    `Bitte nur die Domain schreiben, etwa "bit.ly" (ohne https://, ohne Pfad, ohne Leerzeichen); gefunden: ${q(p.value)}.${mean(p.suggest, false)}`,
  ],

  // regex
  'regex-too-long': (p) => [
    `The regex is ${p.length} characters long; at most ${p.max} are allowed.`,
    `Der reguläre Ausdruck ist ${p.length} Zeichen lang; erlaubt sind höchstens ${p.max}.`,
  ],
  'regex-backreference': (p) => [
    `Backreferences like ${p.what} are not supported: rules use a safe regex engine (RE2) that never backtracks, so a rule cannot hang the worker. Write the repeated part out instead.`,
    `Rückverweise wie ${p.what} werden nicht unterstützt: Regeln nutzen eine sichere Regex-Maschine (RE2) ohne Backtracking, damit keine Regel die Verarbeitung aufhängen kann. Schreib den wiederholten Teil aus.`,
  ],
  'regex-lookaround': (p) => [
    `Lookahead and lookbehind such as ${p.what}…) are not supported by the safe regex engine (RE2). Combine conditions instead, e.g. text matches /a/ and not text matches /b/.`,
    `Lookahead und Lookbehind wie ${p.what}…) unterstützt die sichere Regex-Maschine (RE2) nicht. Kombiniere stattdessen Bedingungen, z. B. text matches /a/ and not text matches /b/.`,
  ],
  'regex-atomic': (p) => [
    `Atomic groups and possessive quantifiers (${p.what}) are not supported and not needed: the safe regex engine (RE2) never backtracks.`,
    `Atomare Gruppen und possessive Quantoren (${p.what}) werden nicht unterstützt und nicht gebraucht: die sichere Regex-Maschine (RE2) macht nie Backtracking.`,
  ],
  'regex-syntax': (p) => {
    const [en, de] = RE2_ERRORS[String(p.detail)] ?? [String(p.detail), String(p.detail)];
    return [
      `Regex error: ${en}${p.at ? ` at ${p.at}` : ''}.`,
      `Fehler im regulären Ausdruck: ${de}${p.at ? ` bei ${p.at}` : ''}.`,
    ];
  },
  'regex-too-big': (p) => [
    `This regex is too big for the safe engine (size ${p.size}, at most ${p.max}); use smaller repeat counts, e.g. {1,20} instead of {1,500}.`,
    `Dieser reguläre Ausdruck ist zu groß für die sichere Regex-Maschine (Größe ${p.size}, höchstens ${p.max}); bitte kleinere Wiederholungszahlen verwenden, z. B. {1,20} statt {1,500}.`,
  ],
  'regex-total-too-big': (p) => [
    `The regexes of this rule set are too big together (size ${p.size}, at most ${p.max}).`,
    `Die regulären Ausdrücke dieses Regelwerks sind zusammen zu groß (Größe ${p.size}, höchstens ${p.max}).`,
  ],
  'regex-ascii-boundary': () => [
    '\\b and \\w only know the letters a-z, digits and _: next to ä, ö, ü, ß or é they do not work as expected. Use text contains word "…", or (^|[^\\p{L}]) for a word start.',
    '\\b und \\w kennen nur die Buchstaben a-z, Ziffern und _: neben ä, ö, ü, ß oder é wirken sie nicht wie erwartet. Verwende text contains word "…" oder (^|[^\\p{L}]) für einen Wortanfang.',
  ],
  'regex-text-limited': (p) => [
    `The regexes of this rule set are large together; to keep evaluation bounded they look at the first ${p.chars} characters of long texts.`,
    `Die regulären Ausdrücke dieses Regelwerks sind zusammen groß; damit die Prüfung begrenzt bleibt, sehen sie bei langen Texten nur die ersten ${p.chars} Zeichen.`,
  ],

  // actions
  'expected-action': (p) => [
    `Expected an action (${p.list}), found ${p.found}.`,
    `Erwartet wird eine Aktion (${p.list}), gefunden: ${p.found}.`,
  ],
  'unknown-action': (p) => [
    `Unknown action ${p.name}.${mean(p.suggest, true)} Actions: ${p.list}.`,
    `Unbekannte Aktion ${p.name}.${mean(p.suggest, false)} Aktionen: ${p.list}.`,
  ],
  'action-needs-value': (p) => [
    `${p.action} needs ${p.what} in quotes, e.g. ${p.action} "${p.example}".`,
    `${p.action} braucht ${p.whatDe} in Anführungszeichen, z. B. ${p.action} "${p.example}".`,
  ],
  'action-no-value': (p) => [
    `${p.action} takes no value.`,
    `${p.action} hat keinen Wert.`,
  ],
  'action-duplicate': (p) => [
    `${p.action}${p.value ? ` "${p.value}"` : ''} is listed twice.`,
    `${p.action}${p.value ? ` "${p.value}"` : ''} steht doppelt da.`,
  ],
  'actions-conflict': (p) => {
    const key = `${p.a}+${p.b}`;
    const texts: Record<string, [string, string]> = {
      'hide+delete': [
        'hide and delete together: choose one (delete removes the item for good, hide takes it out of view but keeps it).',
        'hide und delete zusammen: bitte eines wählen (delete entfernt den Beitrag endgültig, hide blendet ihn nur aus).',
      ],
      'hold+hide': [
        'hold and hide together: choose one (hold puts the item in the review queue, hide takes it out of view now).',
        'hold und hide zusammen: bitte eines wählen (hold legt den Beitrag zur Prüfung vor, hide blendet ihn sofort aus).',
      ],
      'hold+delete': [
        'hold and delete together: choose one (hold puts the item in the review queue, delete removes it for good).',
        'hold und delete zusammen: bitte eines wählen (hold legt den Beitrag zur Prüfung vor, delete entfernt ihn endgültig).',
      ],
      'ban+mute': [
        'ban and mute together: ban already stops the author; drop mute.',
        'ban und mute zusammen: ban stoppt die Person schon; mute bitte weglassen.',
      ],
      'reply+delete': [
        'reply and delete together: the reply would go to an item that no longer exists. Use hide instead of delete, or drop reply.',
        'reply und delete zusammen: die Antwort ginge an einen Beitrag, den es nicht mehr gibt. Nimm hide statt delete oder lass reply weg.',
      ],
    };
    return texts[key] ?? [`${p.a} and ${p.b} cannot be combined.`, `${p.a} und ${p.b} passen nicht zusammen.`];
  },
  'expected-action-comma': () => [
    'Separate actions with a comma, e.g. then hide, notify "moderation".',
    'Aktionen werden mit Komma getrennt, z. B. then hide, notify "moderation".',
  ],
};

/** A parameter value that stands for the end of the rule text, worded per language. */
export const END_OF_TEXT = '\u0000end';

function localise(params: P, words: string): P {
  const out: P = {};
  for (const [k, v] of Object.entries(params)) out[k] = v === END_OF_TEXT ? words : v;
  return out;
}

export function message(code: string, params: P = {}): Message {
  const entry = CATALOG[code];
  if (entry === undefined) throw new Error(`rules: no message for ${code}`);
  const [en] = entry(localise(params, 'the end of the text'));
  const [, de] = entry(localise(params, 'das Ende des Textes'));
  return { code, message: en, messageDe: de };
}
