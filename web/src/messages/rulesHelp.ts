// The rules page's help: a condensed version of src/moderation/rules/reference.md, English and
// German. Code (keywords, fields, actions) stays English, as the rule language wants it.

type Rows = [code: string, what: string][];

export const en = {
  toggle: 'Help',
  title: 'Rules – quick reference',
  intro: 'One block per rule. Keywords are English and lower case; names, reasons and values are yours. # starts a comment; line breaks and indentation are free.',
  example: `# Hide threats straight away
rule "Hide threats"
  when words.threat >= 1
    or score.threat >= 0.8
  unless author.trusted
  then hide, notify "moderation"
  reason "Threat"

rule "Check short links from new accounts"
  when domains any ["bit.ly", "t.me"] and author.accountAgeDays < 7
  then hold
  reason "Short link from a new account"
  priority 10`,
  partsTitle: 'Parts of a rule',
  parts: [
    ['rule "Name"', 'starts a rule; names are unique'],
    ['when …', 'required: when the rule applies'],
    ['unless …', 'optional, may repeat: the rule does not apply when this is true'],
    ['then …', 'required: one or more actions, separated by commas'],
    ['reason "…"', 'required: the reason shown with every decision'],
    ['priority 10', 'optional, −1000 to 1000, default 0: higher comes first'],
    ['disabled', 'optional: the rule only runs in tests against history'],
  ] as Rows,
  conditions: 'Conditions combine with and, or, not and brackets; not binds tightest, then and, then or.',
  fieldsTitle: 'Fields',
  fields: [
    ['words.insult, .threat, .slur, .profanity, .spam', 'word-list hits per category; words.count for all, words any ["threat"]'],
    ['score.offensive, .threat, .spam', 'classifier score from 0 to 1; may be unknown'],
    ['text', 'contains "…", contains word "…", matches /…/i; text.length'],
    ['language, platform, kind, connection', 'is "de", is not, in ["de", "en"], not in; language is unknown'],
    ['links, domains', 'contains "…", matches /…/, domains any ["bit.ly"]; links.count, domains.count'],
    ['author.trusted, author.known', 'yes/no: author.trusted or not author.trusted'],
    ['author.accountAgeDays', 'account age in days; unknown when the platform does not tell'],
    ['claim.score, claim.verdict', 'match with the closest known claim (0 to 1) and its verdict: false, misleading, missing_context, satire, true'],
    ['domain.category', 'category of a linked listed domain: unreliable, state_affiliated, spam, satire, trusted'],
    ['campaign.items, campaign.accounts', 'size of the suspected copy-paste campaign the item belongs to'],
    ['links.newAccounts', 'new accounts that posted the same link within the window (a link wave)'],
    ['thread.firstTimeAuthors', 'first-time authors writing in the same thread within the window (a burst)'],
    ['author.removals, author.handle', "the author's items hidden or deleted in Allmende; the handle, like text"],
  ] as Rows,
  actionsTitle: 'Actions',
  actions: [
    ['hold', 'hold for review – usually the right choice'],
    ['hide, delete', 'hide or delete on the platform'],
    ['reply "name"', 'reply with the canned response of that name'],
    ['label "name", assign "team", notify "channel"', 'add a label, assign to a team, notify a channel'],
    ['ban, mute', 'ban or mute the author, where the platform allows it'],
  ] as Rows,
  notesTitle: 'Good to know',
  notes: [
    'Numbers compare with < <= > >= = != and a decimal point (0.8). Text stands in straight quotes; is, in and contains ignore case.',
    'contains looks at the folded text: case, umlauts (ä = ae, ß = ss), accents, look-alike letters, leetspeak (1d10t) and s p a c e d words make no difference. contains word matches whole words only.',
    'A comparison with an unknown value is false: author.accountAgeDays < 7 does not apply when the platform does not tell the age. Ask for that case with is unknown.',
    'Regexes /…/ take the flags i, m and s and run on RE2: no backreferences, no lookahead or lookbehind. \\b, \\w and [a-z] know only a–z – for German words use \\p{L} or contains word.',
    'hold, hide and delete exclude each other, as do ban and mute, and reply and delete.',
    'Limits: 500 rules, 200 KB of rule text; rules look at the first 100,000 characters of an item.',
  ],
};

export const de: typeof en = {
  toggle: 'Hilfe',
  title: 'Regeln – Kurzreferenz',
  intro: 'Ein Block pro Regel. Schlüsselwörter sind englisch und klein geschrieben; Namen, Gründe und Werte schreibst du, wie du willst. # leitet einen Kommentar ein; Zeilenumbrüche und Einrückung sind frei.',
  example: `# Drohungen sofort ausblenden
rule "Drohungen verbergen"
  when words.threat >= 1
    or score.threat >= 0.8
  unless author.trusted
  then hide, notify "moderation"
  reason "Drohung"

rule "Kurzlinks von neuen Konten prüfen"
  when domains any ["bit.ly", "t.me"] and author.accountAgeDays < 7
  then hold
  reason "Kurzlink von neuem Konto"
  priority 10`,
  partsTitle: 'Teile einer Regel',
  parts: [
    ['rule "Name"', 'beginnt eine Regel; Namen sind eindeutig'],
    ['when …', 'Pflicht: wann die Regel greift'],
    ['unless …', 'optional, auch mehrfach: die Regel greift nicht, wenn das zutrifft'],
    ['then …', 'Pflicht: eine oder mehrere Aktionen, mit Komma getrennt'],
    ['reason "…"', 'Pflicht: der Grund, der bei jeder Entscheidung steht'],
    ['priority 10', 'optional, −1000 bis 1000, Standard 0: höhere kommt zuerst'],
    ['disabled', 'optional: die Regel läuft nur im Test gegen die Vergangenheit'],
  ],
  conditions: 'Bedingungen verbindest du mit and, or, not und Klammern; not bindet am stärksten, dann and, dann or.',
  fieldsTitle: 'Felder',
  fields: [
    ['words.insult, .threat, .slur, .profanity, .spam', 'Wortlisten-Treffer je Kategorie; words.count für alle, words any ["threat"]'],
    ['score.offensive, .threat, .spam', 'Wert des Klassifikators von 0 bis 1; kann unbekannt sein'],
    ['text', 'contains "…", contains word "…", matches /…/i; text.length'],
    ['language, platform, kind, connection', 'is "de", is not, in ["de", "en"], not in; language is unknown'],
    ['links, domains', 'contains "…", matches /…/, domains any ["bit.ly"]; links.count, domains.count'],
    ['author.trusted, author.known', 'ja/nein: author.trusted oder not author.trusted'],
    ['author.accountAgeDays', 'Alter des Kontos in Tagen; unbekannt, wenn die Plattform es nicht verrät'],
    ['claim.score, claim.verdict', 'Übereinstimmung mit der ähnlichsten bekannten Behauptung (0 bis 1) und ihre Bewertung: false, misleading, missing_context, satire, true'],
    ['domain.category', 'Kategorie einer verlinkten gelisteten Domain: unreliable, state_affiliated, spam, satire, trusted'],
    ['campaign.items, campaign.accounts', 'Größe der vermuteten Copy-Paste-Kampagne, zu der der Beitrag gehört'],
    ['links.newAccounts', 'neue Konten, die denselben Link im Zeitfenster gepostet haben (Link-Welle)'],
    ['thread.firstTimeAuthors', 'Erstautor·innen im selben Thread im Zeitfenster (Ansturm)'],
    ['author.removals, author.handle', 'ausgeblendete oder gelöschte Beiträge dieser Person in Allmende; der Handle, wie Text'],
  ],
  actionsTitle: 'Aktionen',
  actions: [
    ['hold', 'zur Prüfung zurückhalten – meist die richtige Wahl'],
    ['hide, delete', 'auf der Plattform ausblenden oder löschen'],
    ['reply "Name"', 'mit der Textvorlage dieses Namens antworten'],
    ['label "Name", assign "Team", notify "Kanal"', 'Label setzen, einem Team zuweisen, einen Kanal benachrichtigen'],
    ['ban, mute', 'die Person sperren oder stummschalten, wo die Plattform es erlaubt'],
  ],
  notesTitle: 'Gut zu wissen',
  notes: [
    'Zahlen vergleichst du mit < <= > >= = != und Dezimalpunkt (0.8). Text steht in geraden Anführungszeichen; is, in und contains achten nicht auf Groß- und Kleinschreibung.',
    'contains sucht im „gefalteten“ Text: Groß/klein, Umlaute (ä = ae, ß = ss), Akzente, ähnlich aussehende Buchstaben, Leetspeak (1d10t) und g e s p e r r t e Wörter machen keinen Unterschied. contains word findet nur ganze Wörter.',
    'Ein Vergleich mit einem unbekannten Wert ist falsch: author.accountAgeDays < 7 trifft nicht zu, wenn die Plattform das Alter nicht nennt. Diesen Fall fragst du mit is unknown ab.',
    'Reguläre Ausdrücke /…/ kennen die Schalter i, m und s und laufen mit RE2: keine Rückverweise, kein Lookahead oder Lookbehind. \\b, \\w und [a-z] kennen nur a–z – für deutsche Wörter nimm \\p{L} oder contains word.',
    'hold, hide und delete schließen sich gegenseitig aus, ebenso ban und mute sowie reply und delete.',
    'Grenzen: 500 Regeln, 200 KB Regeltext; Regeln sehen die ersten 100.000 Zeichen eines Beitrags.',
  ],
};
