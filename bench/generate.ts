// Deterministic generator of realistic items in the API's input shape (`itemInput`, src/core/item.ts)
// for the benches: what a community desk for a public transport company, a local newspaper and a
// football club receives on a dozen platforms. All text is built from the word lists and sentence
// templates below (written for this file; no dataset text), German and English about 60/40.
//
//   node --import tsx bench/generate.ts 100000 [seed] > items.ndjson
//
// Shape of the stream (roughly, per 100,000 items):
//   - ~4% posts by the organisations (they open threads), ~85% comments and replies in those
//     threads (replies carry the platform id of the comment they answer as parentId), the rest
//     mentions, direct messages and e-mails (no thread);
//   - text lengths: ~4% one word or emoji, ~85% 40–300 characters (a few shorter questions), ~8%
//     long (300–2,000 characters, mostly e-mails, website and forum comments);
//   - some links (in the text and/or in `links`), @handles, #hashtags, emojis, a few images;
//   - authors re-occur with a skewed (Zipf-like) distribution: a few regulars write a lot;
//   - createdAt increases by a random gap (mean ~20 s) from 2025-09-01.
// Platform ids are unique per (seed, position), so one seed never repeats an item.
import { pathToFileURL } from 'node:url';

export interface GeneratedItem {
  platform: string;
  connection: string;
  platformId: string;
  kind: 'post' | 'comment' | 'reply' | 'direct_message' | 'mention' | 'email';
  threadId?: string;
  parentId?: string;
  author: { platformUserId: string; handle?: string; displayName: string; profileUrl?: string };
  text: string;
  language?: string;
  links?: string[];
  media?: { url: string; type: string; alt?: string }[];
  createdAt: string;
  permalink?: string;
}

// ---------------------------------------------------------------------------------------------
// seeded PRNG (mulberry32) and helpers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed * 2654435761 + 12345); }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((s, x) => s + x[1], 0);
    let r = this.next() * total;
    for (const [v, w] of xs) { r -= w; if (r < 0) return v; }
    return xs[xs.length - 1][0];
  }
  /** Index in [0, n) skewed towards 0: a few regulars, a long tail. */
  skewed(n: number, power = 2.6): number { return Math.min(n - 1, Math.floor(n * Math.pow(this.next(), power))); }
  digits(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += String(this.int(0, 9)); return s; }
  alnum(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let s = ''; for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)]; return s;
  }
}

// ---------------------------------------------------------------------------------------------
// the fictional organisations and their world

type Lang = 'de' | 'en';
type OrgKey = 'transit' | 'paper' | 'club';

interface Org { key: OrgKey; connection: string; name: string; handle: string; site: string; tag: string; weight: number }

const ORGS: Record<OrgKey, Org> = {
  transit: { key: 'transit', connection: 'nvb', name: 'Nordhafener Verkehrsbetriebe', handle: 'nvb_nordhafen', site: 'nvb-nordhafen.example', tag: '#NVB', weight: 40 },
  paper: { key: 'paper', connection: 'rundschau', name: 'Nordhafener Rundschau', handle: 'rundschau_nh', site: 'rundschau-nordhafen.example', tag: '#Rundschau', weight: 35 },
  club: { key: 'club', connection: 'fcn09', name: 'FC Nordhafen 09', handle: 'fcnordhafen09', site: 'fcn09.example', tag: '#FCN09', weight: 25 },
};

const PLATFORM_WEIGHTS = [
  ['facebook', 22], ['instagram', 15], ['mastodon', 10], ['youtube', 9], ['x', 8], ['bluesky', 8],
  ['website', 8], ['email', 6], ['forum', 4], ['tiktok', 4], ['threads', 3], ['reddit', 2], ['whatsapp', 1],
] as const;

const HOSTS: Record<string, string> = {
  facebook: 'https://www.facebook.com', instagram: 'https://www.instagram.com', mastodon: 'https://social.nordhafen.example',
  youtube: 'https://www.youtube.com', x: 'https://x.com', bluesky: 'https://bsky.app', tiktok: 'https://www.tiktok.com',
  threads: 'https://www.threads.net', reddit: 'https://www.reddit.com', forum: 'https://forum.nordhafen.example',
};

const FIRST_DE = ['Anna', 'Jürgen', 'Sabine', 'Klaus', 'Petra', 'Mehmet', 'Jana', 'Uwe', 'Lena', 'Thorsten', 'Ayşe', 'Dirk', 'Katrin', 'Björn', 'Maren', 'Frank', 'Svenja', 'Heike', 'Jörg', 'Leonie', 'Olaf', 'Marta', 'Emre', 'Gisela', 'Tobias', 'Ute', 'Kai', 'Birgit', 'Nils', 'Doris', 'Hannes', 'Sophie', 'Wolfgang', 'Elif', 'Rüdiger', 'Fenja'];
const LAST_DE = ['Müller', 'Schröder', 'Weiß', 'Hansen', 'Yılmaz', 'Petersen', 'Krüger', 'Jansen', 'Böhm', 'Koch', 'Schulz', 'Lüders', 'Meyer', 'Kowalski', 'Brandt', 'Voß', 'Jürgensen', 'Hoffmann', 'Öztürk', 'Claußen', 'Nowak', 'Wendt', 'Köhler', 'Ahrens', 'Sievers', 'Fuchs'];
const FIRST_EN = ['Emma', 'James', 'Olivia', 'Liam', 'Chloe', 'Noah', 'Grace', 'Ethan', 'Priya', 'Daniel', 'Aisha', 'Tom', 'Rachel', 'Ben', 'Megan', 'Sam', 'Hannah', 'Luke', 'Zoe', 'Owen', 'Maya', 'Jack', 'Ruth', 'Kevin'];
const LAST_EN = ['Smith', 'Walker', 'Patel', 'Brown', 'Nguyen', "O'Brien", 'Taylor', 'Hughes', 'Khan', 'Evans', 'Murphy', 'Clarke', 'Wright', 'Lewis', 'Baker', 'Reid', 'Turner', 'Ward', 'Cooper', 'Hill'];
const NICKS = ['pendler', 'nordlicht', 'hafenkind', 'tramfan', 'blauweiss', 'leseratte', 'kiezkind', 'moin', 'ultra', 'radler', 'nachteule', 'commuter', 'northstar', 'gooner', 'bookworm', 'cyclist', 'dockside', 'nightowl'];

// All feminine in German (die Linie, die S-Bahn, die Tram), so one article fits every template.
const LINES = ['Linie 4', 'Linie 12', 'S3', 'S1', 'Linie 112', 'Linie 27', 'Tram 7', 'Tram 2', 'Linie N5', 'Linie 640', 'U2', 'Linie X35'];
const STOPS = ['Hauptbahnhof', 'Marktplatz', 'Am Stadtpark', 'Südring', 'Hafenkante', 'Uni-Campus', 'Rathaus', 'Lindenallee', 'Messe Nord', 'Klinikum', 'Fischmarkt', 'Werftstraße', 'Eichenweg', 'Nordhafen Ost', 'Sportpark'];
const DAYS_DE = ['heute', 'gestern', 'heute Morgen', 'gestern Abend', 'am Montag', 'am Dienstag', 'am Freitag', 'seit Tagen', 'schon wieder', 'letzte Woche'];
const DAYS_EN = ['today', 'yesterday', 'this morning', 'last night', 'on Monday', 'on Tuesday', 'on Friday', 'for days', 'again', 'last week'];
const SECTIONS_DE = ['Lokalteil', 'Sportteil', 'Wirtschaftsteil', 'Kulturteil', 'Politikteil', 'Regionalteil'];
const SECTIONS_EN = ['local section', 'sports pages', 'business section', 'culture section', 'e-paper', 'weekend edition', 'letters page'];
const TOPICS_DE = ['den neuen Radweg an der Lindenallee', 'die Schließung des Hallenbads', 'den Wohnungsbau am Südring', 'die Kita-Gebühren', 'den Haushalt der Stadt', 'die Sanierung der Hafenbrücke', 'das Stadtfest', 'die Parkgebühren in der Innenstadt', 'die Ratssitzung', 'die Grundsteuer'];
const TOPICS_EN = ['the new cycle lane on Lindenallee', 'the swimming pool closure', 'the housing project at Südring', 'childcare fees', "the city's budget", 'the harbour bridge repairs', 'the summer festival', 'parking charges in the centre', 'the council meeting', 'property tax'];
const PEOPLE = ['die Bürgermeisterin', 'der Stadtbaurat', 'Frau Dr. Lührs', 'Herr Tamsen', 'der Ortsrat', 'die Fraktion'];
const PEOPLE_EN = ['the mayor', 'the planning officer', 'Dr Lührs', 'Mr Tamsen', 'the district council', 'the opposition'];
const PLAYERS = ['Jansen', 'Okafor', 'Brückner', 'Lindqvist', 'Demir', 'Hartmann', 'Silva', 'Kruse', 'Nowicki', 'Feddersen', 'Akgül', 'Reimers'];
const OPPONENTS = ['Eintracht Südheide', 'SV Moorfeld', 'TuS Geestland', 'VfB Altmark', 'Rot-Weiß Dünenhof', 'Holstein Kieselbach', 'SC Marschtal'];
const EMOJI_NEG = ['😡', '🙄', '🤦', '😤', '👎', '😒', '🤬', '😩'];
const EMOJI_POS = ['👍', '🙏', '❤️', '💙', '👏', '😊', '🥳', '🔥', '⚽', '💪'];
const EMOJI_ANY = ['😂', '🤔', '😅', '🚋', '🚌', '📰', '😬', '👀'];
const ONE_WORD_DE = ['Danke!', 'Endlich.', 'Peinlich', 'Top', 'Ehrlich?', 'Warum?', 'Jawoll!', 'Schade', 'Unfassbar', 'Na toll', 'Stark', 'Quelle?', 'Genau', 'Frechheit', 'Moin'];
const ONE_WORD_EN = ['Thanks!', 'Finally', 'Lol', 'Why?', 'Source?', 'Agreed', 'Shameful', 'Brilliant', 'Wow', 'Nope', 'Cheers'];
const ONE_EMOJI = ['👍', '😂', '❤️', '🙄', '👏', '😡', '⚽🔥', '🙏'];

// Sentence templates per organisation, language and mood. {slots} are filled by `fill`.
type Mood = 'question' | 'complaint' | 'thanks' | 'opinion';
type Templates = Record<Mood, string[]>;

const T: Record<OrgKey, Record<Lang, Templates>> = {
  transit: {
    de: {
      question: [
        'Wann fährt die {line} wieder regulär bis {stop}?',
        'Gilt das Deutschlandticket auch in der {line} nach {stop}?',
        'Warum steht an der Haltestelle {stop} seit Wochen kein Fahrplan mehr?',
        'Gibt es am Wochenende Schienenersatzverkehr zwischen {stop} und {stop2}?',
        'Kann mir jemand sagen, ob der Aufzug an der Haltestelle {stop} wieder geht?',
        'Wie soll ich mit Kinderwagen in die {line} kommen, wenn die Rampe kaputt ist?',
        'Fährt die {line} an Feiertagen nach dem Sonntagsfahrplan?',
        'Wo kann ich eine verlorene Tasche aus der {line} abholen?',
        'Warum zeigt die App {day} eine Abfahrt an, die es gar nicht gibt?',
        'Ab wann gilt der neue Fahrplan für die {line}?',
      ],
      complaint: [
        '{day} wieder {min} Minuten Verspätung in der {line}, ohne jede Durchsage.',
        'Die {line} ist um {time} Uhr so voll, dass an der Haltestelle {stop} niemand mehr reinkommt.',
        'Klimaanlage in der {line} {day} komplett ausgefallen, gefühlt 35 Grad im Wagen.',
        'Der Fahrer hat an der Haltestelle {stop} einfach die Tür vor meiner Nase zugemacht und ist losgefahren.',
        'Ich zahle jeden Monat für mein Abo und komme trotzdem zu spät zur Arbeit.',
        'Die Anzeige an der Haltestelle {stop} sagt {min} Minuten, dann fällt die Bahn einfach aus.',
        'Seit der Baustelle an der Haltestelle {stop} ist der Anschluss an die {line} nicht mehr zu schaffen.',
        'So wird das nichts mit der Verkehrswende, wenn die {line} jeden zweiten Tag ausfällt.',
        'An der Haltestelle {stop} liegt seit Tagen Müll und Glas auf dem Bahnsteig, kümmert sich da mal jemand?',
        'Der Ticketautomat an der Haltestelle {stop} ist schon wieder kaputt und nimmt weder Karte noch Münzen.',
      ],
      thanks: [
        'Großes Lob an die Fahrerin der {line} {day}, super freundlich und geduldig mit einem älteren Herrn.',
        'Danke, dass die {line} jetzt auch nachts bis {stop} fährt!',
        'Die neue Taktung auf der {line} ist wirklich eine Verbesserung, danke dafür.',
        'Danke für die schnelle Antwort, jetzt weiß ich Bescheid.',
        'Meinen Rucksack hat jemand im Fundbüro abgegeben, vielen Dank an das Team im Kundencenter {stop}.',
        'Respekt an alle, die bei dem Wetter {day} den Betrieb am Laufen gehalten haben.',
      ],
      opinion: [
        'Eine direkte Verbindung von {stop} nach {stop2} wäre wirklich sinnvoll.',
        'Mehr Fahrradstellplätze an der Haltestelle {stop} würden vielen Pendlern helfen.',
        'Ich fahre seit zwölf Jahren jeden Tag mit der {line} zur Arbeit und so schlimm war es noch nie.',
        'Vielleicht sollte man erst die Infrastruktur reparieren, bevor man die Preise erhöht.',
        'Die Durchsagen sind in der hinteren Hälfte der Bahn leider kaum zu verstehen.',
        'Der Ausbau der {line} ist überfällig, der ganze Stadtteil wartet darauf.',
      ],
    },
    en: {
      question: [
        'When will the {line} run normally to {stop} again?',
        'Is the Deutschlandticket valid on the {line} to {stop}?',
        'Why has there been no timetable at the {stop} stop for weeks?',
        'Are there replacement buses between {stop} and {stop2} this weekend?',
        'Does anyone know if the lift at {stop} is working again?',
        'How do I get a pram onto the {line} when the ramp is broken?',
        'Where can I pick up a bag I left on the {line}?',
        'Why did the app show a departure {day} that never existed?',
        'Do you sell single tickets on board the {line} or only in the app?',
      ],
      complaint: [
        '{min} minutes late {day} on the {line}, and not a single announcement.',
        'The {line} at {time} is so packed nobody can get on at {stop}.',
        'Air conditioning on the {line} was dead {day}, it felt like a sauna.',
        'The driver closed the door right in front of me at {stop} and just left.',
        'The display at {stop} says {min} minutes and then the tram simply never comes.',
        'Ticket machine at {stop} is broken again, takes neither cards nor coins.',
        'I pay for a monthly pass and still end up late for work every other day.',
      ],
      thanks: [
        'Shout-out to the driver of the {line} {day}, really kind to an elderly passenger.',
        'Thanks for adding night services to {stop}, makes a huge difference!',
        'Thanks for the quick reply, that clears it up.',
        'Someone handed in my backpack at lost property, thank you to the team at {stop}.',
      ],
      opinion: [
        'A direct connection from {stop} to {stop2} would make so much sense.',
        'More bike parking at {stop} would help a lot of commuters.',
        'Maybe fix the infrastructure before raising fares again.',
        'Announcements are basically inaudible in the back half of the tram.',
      ],
    },
  },
  paper: {
    de: {
      question: [
        'Warum steht der Artikel über {topic} hinter der Paywall?',
        'Wird es noch eine Richtigstellung zu den Zahlen im {section} geben?',
        'Wie kann ich mein Abo kündigen, ohne eine Stunde in der Warteschleife zu hängen?',
        'Hat {person} sich dazu inzwischen geäußert?',
        'Gibt es den Kommentar zu {topic} auch online zum Nachlesen?',
        'Wann berichtet ihr endlich mal ausführlich über {topic}?',
        'Woher stammen eure Zahlen für {topic}?',
        'Warum kam die Zeitung {day} erst gegen Mittag?',
      ],
      complaint: [
        'Im Artikel über {topic} stimmt die Hälfte der Fakten nicht.',
        'Die Zeitung lag {day} wieder nass im Vorgarten, dritte Woche in Folge.',
        'Das E-Paper lädt {day} schon wieder nicht, und das bei dem Preis.',
        'Das ist keine Berichterstattung mehr, das ist Meinungsmache.',
        'Schon wieder kommt nur {person} zu Wort, die Anwohner gar nicht.',
        'Die Überschrift hat mit dem eigentlichen Text kaum etwas zu tun.',
        'Bitte weniger Clickbait, mehr Lokaljournalismus.',
      ],
      thanks: [
        'Toller Bericht über {topic}, endlich mal sauber recherchiert.',
        'Danke für die ausführliche Berichterstattung aus der Ratssitzung.',
        'Der {section} ist seit dem Relaunch wirklich besser geworden, danke.',
        'Danke, dass ihr dranbleibt, das Thema geht sonst völlig unter.',
      ],
      opinion: [
        'Ich finde, {person} macht es sich mit Blick auf {topic} viel zu einfach.',
        'Man hätte die Anwohner viel früher einbinden müssen.',
        'Die Kosten für {topic} waren doch seit Jahren absehbar.',
        'Lokalzeitung lebt vom Lokalen, genau davon hätte ich gern mehr.',
        'Interessant wäre noch, wie andere Städte das lösen.',
      ],
    },
    en: {
      question: [
        'Why is the article about {topic} behind the paywall?',
        'Will there be a correction to the figures in the {section}?',
        'How do I cancel my subscription without waiting an hour on the phone?',
        'Has {personEn} said anything about it since?',
        'Where do the numbers on {topicEn} come from?',
        'Is there an English version of the piece on {topicEn}?',
      ],
      complaint: [
        'Half the facts in the piece on {topicEn} are simply wrong.',
        'The paper was soaking wet on my doorstep {dayEn} again.',
        'The e-paper will not load {dayEn}, not great for what it costs.',
        'This is opinion dressed up as reporting.',
        'The headline has very little to do with the actual story.',
      ],
      thanks: [
        'Great reporting on {topicEn}, properly researched for once.',
        'Thanks for covering the council meeting in so much detail.',
        'Thank you for staying on this story, nobody else does.',
      ],
      opinion: [
        'I think {personEn} is making this far too easy for themselves.',
        'Residents should have been involved much earlier.',
        'Would be interesting to see how other towns handle {topicEn}.',
        'Local news lives on local stories, more of that please.',
      ],
    },
  },
  club: {
    de: {
      question: [
        'Wann startet der Vorverkauf für das Heimspiel gegen {opponent}?',
        'Gibt es für das Auswärtsspiel bei {opponent} noch Karten im Gästeblock?',
        'Warum stand {player} {day} nicht mal im Kader?',
        'Kann man die Dauerkarte auch in Raten bezahlen?',
        'Wann gibt es das neue Trikot endlich in Kindergrößen?',
        'Fährt nach dem Spiel ein Sonderzug zurück zum Hauptbahnhof?',
        'Ist der Sportpark barrierefrei erreichbar, wenn die Rampe am Block C gesperrt ist?',
      ],
      complaint: [
        'Was war das denn {day} für eine Leistung? {score} gegen {opponent}, einfach nur peinlich.',
        'In der {minute}. Minute so einen Elfmeter nicht zu geben, unfassbar.',
        'Zwei Stunden im Ticketshop in der Warteschlange und dann alles ausverkauft.',
        'Die Bratwurst im Sportpark kostet inzwischen mehr als eine Stehplatzkarte.',
        'Ohne {player} im Mittelfeld fehlt jede Idee nach vorne.',
        'Der Trainer muss endlich Konsequenzen ziehen, so steigen wir ab.',
      ],
      thanks: [
        'Was für ein Spiel! {score} gegen {opponent}, Gänsehaut in der {minute}. Minute.',
        'Danke an {player} für das Autogramm nach dem Training, mein Sohn ist überglücklich.',
        'Danke an die Mannschaft, ihr habt {day} alles gegeben.',
        'Tolle Aktion mit dem Familienblock, bitte mehr davon.',
      ],
      opinion: [
        '{player} gehört in die Startelf, alles andere ist Verschwendung.',
        'Mit dieser Abwehr wird es gegen {opponent} wieder schwer.',
        'Die Stimmung in der Kurve war {day} überragend.',
        'Der Verein sollte mehr in die Jugend investieren statt in teure Leihspieler.',
      ],
    },
    en: {
      question: [
        'When do tickets go on sale for the home game against {opponent}?',
        'Any away tickets left for the trip to {opponent}?',
        'Why was {player} not even in the squad {dayEn}?',
        'Can I pay for a season ticket in instalments?',
        'Will the new kit come in kids sizes?',
      ],
      complaint: [
        'What on earth was that {dayEn}? {score} against {opponent}, embarrassing.',
        'Not giving that penalty in the {minute}th minute is unbelievable.',
        'Two hours in the online queue and then everything was sold out.',
        'Without {player} in midfield there is no creativity at all.',
      ],
      thanks: [
        'What a game! {score} against {opponent}, goosebumps in the {minute}th minute.',
        'Thanks to {player} for signing my son\'s shirt after training, he is over the moon.',
        'Thank you lads, you gave everything {dayEn}.',
      ],
      opinion: [
        '{player} has to start, anything else is a waste.',
        'With this defence {opponent} will be tough again.',
        'The atmosphere in the stand was incredible {dayEn}.',
      ],
    },
  },
};

const OPENERS: Record<Lang, string[]> = {
  de: ['Hallo zusammen,', 'Moin,', 'Hallo {org},', 'Liebe {org},', 'Sehr geehrte Damen und Herren,', 'Mal ehrlich:', 'Kurze Frage:', 'Also', 'Sorry, aber', 'Hi,'],
  en: ['Hi,', 'Hello {org},', 'Dear {org},', 'Honestly:', 'Quick question:', 'So', 'Sorry but', 'Hey team,'],
};
const CLOSERS: Record<Lang, string[]> = {
  de: ['Danke im Voraus!', 'LG', 'Viele Grüße aus der Südstadt', 'Mit freundlichen Grüßen', 'Bitte um Rückmeldung.', 'Schönes Wochenende!', 'Das musste mal gesagt werden.', 'Ich bin gespannt auf eure Antwort.'],
  en: ['Thanks in advance!', 'Cheers', 'Kind regards', 'Looking forward to your reply.', 'Just saying.', 'Have a good weekend!'],
};
// Long texts (e-mails, forum and website comments) add context sentences.
const FILLERS: Record<Lang, string[]> = {
  de: [
    'Ich wohne seit über zwanzig Jahren in Nordhafen und kenne die Stadt noch von früher.',
    'Das ist jetzt schon das dritte Mal in diesem Monat, dass ich mich deswegen melde.',
    'Meine Nachbarin hat mir erzählt, dass es bei ihr genauso war.',
    'Ich habe mich bisher nie beschwert, aber irgendwann reicht es einfach.',
    'Vielleicht liegt es auch an mir, aber ich verstehe die Entscheidung wirklich nicht.',
    'Auf meine letzte E-Mail habe ich übrigens nie eine Antwort bekommen.',
    'Wir haben zwei Kinder und sind auf verlässliche Informationen angewiesen.',
    'Natürlich weiß ich, dass Personalmangel überall ein Problem ist.',
    'Trotzdem erwarte ich, dass man wenigstens ehrlich kommuniziert.',
    'Ich hänge ein Foto an, damit Sie sich selbst ein Bild machen können.',
    'Es geht mir nicht ums Meckern, sondern darum, dass sich etwas ändert.',
    'In anderen Städten funktioniert das doch auch, warum nicht bei uns?',
    'Ich hoffe, diese Nachricht landet bei jemandem, der etwas bewegen kann.',
    'Falls Sie Rückfragen haben, erreichen Sie mich am besten abends.',
  ],
  en: [
    'I have lived in Nordhafen for over twenty years and know the town well.',
    'This is the third time this month I have had to write about this.',
    'My neighbour told me exactly the same thing happened to her.',
    'I have never complained before, but enough is enough.',
    'Maybe it is just me, but I really do not understand the decision.',
    'By the way, I never got an answer to my last email.',
    'We have two kids and depend on reliable information.',
    'Of course I know staff shortages are a problem everywhere.',
    'Still, I expect at least honest communication.',
    'It is not about moaning, it is about getting something to change.',
    'Other cities manage this, so why not ours?',
  ],
};
const ORG_POSTS: Record<OrgKey, Record<Lang, string[]>> = {
  transit: {
    de: ['Wegen Bauarbeiten fährt die {line} ab Montag nur bis {stop}. Zwischen {stop} und {stop2} fahren Ersatzbusse. Alle Infos: {link}', 'Neuer Fahrplan ab Montag: die {line} fährt jetzt alle zehn Minuten. {emoji}', 'Störung auf der {line}: Zwischen {stop} und {stop2} kommt es derzeit zu Verspätungen.'],
    en: ['Due to construction the {line} only runs to {stop} from Monday. Replacement buses between {stop} and {stop2}. Details: {link}', 'Disruption on the {line}: expect delays between {stop} and {stop2}.'],
  },
  paper: {
    de: ['Neu im {section}: Was die Pläne für {topic} für Anwohner bedeuten. {link}', 'Kommentar zu den Plänen für {topic}: Es geht uns alle an. {link}', 'Liveticker aus der Ratssitzung: Heute geht es um {topic}.'],
    en: ['New in the {section}: what the plans for {topicEn} mean for residents. {link}', 'Opinion: why {topicEn} matters to all of us. {link}'],
  },
  club: {
    de: ['Spieltag! Heute um 15:30 Uhr gegen {opponent} im Sportpark. {emoji} {tag}', 'Abpfiff: {score} gegen {opponent}. Danke für eure Unterstützung! {tag}', '{player} verlängert bis 2028! {emoji}'],
    en: ['Matchday! Kick-off 3:30pm against {opponent}. {emoji} {tag}', 'Full time: {score} against {opponent}. Thanks for the support! {tag}'],
  },
};
const ORG_REPLIES: Record<Lang, string[]> = {
  de: ['Hallo {name}, danke für den Hinweis! Wir haben das an die Kolleginnen weitergegeben. ^AB', 'Hallo {name}, das tut uns leid. Schreib uns gern eine Direktnachricht mit den Details. ^JK', 'Hallo {name}, die Infos findest du hier: {link} Viele Grüße ^MS', 'Danke für dein Feedback, {name}! ^AB'],
  en: ['Hi {name}, thanks for letting us know! We have passed this on to the team. ^AB', 'Hi {name}, sorry about that. Please send us a DM with the details. ^JK', 'Thanks for the feedback, {name}! ^MS'],
};
const LINK_PATHS: Record<OrgKey, string[]> = {
  transit: ['fahrplan/{lineSlug}', 'stoerungen', 'tickets/deutschlandticket', 'baustellen/{stopSlug}', 'fundbuero'],
  paper: ['lokales/{n}-{topicSlug}', 'meinung/kommentar-{n}', 'abo/kuendigen', 'epaper'],
  club: ['tickets/heimspiel-{n}', 'news/{playerSlug}-verlaengert', 'fanshop/trikot', 'spielbericht/{n}'],
};
const FOREIGN_LINKS = ['https://www.youtube.com/watch?v=', 'https://maps.example.org/?q=', 'https://petition.example.net/p/', 'https://imgur.example.com/'];

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// ---------------------------------------------------------------------------------------------
// authors, threads, ids

interface Author { id: string; handle?: string; displayName: string; profileUrl?: string; lang: Lang; nick: string }

function platformUserId(rng: Rng, platform: string, i: number): string {
  switch (platform) {
    case 'bluesky': return `did:plc:${rng.alnum(20, 'abcdefghijklmnopqrstuvwxyz234567')}`;
    case 'email': return '';
    case 'youtube': return `UC${rng.alnum(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}`;
    default: return `${rng.int(1, 9)}${rng.digits(9)}${String(i).padStart(5, '0')}`;
  }
}

function makeAuthor(rng: Rng, platform: string, i: number): Author {
  const lang: Lang = rng.chance(0.6) ? 'de' : 'en';
  const first = lang === 'de' ? rng.pick(FIRST_DE) : rng.pick(FIRST_EN);
  const last = lang === 'de' ? rng.pick(LAST_DE) : rng.pick(LAST_EN);
  const nick = `${rng.pick(NICKS)}${rng.chance(0.5) ? rng.int(1, 99) : ''}`;
  const showsRealName = rng.chance(platform === 'facebook' || platform === 'email' || platform === 'website' ? 0.9 : 0.4);
  const displayName = showsRealName ? `${first} ${last}` : rng.chance(0.5) ? nick : `${first} ${rng.chance(0.5) ? last[0] + '.' : '🚲'}`;
  let id = platformUserId(rng, platform, i);
  let handle: string | undefined;
  let profileUrl: string | undefined;
  const local = slug(`${first}.${last}`).replace(/-/g, '.') + (rng.chance(0.4) ? rng.int(1, 99) : '');
  switch (platform) {
    case 'mastodon': handle = `@${nick}@${rng.pick(['social.nordhafen.example', 'mastodon.example', 'norden.social.example'])}`; profileUrl = `https://${handle.split('@')[2]}/@${nick}`; break;
    case 'bluesky': handle = `@${nick}.bsky.social`; profileUrl = `https://bsky.app/profile/${nick}.bsky.social`; break;
    case 'x': case 'instagram': case 'tiktok': case 'threads': handle = `@${nick.replace(/[^a-z0-9]/g, '')}_${rng.alnum(3)}`; profileUrl = `${HOSTS[platform]}/${handle.slice(1)}`; break;
    case 'reddit': handle = `u/${nick}_${rng.alnum(4)}`; profileUrl = `https://www.reddit.com/user/${handle.slice(2)}`; break;
    case 'facebook': profileUrl = `https://www.facebook.com/profile.php?id=${id}`; break;
    case 'youtube': handle = `@${nick}${rng.int(100, 999)}`; profileUrl = `https://www.youtube.com/channel/${id}`; break;
    case 'email': id = `${local}@${rng.pick(['mail.example', 'web.example', 'posteo.example', 'example.org', 'example.com'])}`; handle = id; break;
    case 'forum': handle = nick; profileUrl = `https://forum.nordhafen.example/u/${nick}`; break;
    default: handle = undefined;
  }
  return { id, handle, displayName, profileUrl, lang, nick };
}

interface Thread { id: string; permalinkBase: string; comments: string[] }

// ---------------------------------------------------------------------------------------------
// text

interface Ctx { org: Org; lang: Lang; rng: Rng; n: number }

function fill(template: string, c: Ctx, extra: Record<string, string> = {}): string {
  const { rng, org } = c;
  const stop = rng.pick(STOPS);
  let stop2 = rng.pick(STOPS);
  if (stop2 === stop) stop2 = STOPS[(STOPS.indexOf(stop) + 3) % STOPS.length];
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    if (key in extra) return extra[key];
    switch (key) {
      case 'line': return rng.pick(LINES);
      case 'stop': return stop;
      case 'stop2': return stop2;
      case 'min': return String(rng.pick([5, 8, 10, 12, 15, 20, 25, 30, 40, 45, 60]));
      case 'time': return `${rng.int(6, 8)}:${rng.pick(['05', '12', '20', '35', '42', '50'])}`;
      case 'day': return c.lang === 'de' ? rng.pick(DAYS_DE) : rng.pick(DAYS_EN);
      case 'dayEn': return rng.pick(DAYS_EN);
      case 'section': return c.lang === 'de' ? rng.pick(SECTIONS_DE) : rng.pick(SECTIONS_EN);
      case 'topic': return c.lang === 'de' ? rng.pick(TOPICS_DE) : rng.pick(TOPICS_EN);
      case 'topicEn': return rng.pick(TOPICS_EN);
      case 'person': return rng.pick(PEOPLE);
      case 'personEn': return rng.pick(PEOPLE_EN);
      case 'player': return rng.pick(PLAYERS);
      case 'opponent': return rng.pick(OPPONENTS);
      case 'score': return `${rng.int(0, 4)}:${rng.int(0, 4)}`;
      case 'minute': return String(rng.int(3, 94));
      case 'org': return rng.chance(0.6) ? org.name : c.lang === 'de' ? `${org.name}-Team` : `${org.name} team`;
      case 'tag': return org.tag;
      case 'emoji': return rng.pick([...EMOJI_POS, ...EMOJI_ANY]);
      case 'link': return orgLink(c);
      case 'n': return String(c.n);
      default: return key;
    }
  });
}

function orgLink(c: Ctx): string {
  const { rng, org } = c;
  const path = rng.pick(LINK_PATHS[org.key])
    .replace('{lineSlug}', slug(rng.pick(LINES)))
    .replace('{stopSlug}', slug(rng.pick(STOPS)))
    .replace('{topicSlug}', slug(rng.pick(TOPICS_DE)).slice(0, 40))
    .replace('{playerSlug}', slug(rng.pick(PLAYERS)))
    .replace('{n}', String(rng.int(10000, 99999)));
  return `https://www.${org.site}/${path}`;
}

function foreignLink(rng: Rng): string {
  return rng.pick(FOREIGN_LINKS) + rng.alnum(11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
}

/** Target length class: one word, normal (40–300, some shorter), long (300–2,000). */
function targetLength(rng: Rng, platform: string): number {
  const longShare = platform === 'email' ? 0.45 : platform === 'website' || platform === 'forum' ? 0.2 : 0.05;
  if (rng.chance(longShare)) return Math.round(300 + 1700 * Math.pow(rng.next(), 1.8));
  if (rng.chance(0.06)) return rng.int(15, 40);
  // Log-uniform-ish between 40 and 300, weighted to ~80–150 characters.
  return Math.round(40 * Math.pow(7.5, Math.pow(rng.next(), 1.3)));
}

function buildText(c: Ctx, platform: string, mood: Mood, target: number, mentions: string[]): { text: string; links: string[] } {
  const { rng, lang, org } = c;
  const links: string[] = [];
  const pool = T[org.key][lang][mood];
  const parts: string[] = [];
  const long = target > 300;
  if (rng.chance(long ? 0.85 : 0.25)) parts.push(fill(rng.pick(OPENERS[lang]), c));
  if (mentions.length) parts.unshift(mentions.join(' '));
  const first = rng.pick(pool);
  parts.push(fill(first, c));
  let len = parts.join(' ').length;
  const moods: Mood[] = ['question', 'complaint', 'thanks', 'opinion'];
  let paragraphLen = 0;
  const used = new Set<string>([first]);
  while (len < target) {
    // No sentence (template) twice in one text while there are unused ones.
    let template = '';
    for (let tries = 0; tries < 6 && (template === '' || used.has(template)); tries++) {
      template = long && rng.chance(0.45) ? rng.pick(FILLERS[lang]) : rng.pick(T[org.key][lang][rng.chance(0.7) ? mood : rng.pick(moods)]);
    }
    used.add(template);
    const sentence = fill(template, c);
    // Short texts stay short: do not overshoot 300 by a whole sentence.
    if (!long && len + sentence.length > 300 && len >= 40) break;
    if (long && paragraphLen > 250 && rng.chance(0.5)) { parts.push('\n\n' + sentence); paragraphLen = 0; }
    else parts.push(sentence);
    paragraphLen += sentence.length;
    len += sentence.length + 1;
    if (len > 2000) break;
  }
  if (rng.chance(0.07)) {
    const link = rng.chance(0.6) ? orgLink(c) : foreignLink(rng);
    parts.push(rng.chance(0.5) ? link : `${lang === 'de' ? 'Siehe' : 'See'} ${link}`);
    links.push(link);
  }
  if (rng.chance(long ? 0.6 : 0.12)) parts.push(rng.pick(CLOSERS[lang]));
  if (rng.chance(0.05)) parts.push(org.tag);
  if (rng.chance(0.18)) {
    const e = mood === 'complaint' ? rng.pick(EMOJI_NEG) : mood === 'thanks' ? rng.pick(EMOJI_POS) : rng.pick(EMOJI_ANY);
    parts.push(rng.chance(0.3) ? e.repeat(rng.int(2, 3)) : e);
  }
  let text = parts.join(' ').replace(/ \n\n/g, '\n\n');
  if (mood === 'complaint' && rng.chance(0.08)) text = text.replace(/[.]$/, '!!!');
  if (rng.chance(0.05)) text = text.toLowerCase();
  return { text, links };
}

// ---------------------------------------------------------------------------------------------
// the stream

/** An endless, deterministic stream of items; `generateItems` takes the first n. */
export function* itemStream(seed = 1): Generator<GeneratedItem> {
  const rng = new Rng(seed);
  const idPrefix = String(100 + (seed % 900));
  const authors = new Map<string, Author[]>();
  const authorCount = new Map<string, number>();
  const threads = new Map<string, Thread[]>();
  let time = Date.UTC(2025, 8, 1, 5, 0, 0);
  const orgWeights = Object.values(ORGS).map((o) => [o, o.weight] as const);

  const authorFor = (platform: string): Author => {
    let pool = authors.get(platform);
    if (!pool) { pool = []; authors.set(platform, pool); authorCount.set(platform, 0); }
    // The pool grows over time (newcomers), the regulars at the front stay the most frequent.
    const seen = authorCount.get(platform)! + 1;
    authorCount.set(platform, seen);
    if (pool.length === 0 || (pool.length < 2000 + seen / 8 && rng.chance(Math.max(0.08, 1 / Math.sqrt(pool.length + 1))))) {
      pool.push(makeAuthor(rng, platform, pool.length));
      return pool[pool.length - 1];
    }
    return pool[rng.skewed(pool.length)];
  };

  const newId = (platform: string, i: number, author: Author): string => {
    const seq = String(i).padStart(8, '0');
    switch (platform) {
      case 'facebook': return `${idPrefix}4471203_${seq}${rng.digits(4)}`;
      case 'bluesky': return `at://${author.id}/app.bsky.feed.post/3l${rng.alnum(5, 'abcdefghijklmnopqrstuvwxyz234567')}${i.toString(32)}`;
      case 'youtube': return `Ugz${rng.alnum(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}${i.toString(36)}4AaABAg`;
      case 'email': return `<${i.toString(16)}.${rng.alnum(12)}.${idPrefix}@${author.id.split('@')[1] ?? 'mail.example'}>`;
      case 'reddit': return `t1_${idPrefix}${i.toString(36)}`;
      case 'website': return `wp-comment-${idPrefix}${seq}`;
      case 'forum': return `post-${idPrefix}${seq}`;
      case 'whatsapp': return `wamid.${rng.alnum(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}${idPrefix}${seq}`;
      default: return `1${idPrefix}${seq}${rng.digits(5)}`;
    }
  };

  for (let i = 0; ; i++) {
    time += Math.max(1, Math.round(-Math.log(1 - rng.next()) * 20_000));
    const platform = rng.weighted(PLATFORM_WEIGHTS);
    const org = rng.weighted(orgWeights);
    const key = `${platform}\u0000${org.key}`;
    const openThreads = threads.get(key) ?? [];
    threads.set(key, openThreads);
    const host = HOSTS[platform];

    let kind: GeneratedItem['kind'];
    const r = rng.next();
    if (platform === 'email') kind = 'email';
    else if (platform === 'whatsapp' || (r < 0.03 && platform !== 'website' && platform !== 'forum')) kind = 'direct_message';
    else if (r < 0.06 && platform !== 'website' && platform !== 'forum') kind = 'mention';
    else if (openThreads.length === 0 || r < 0.10) kind = 'post';
    else kind = rng.chance(0.65) ? 'comment' : 'reply';

    const orgAuthor = kind === 'post' || ((kind === 'reply') && rng.chance(0.06));
    const author: Author = orgAuthor
      ? { id: `org-${org.key}-${platform}`, handle: platform === 'email' ? undefined : `@${org.handle}`, displayName: org.name, lang: 'de', nick: org.handle }
      : authorFor(platform);
    // Authors mostly write in their language; German organisations post mostly German.
    const lang: Lang = orgAuthor ? (rng.chance(0.8) ? 'de' : 'en') : rng.chance(0.92) ? author.lang : author.lang === 'de' ? 'en' : 'de';
    const platformId = newId(platform, i, author);
    const c: Ctx = { org, lang, rng, n: i };

    let thread: Thread | undefined;
    let parentId: string | undefined;
    if (kind === 'post') {
      thread = { id: platformId, permalinkBase: host ? `${host}/${org.handle}/posts/${platformId}` : '', comments: [] };
      openThreads.push(thread);
      if (openThreads.length > 12) openThreads.shift();
    } else if (kind === 'comment' || kind === 'reply') {
      // Recent threads get most comments.
      thread = openThreads[openThreads.length - 1 - rng.skewed(openThreads.length, 1.8)];
      if (kind === 'reply' && thread.comments.length) parentId = thread.comments[thread.comments.length - 1 - rng.skewed(thread.comments.length, 1.5)];
      else { kind = 'comment'; parentId = thread.id; }
      thread.comments.push(platformId);
      if (thread.comments.length > 40) thread.comments.shift();
    }

    let text: string;
    let links: string[] = [];
    if (orgAuthor && kind === 'post') {
      text = fill(rng.pick(ORG_POSTS[org.key][lang]), c);
      const m = text.match(/https:\/\/\S+/);
      if (m) links = [m[0]];
    } else if (orgAuthor) {
      const name = rng.pick(lang === 'de' ? FIRST_DE : FIRST_EN);
      text = fill(rng.pick(ORG_REPLIES[lang]), c, { name });
      const m = text.match(/https:\/\/\S+/);
      if (m) links = [m[0]];
    } else {
      const target = targetLength(rng, platform);
      if (target < 40 && rng.chance(0.55) && platform !== 'email') {
        text = rng.chance(0.25) ? rng.pick(ONE_EMOJI) : rng.pick(lang === 'de' ? ONE_WORD_DE : ONE_WORD_EN);
      } else {
        const mood = rng.weighted([['question', 35], ['complaint', 35], ['thanks', 12], ['opinion', 18]] as const);
        const mentions: string[] = [];
        if (kind === 'mention' || (platform !== 'email' && rng.chance(0.08))) mentions.push(`@${org.handle}`);
        if (kind === 'reply' && rng.chance(0.25)) mentions.push(`@${rng.pick(NICKS)}${rng.int(1, 99)}`);
        const built = buildText(c, platform, mood, target, mentions);
        text = built.text;
        // Some platforms deliver the links they found; others leave it to Allmende.
        if (built.links.length && rng.chance(0.5)) links = built.links;
      }
    }

    const item: GeneratedItem = {
      platform,
      connection: org.connection,
      platformId,
      kind,
      author: {
        platformUserId: author.id,
        ...(author.handle ? { handle: author.handle } : {}),
        displayName: author.displayName,
        ...(author.profileUrl ? { profileUrl: author.profileUrl } : {}),
      },
      text,
      createdAt: new Date(time).toISOString(),
    };
    if (thread) item.threadId = thread.id;
    if (parentId) item.parentId = parentId;
    if (kind === 'email') item.threadId = `<thread-${org.key}-${author.id}>`;
    if (kind === 'direct_message') item.threadId = `dm-${org.key}-${author.id}`;
    if ((platform === 'bluesky' || platform === 'x' || platform === 'mastodon') && rng.chance(0.7)) item.language = lang;
    if (links.length) item.links = links;
    if ((platform === 'instagram' && kind === 'post') || rng.chance(0.015)) {
      item.media = [{ url: `https://cdn.${org.site}/media/${i.toString(36)}.jpg`, type: 'image/jpeg', ...(rng.chance(0.4) ? { alt: lang === 'de' ? 'Foto einer Haltestelle im Regen' : 'Photo of a stop in the rain' } : {}) }];
    }
    if (thread && host) item.permalink = kind === 'post' ? thread.permalinkBase : `${thread.permalinkBase}?comment_id=${encodeURIComponent(platformId)}`;
    yield item;
  }
}

export function generateItems(n: number, seed = 1): GeneratedItem[] {
  const out: GeneratedItem[] = [];
  const it = itemStream(seed);
  for (let i = 0; i < n; i++) out.push(it.next().value as GeneratedItem);
  return out;
}

// node --import tsx bench/generate.ts N [seed] > file.ndjson
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(n) || n < 0) { console.error('usage: node --import tsx bench/generate.ts N [seed] > items.ndjson'); process.exit(2); }
  const it = itemStream(seed);
  let buf = '';
  const flush = () => new Promise<void>((res) => { if (process.stdout.write(buf)) res(); else process.stdout.once('drain', () => res()); buf = ''; });
  for (let i = 0; i < n; i++) {
    buf += JSON.stringify(it.next().value) + '\n';
    if (buf.length > 1 << 20) await flush();
  }
  await flush();
}
