import { describe, it, expect } from 'vitest';
import { foldText, normaliseForReading, normaliseText } from '../../src/core/text/normalise.js';
import {
  alignFolded,
  compileWordList,
  fastFold,
  matchNormalised,
  matchText,
  termKey,
  WordListError,
  type CompiledList,
  type WordListEntry,
} from '../../src/moderation/wordlists/matcher.js';
import { loadShippedLists, parseWordListText, readShippedListText } from '../../src/moderation/wordlists/shipped.js';
import { CATEGORIES } from '../../src/moderation/types.js';

const shipped = loadShippedLists();
const hits = (text: string, lists: CompiledList[] = shipped) => matchText(lists, text);
const terms = (text: string, lists: CompiledList[] = shipped) => hits(text, lists).map((h) => h.term);

/** Every hit's offsets must point at its `matched` text in the normalised text. */
function expectConsistent(text: string, lists: CompiledList[] = shipped) {
  const norm = normaliseForReading(text);
  for (const h of matchText(lists, text)) {
    expect(h.start).toBeGreaterThanOrEqual(0);
    expect(h.end).toBeLessThanOrEqual(norm.length);
    expect(norm.slice(h.start, h.end)).toBe(h.matched);
  }
}

describe('shipped lists', () => {
  it('parse without errors or warnings and have a sensible size', () => {
    for (const name of ['de', 'en'] as const) {
      const parsed = parseWordListText(readShippedListText(name), name);
      expect(parsed.errors).toEqual([]);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.entries.length).toBeGreaterThanOrEqual(150);
      expect(parsed.entries.length).toBeLessThanOrEqual(400);
      for (const c of CATEGORIES) expect(parsed.entries.some((e) => e.category === c), `${name} has ${c}`).toBe(true);
    }
    expect(shipped.map((l) => l.name)).toEqual(['de', 'en']);
  });
});

describe('evasion: German', () => {
  const cases: [text: string, matched: string][] = [
    ['Du Idiot', 'Idiot'],
    ['Du Id1ot', 'Id1ot'], // leet
    ['Du 1d10t', '1d10t'],
    ['Du Id!ot', 'Id!ot'],
    ['DU ID!OT', 'ID!OT'],
    ['Du I d i o t', 'I d i o t'], // spaced
    ['Du i.d.i.o.t!', 'i.d.i.o.t'],
    ['Du I-d-i-o-t', 'I-d-i-o-t'],
    ['Du I d 1 o t', 'I d 1 o t'],
    ['Du \u0406diot', '\u0406diot'], // Cyrillic І
    ['Du V\u043Ellidi\u043Et', 'idi\u043Et'], // Cyrillic о twice
    ['Du IDIOOOOOT', 'IDIOOOOOT'], // elongated: "idioot" is read as "idiot" too
    ['Du Id\u200Biot', 'Idiot'], // zero-width space (removed in the normalised text)
    ['Du Id\u00ADi\u2060ot', 'Idiot'], // soft hyphen, word joiner
    ['Du Ｉｄｉｏｔ', 'Idiot'], // fullwidth (NFKC)
    ['Du 𝐈𝐝𝐢𝐨𝐭', 'Idiot'], // mathematical bold (NFKC)
    ['Du Ìdíòt', 'Ìdíòt'], // diacritics
    ['Du Hur3nsohn', 'Hur3nsohn'],
    ['Du $chlampe', '$chlampe'],
    ['Du W1chser', 'W1chser'],
    ['Du F0tze', 'F0tze'],
    ['Du KÜMMELTÜRKE', 'KÜMMELTÜRKE'],
    ['Du Kuemmeltuerke', 'Kuemmeltuerke'], // umlauts typed as ae/oe/ue
    ['So ein Arschlochhhhh', 'Arschloch'], // the hit ends where the term ends
  ];
  for (const [text, matched] of cases) {
    it(`finds ${JSON.stringify(text)}`, () => {
      const found = hits(text);
      expect(found.map((h) => h.matched)).toContain(matched);
      expectConsistent(text);
    });
  }

  it('finds insults inside German compounds (part mode)', () => {
    expect(terms('Du Vollidiot')).toEqual(['idiot']);
    expect(terms('Drecksidiot!')).toContain('idiot');
    expect(terms('Du Drecks-Idiot')).toEqual(['drecks', 'idiot']); // profanity + insult
    expect(terms('Oberarschloch')).toEqual(['arschloch']);
    expect(terms('ihr Hurensöhne')).toEqual(['hure']); // "hurensoehne": the plural still meets "hure"
    expect(terms('Du Hurensohn')).toEqual(['hurensohn']); // not also "hure": it lies inside the longer hit
    expect(hits('Vollidioten überall')[0]).toMatchObject({ list: 'de', category: 'insult', term: 'idiot', matched: 'idiot', start: 4, end: 9 });
  });

  it('finds threats written as phrases, also with punctuation in between', () => {
    expect(hits('Ich bring dich um!')).toMatchObject([{ category: 'threat', term: 'bring dich um', matched: 'bring dich um' }]);
    expect(hits('Ich weiß, wo du wohnst.')).toMatchObject([{ category: 'threat', term: 'weiß wo du wohnst', matched: 'weiß, wo du wohnst' }]);
    expect(terms('Den sollte man an die Wand stellen')).toEqual(['sollte man an die wand stellen']);
    expect(terms('ich werde dich abstechen')).toEqual(['dich abstechen']);
    expect(terms('Der gehört erschossen')).toEqual(['gehört erschossen']);
    expect(terms('Juden ins Gas')).toContain('juden ins gas');
  });

  it('finds spam phrases', () => {
    expect(hits('JETZT KAUFEN!!! Nur für kurze Zeit')).toMatchObject([
      { category: 'spam', term: 'jetzt kaufen' }, { category: 'spam', term: 'nur für kurze zeit' },
    ]);
    expect(terms('Bestes Online-Casino. Bonus ohne Einzahlung')).toEqual(['online casino', 'bonus ohne einzahlung']);
    expect(terms('Online-Casino, Bonus')).toEqual(['online casino', 'casino bonus']); // a comma counts as a space
    expect(terms('Passives Einkommen mit Krypto, schreib mir auf WhatsApp')).toEqual(['passives einkommen', 'mir auf whatsapp']);
  });
});

describe('evasion: English', () => {
  it('finds leet, spacing, homoglyphs, elongation, invisible characters and masks', () => {
    expect(terms('F U C K this')).toEqual(['fuck']);
    expect(terms('this is sh1t')).toEqual(['shit']);
    expect(terms('you are a c.u.n.t')).toEqual(['cunt']);
    expect(terms('what an a$$hole')).toEqual(['asshole']);
    expect(terms('fuuuuuuck')).toEqual(['fuck']);
    expect(terms('you \u0399diot')).toEqual(['idiot']); // Greek capital iota
    expect(terms('F*ck off')).toEqual(['f*ck']); // masked spellings are entries of their own
    expect(terms('I will kill\u200B you')).toEqual(['kill you']);
    expect(terms('go kill yourself')).toEqual(['go kill yourself']);
  });

  it('finds threats and spam', () => {
    expect(terms('I know where you live.')).toEqual(['i know where you live']);
    expect(terms("You're dead, mate")).toEqual(["you're dead"]);
    expect(terms('Click here to double your Bitcoin')).toEqual(['click here', 'double your bitcoin']);
    expect(terms('Recovery expert: recover your lost funds, DM me for details')).toEqual(['recovery expert', 'recover your lost', 'dm me for']);
  });
});

describe('false friends', () => {
  // Innocent words and phrases that contain a listed term (checked below, so the list stays
  // meaningful): each must come through without a hit, by mode or by allow entry.
  const falseFriends: [text: string, contains: string][] = [
    // English list
    ['Scunthorpe', 'cunt'], ['snigger', 'nigger'], ['niggardly', 'nigga'], ['a skill you need', 'kill you'],
    ['Cockpit', 'cock'], ['cocktail', 'cock'], ['peacock', 'cock'], ['Hancock', 'cock'], ['Shitake', 'shit'],
    ['Shitstorm', 'shit'], ['Pissarro', 'piss'], ['Pissoir', 'piss'], ['oxymoron', 'moron'], ['Slutsk', 'slut'],
    ['debugger', 'bugger'], ['Saturday', 'turd'], ['arsenal', 'arse'], ['sparse', 'arse'], ['Kikeriki', 'kike'],
    ['Maine Coon', 'coon'], ['flame retardant', 'retard'], ['Retardtabletten', 'retard'],
    ['spastic paralysis', 'spastic'], ['pussy willow', 'pussy'], ['gobbledy gook', 'gook'], ['schwanken', 'wank'],
    ['Wankdorf', 'wank'], ['fickle', 'fick'], ['nutter', 'nutte'], ['cretinism', 'cretin'], ['shoot you a message', 'shoot you'],
    ['a chink in the armour', 'chink'], ['transmission and tranny fluid', 'tranny'],
    // German list
    ['idiotensicher', 'idiot'], ['Churer Rheintal', 'hure'], ['Hurenkind', 'hure'], ['Schlamperei', 'schlampe'],
    ['verschlampen', 'schlampe'], ['Bastardfeile', 'bastard'], ['Stunteinlage', 'tunte'], ['Transekt', 'transe'],
    ['Transept', 'transe'], ['transeuropäisch', 'transe'], ['Krüppelwalmdach', 'krueppel'], ['Spastik', 'spast'],
    ['Dreckspatz', 'drecks'], ['Dreckschleuder', 'drecks'], ['Marsch', 'arsch'], ['Warschau', 'arsch'],
    ['Barsch', 'arsch'], ['harsch', 'arsch'], ['Marschall', 'arsch'], ['Arschbombe', 'arsch'], ['Assistent', 'assi'],
    ['Justus Möser', 'moese'], ['Stucke', 'tucke'], ['Deppenapostroph', 'depp'], ['Johnny Depp', 'depp'],
    ['Da hast du Schwein gehabt', 'du schwein'], ['Wurdest du Opfer von Hass im Netz?', 'du opfer'],
    ['Gas abfackeln', 'abfackeln'], ['Deppendorf', 'depp'],
  ];
  it('has at least 40 false friends, each containing a listed term', () => {
    expect(falseFriends.length).toBeGreaterThanOrEqual(40);
    const allKeys = new Set(['de', 'en'].flatMap((n) => parseWordListText(readShippedListText(n as 'de'), n).entries.map((e) => termKey(e.term))));
    for (const [text, contains] of falseFriends) {
      expect(allKeys.has(contains), `"${contains}" is a listed term`).toBe(true);
      expect(normaliseText(text).folded.replaceAll('-', ' ')).toContain(contains);
    }
  });
  for (const [text] of falseFriends) {
    it(`spares ${JSON.stringify(text)}`, () => {
      expect(hits(text)).toEqual([]);
    });
  }

  it('spares innocent words that look suspicious but contain no listed term', () => {
    const innocent = [
      'Analyse', 'Muschel', 'Ausschuss', 'Schwanzfeder', 'Penistone', 'Hodenhagen', 'Dickicht', 'Essex', 'Sussex',
      'Therapist', 'assassin', 'class', 'classic', 'assessment', 'Passau', 'Sauerkraut', 'wichtig', 'Wichtel',
      'schlampig', 'schwul', 'Jude', 'Lesbe', 'die Zeit totschlagen', 'Meerschweinchen', 'Spargel stechen',
      'Das Brett ist zu dick', 'ein Ass im Ärmel', 'Kanal', 'banal', 'Mongolei', 'MongoDB', 'summa cum laude',
      'git push', 'Rasen sprengen', 'ein Bild aufhängen', 'Shiitake', 'Hass im Netz', 'Fidschi', 'Schweinefleisch',
      'Bombenstimmung', 'Der Hund wedelt mit dem Schwanz', 'doo-wop', 'Wir finden dich toll', 'Den Kauf wirst du nicht bereuen',
      'Sie ist ein echtes Ass', 'schwül', 'Dickens', 'Cumberland', 'Scheibe', 'Schicht', 'Kunst', 'Bitcoin', 'Casino Royale',
    ];
    for (const t of innocent) expect(hits(t), t).toEqual([]);
  });

  it('ignores links and @handles, but not the text around them', () => {
    expect(hits('https://www.youtube.com/watch?v=muonkXR5lUt')).toEqual([]);
    expect(hits('@DerBrainfucker hat recht, siehe www.example.com/idiot')).toEqual([]);
    expect(terms('Du Idiot https://example.com @someone')).toEqual(['idiot']);
    expect(matchText(shipped, 'www.example.com/idiot', { skipLinksAndHandles: false }).map((h) => h.term)).toEqual(['idiot']);
  });
});

describe('offsets', () => {
  it('point into the normalised text, across emojis, NFKC and removed characters', () => {
    const text = '😀👍🏽  Hallo\u200B,  du   Ｖｏｌｌｉｄｉｏｔ, ihr Drecks-Idioten!!! I d i o t.';
    const norm = normaliseForReading(text);
    const found = hits(text);
    expect(found.map((h) => [h.term, h.matched])).toEqual([['idiot', 'idiot'], ['drecks', 'Drecks'], ['idiot', 'Idiot'], ['idiot', 'I d i o t']]);
    for (const h of found) expect(norm.slice(h.start, h.end)).toBe(h.matched);
    expect(norm.indexOf('idiot')).toBe(found[0].start);
  });

  it('are the same from matchNormalised with a precomputed fold', () => {
    const text = 'Ärger über den Vollidioten, ich weiß, wo du wohnst! 🙂 Jetzt kaufen';
    const { normalised, folded } = normaliseText(text);
    expect(matchNormalised(shipped, normalised, { folded })).toEqual(matchText(shipped, text));
    expect(matchText(shipped, normalised)).toEqual(matchText(shipped, text)); // normalising twice changes nothing
  });

  it('map every folded unit back to the normalised text (alignment)', () => {
    const corpus = [
      'Ärger über Öl', 'Straße Haß ẞ', 'Ça va? Naïve Øre Łódź', 'Z̷a̶l̸g̵o̴', 'H4ss 1d10t Id!ot ID!OT f@ck 5chwein $chwein H4ss!!!',
      'Am 24.12.2024 um 5 Uhr', '5 Euro, 10€, 2024', '1st 5kg 90er covid19 Teil1', 'Danke!Super Idiot! max@example.com',
      'Idiooooot Hass Kaffee Neeeeiiiin!!!!', 'I d i o t, i.d.i.o.t, Du i-d-i-o-t!, I d 1 o t, u.s.w. z. B., z. B. so',
      'p\u0430yp\u0430l Du \u0421\u0430\u0440\u0435 Du \u0441\u043E\u0441k \u03BFk \u03B1lles', 'Привет мир Καλημέρα κόσμε ΟΔΟΣ',
      'ßßß Scheißßße AAAAAä æææ œœœ', 'İstanbul ﬁx ǅ', '👍🏽 family 👨‍👩‍👧 漢字 ١٢٣',
    ];
    for (const text of corpus) {
      const norm = normaliseForReading(text);
      const m = alignFolded(norm);
      expect(m.folded).toBe(foldText(norm));
      expect(m.fallbacks, text).toBe(0);
      for (let j = 1; j < m.folded.length; j++) expect(m.srcStart[j]).toBeGreaterThanOrEqual(m.srcStart[j - 1]);
    }
  });

  it('stay monotonic and inside the text on random hostile input', () => {
    const alphabet = [...'abcdeiostxyzABCDEIOST0134579@$!€.-_*·/• ,;:\'’äöüßÄÖÜẞéñçøłæœþİıΣσΟΑΙαιοаеоіІсСрхуКМ\u0301😀👍🏽漢', '\u200B', 'ﬁ', 'Ｉ', '𝐁'];
    let seed = 42;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    let exact = 0;
    const broken: string[] = [];
    const N = 3000;
    for (let n = 0; n < N; n++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 30);
      for (let k = 0; k < len; k++) {
        const r = rnd();
        s += r < 0.25 ? ' ' : r < 0.35 ? s.slice(-1).repeat(2) : alphabet[Math.floor(rnd() * alphabet.length)];
      }
      const norm = normaliseForReading(s);
      const m = alignFolded(norm);
      if (m.fallbacks === 0) exact++;
      for (let j = 0; j < m.folded.length; j++) {
        const ok = m.srcStart[j] <= m.srcEnd[j] && m.srcEnd[j] <= norm.length && (j === 0 || m.srcStart[j] >= m.srcStart[j - 1]);
        if (!ok) broken.push(norm);
      }
    }
    expect(broken).toEqual([]);
    expect(exact / N).toBeGreaterThan(0.99); // the rest: runs of Greek sigma and the like
  });
});

describe('mixed scripts', () => {
  it('leaves real Russian and Greek text alone and finds look-alikes in Latin text', () => {
    expect(hits('Привет, как дела? Καλημέρα κόσμε')).toEqual([]);
    expect(hits('ты идиот')).toEqual([]); // Cyrillic "идиот" is not the Latin word (a Russian list would have it)
    expect(terms('你好 Idiot')).toEqual(['idiot']);
    expect(hits('你好 Idiot')[0]).toMatchObject({ start: 3, end: 8 });
    expect(terms('مرحبا Vollidiot مرحبا')).toEqual(['idiot']);
  });

  it('matches terms of other scripts from workspace lists', () => {
    const ru = parseWordListText('insult part сука\ninsult word тупой', 'ru-ws');
    expect(ru.errors).toEqual([]);
    expect(matchText([ru.list!], 'ты сука, тупой').map((h) => h.matched)).toEqual(['сука', 'тупой']);
    expect(matchText([ru.list!], 'тупой-тупой тупойка').map((h) => h.matched)).toEqual(['тупой', 'тупой']);
  });
});

describe('workspace lists: format, validation, allow entries', () => {
  it('parses TAB and space separated lines, comments and modes', () => {
    const parsed = parseWordListText(
      '\uFEFF# Our own list\n\ninsult\tword\tHonk\nthreat\tdich verhauen\nSPAM Start Gewinnspiel hier\nallow word honk honk\n   \n',
      'club',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toEqual([
      { term: 'Honk', category: 'insult', mode: 'word', line: 3 },
      { term: 'dich verhauen', category: 'threat', mode: 'part', line: 4 },
      { term: 'Gewinnspiel hier', category: 'spam', mode: 'start', line: 5 },
    ]);
    expect(parsed.allow).toEqual([{ term: 'honk honk', mode: 'word', line: 6 }]);
    const list = parsed.list!;
    expect(matchText([list], 'Du Honk! Honk honk sagt das Auto. Honky').map((h) => h.matched)).toEqual(['Honk']);
    expect(matchText([list], 'Ich will dich verhauen').map((h) => h.term)).toEqual(['dich verhauen']);
  });

  it('reports every error with its line number', () => {
    const parsed = parseWordListText(
      [
        'insult part idiot', // 1 ok
        'insul part depp', // 2 unknown category
        'insult wort depp', // 3 "wort" is not a mode: the term is "wort depp" (fine)
        'insult\tsometimes\tdepp', // 4 unknown mode (TAB form is explicit)
        'threat', // 5 no term
        'insult part ab', // 6 too short for part
        'insult part aaa', // 7 folds to "aa"
        'insult word a', // 8 too short even for word
        'profanity part !!!', // 9 no letter
        'allow part idiot', // 10 same as a term
        'insult\tpart\tx\ty', // 11 too many fields
        'spam part ' + 'x'.repeat(1200), // 12 line too long
      ].join('\n'),
      'bad',
    );
    expect(parsed.list).toBeNull();
    const byLine = new Map(parsed.errors.map((e) => [e.line, e.message]));
    expect([...byLine.keys()]).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(byLine.get(2)).toMatch(/unknown category "insul"; expected one of insult, threat, slur, profanity, spam or allow/);
    expect(byLine.get(4)).toMatch(/unknown mode "sometimes"/);
    expect(byLine.get(5)).toMatch(/no term/);
    expect(byLine.get(6)).toMatch(/folds to "ab" \(2 characters\); part terms need at least 3/);
    expect(byLine.get(7)).toMatch(/folds to "aa"/);
    expect(byLine.get(8)).toMatch(/word terms need at least 2/);
    expect(byLine.get(9)).toMatch(/no letter or digit/);
    expect(byLine.get(10)).toMatch(/same as the term "idiot"/);
    expect(byLine.get(11)).toMatch(/4 TAB-separated fields/);
    expect(byLine.get(12)).toMatch(/longer than 1000 characters/);
  });

  it('warns about duplicates and allow entries that allow nothing', () => {
    const parsed = parseWordListText('insult part Idiot\ninsult part IDIOT\ninsult part idi0t\nallow part Blumenkohl\nallow part idiotensicher', 'w');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [2, 'duplicate of line 1 (same folded term, category and mode); ignored'],
      [3, 'duplicate of line 1 (same folded term, category and mode); ignored'], // "idi0t" folds to "idiot"
      [4, 'allow entry contains no term of this list or of the lists matched with it, so it allows nothing'],
    ]);
    expect(parsed.warnings.map((w) => [w.code, w.messageDe])).toEqual([
      ['duplicate', 'doppelt (wie Zeile 1: gleicher Begriff, gleiche Kategorie und gleicher Modus); wird ignoriert'],
      ['duplicate', 'doppelt (wie Zeile 1: gleicher Begriff, gleiche Kategorie und gleicher Modus); wird ignoriert'],
      ['allow_no_effect', 'die Ausnahme enthält keinen Begriff dieser Liste oder der mit ihr geprüften Listen und bewirkt deshalb nichts'],
    ]);
  });

  it('words every problem in English and German with a stable code', () => {
    const parsed = parseWordListText('insult part a\nspam\tword\tx\tzu viel\ninsult wrongmode\ninsult part !!!\n', 'w');
    expect(parsed.errors.map((e) => [e.line, e.code, e.message, e.messageDe])).toEqual([
      [1, 'folds_too_short', 'folds to "a" (1 character); part terms need at least 3 — use mode "word" for a short whole word',
        'wird zu „a“ (1 Zeichen); Begriffe im Modus part brauchen mindestens 3 – nimm den Modus „word“ für ein kurzes ganzes Wort'],
      [2, 'too_many_fields', 'expected "category<TAB>mode<TAB>term", found 4 TAB-separated fields', 'erwartet „Kategorie<TAB>Modus<TAB>Begriff“, gefunden: 4 durch TAB getrennte Felder'],
      [4, 'no_letter', 'has no letter or digit', 'enthält keinen Buchstaben und keine Ziffer'],
    ]);
  });

  it('compileWordList names the entry when there is no line, and checks categories and modes', () => {
    let err: unknown;
    try {
      compileWordList(
        [
          { term: 'idiot', category: 'insult' },
          { term: '  ', category: 'insult' },
          { term: 'depp', category: 'rude' as never },
          { term: 'doof', category: 'insult', mode: 'fuzzy' as never },
          { term: 'xy', category: 'insult', mode: 'part' },
        ],
        ['', 'idiotensicher'],
        'api',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WordListError);
    const problems = (err as WordListError).problems.map((p) => [p.entry, p.message]);
    expect(problems).toEqual([
      [2, 'empty term'],
      [3, expect.stringMatching(/^unknown category "rude"; expected one of insult, threat, slur, profanity, spam$/)],
      [4, expect.stringMatching(/^unknown mode "fuzzy"; expected one of part, word, start, end$/)],
      [5, expect.stringMatching(/^folds to "xy" \(2 characters\); part terms need at least 3/)],
      [1, 'empty allow entry'],
    ]);
    expect((err as Error).message).toMatch(/^Word list "api" has 5 problems:\n {2}entry 2/);
  });

  it('refuses lists over 200,000 entries at once, before any work', () => {
    const entries: WordListEntry[] = Array.from({ length: 200_001 }, (_, i) => ({ term: `wort${i}`, category: 'insult' }));
    const t = performance.now();
    expect(() => compileWordList(entries, [], 'huge')).toThrow(/200,001 entries .* at most 200,000/);
    expect(performance.now() - t).toBeLessThan(1000);
    const text = entries.map((e) => `insult part ${e.term}`).join('\n');
    const parsed = parseWordListText(text, 'huge');
    expect(parsed.list).toBeNull();
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 200_001, message: expect.stringMatching(/more than 200,000 entries/) })]);
  });

  it('allow entries switch off hits that lie inside them, of every list matched together', () => {
    const a = compileWordList([{ term: 'tunte', category: 'slur' }], ['stunte'], 'a');
    const b = compileWordList([{ term: 'tunte', category: 'slur' }, { term: 'einlage', category: 'spam' }], [], 'b');
    expect(matchText([a], 'Stunteinlage')).toEqual([]);
    expect(matchText([b], 'Stunteinlage').map((h) => [h.list, h.term])).toEqual([['b', 'tunte'], ['b', 'einlage']]);
    // a's allow entry covers b's "tunte" but not b's "einlage", which it does not contain.
    expect(matchText([a, b], 'Stunteinlage, du Tunte').map((h) => [h.list, h.term, h.matched])).toEqual([
      ['b', 'einlage', 'einlage'], ['a', 'tunte', 'Tunte'],
    ]);
  });

  it('lets a workspace switch off a false friend of the shipped lists with an allow entry', () => {
    expect(terms('Zigeunerschnitzel mit Pommes')).toEqual(['zigeuner']);
    const ws = parseWordListText('# Our restaurant community\nallow part Zigeunerschnitzel\nallow part Zigeunersauce', 'food');
    expect(ws.errors).toEqual([]);
    expect(ws.warnings).toEqual([]); // they allow terms of the shipped lists
    expect(matchText([...shipped, ws.list!], 'Zigeunerschnitzel mit Pommes')).toEqual([]);
    expect(matchText([...shipped, ws.list!], 'Zigeunerpack').map((h) => h.term)).toEqual(['zigeuner']);
  });

  it('reports a span once per category, the first list winning, and bounds the number of hits', () => {
    expect(hits('Idiot').map((h) => h.list)).toEqual(['de']); // "idiot" is in both lists
    const many = 'Idiot '.repeat(5000);
    expect(matchText(shipped, many).length).toBe(1000);
    expect(matchText(shipped, many, { maxHits: 10 }).length).toBe(10);
  });
});

describe('term folding', () => {
  it('the ASCII shortcut agrees with foldText', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    let checked = 0;
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 14);
      for (let k = 0; k < len; k++) s += rnd() < 0.15 ? ' ' : String.fromCharCode((rnd() < 0.3 ? 65 : 97) + Math.floor(rnd() * (rnd() < 0.5 ? 3 : 26)));
      const fast = fastFold(s);
      if (fast !== null) {
        checked++;
        expect(fast, s).toBe(foldText(normaliseForReading(s)));
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('scale', () => {
  // A bound against catastrophic behaviour (an exponential or quadratic blow-up would take
  // minutes), not a benchmark: bench/wordlists.ts measures. CPU time, so that other processes
  // on a busy machine do not count.
  it('compiles 100,000 entries and matches a hostile 100,000-character text in bounded time', () => {
    let seed = 99;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const entries: WordListEntry[] = [];
    for (let i = 0; i < 100_000; i++) {
      let w = '';
      const len = 5 + Math.floor(rnd() * 8);
      while (w.length < len) {
        const c = String.fromCharCode(97 + Math.floor(rnd() * 26));
        if (!(w.length >= 2 && w[w.length - 1] === c && w[w.length - 2] === c)) w += c;
      }
      entries.push({ term: w, category: CATEGORIES[i % 5], mode: i % 3 === 0 ? 'word' : 'part' });
    }
    // Patterns that make failure links work hard: ab…ab, a…a b, spaced letters.
    for (let k = 1; k <= 40; k++) entries.push({ term: 'ab'.repeat(k) + 'c', category: 'spam' });
    let hostile = '';
    while (hostile.length < 100_000) {
      const r = rnd();
      if (r < 0.3) hostile += entries[Math.floor(rnd() * 100_000)].term;
      else if (r < 0.5) hostile += 'ab'.repeat(60);
      else if (r < 0.6) hostile += 'a b c d e f g h i j k l m n o p ';
      else if (r < 0.7) hostile += 'x\u200B'.repeat(50) + 'Ι\u0301'.repeat(20);
      else hostile += ` ${entries[Math.floor(rnd() * 100_000)].term} `;
    }
    hostile = hostile.slice(0, 100_000);

    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const list = compileWordList(entries, ['zzqzz'], 'big');
    const found = matchText([list], hostile, { maxHits: 100_000 });
    const cpu = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    expect(list.terms).toBeGreaterThan(99_000);
    expect(found.length).toBeGreaterThan(100);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
    expect(wall).toBeLessThan(20_000);
    expect(list.stats().bytes).toBeLessThan(64 * 1024 * 1024);
  });
});
