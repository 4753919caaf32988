import { describe, it, expect, beforeAll } from 'vitest';
import { normaliseText } from '../../src/core/text/normalise.js';
import { createLanguageDetector, prepareForLanguageDetection, type LanguageDetector } from '../../src/core/text/language.js';

const fold = (s: string) => normaliseText(s).folded;
const norm = (s: string) => normaliseText(s).normalised;

describe('normaliseText: normalised', () => {
  it('removes invisible and format characters', () => {
    expect(norm('Id\u200Biot')).toBe('Idiot'); // zero-width space
    expect(norm('Id\u200C\u200Diot')).toBe('Idiot'); // ZWNJ, ZWJ
    expect(norm('Id\u2060iot\uFEFF')).toBe('Idiot'); // word joiner, BOM
    expect(norm('Id\u00ADiot')).toBe('Idiot'); // soft hyphen
    expect(norm('\u202Eabc\u202C \u2066x\u2069')).toBe('abc x'); // bidi override, isolate
    expect(norm('❤\uFE0F')).toBe('❤'); // variation selector
    expect(norm('a\u{E0041}\u{E007F}b')).toBe('ab'); // tag characters
    expect(norm('a\u0000b\u0007c')).toBe('abc'); // controls
  });

  it('applies NFKC: fullwidth, ligatures, mathematical letters', () => {
    expect(norm('Ｉｄｉｏｔ')).toBe('Idiot');
    expect(norm('ﬁnden ﬂach')).toBe('finden flach');
    expect(norm('𝐁𝐨𝐥𝐝 𝕯𝖔𝖔𝖋')).toBe('Bold Doof');
    expect(norm('e\u0301')).toBe('é'); // composed
    expect(norm('e\u200B\u0301')).toBe('é'); // invisible removed before composing
  });

  it('collapses whitespace, keeps case and diacritics', () => {
    expect(norm('  Hallo \t\n  Welt\u00A0\u3000Ärger  ')).toBe('Hallo Welt Ärger');
    expect(norm('a\u2800b')).toBe('a b'); // Braille blank used as a space
    expect(norm('Straße Çà')).toBe('Straße Çà');
  });
});

describe('normaliseText: folded', () => {
  it('lower-cases and removes diacritics', () => {
    expect(fold('Ça va? Naïve Øre Łódź')).toBe('ca va? naive ore lodz');
    expect(fold('Z̷a̶l̸g̵o̴')).toBe('zalgo');
  });

  it('transliterates German umlauts and ß the German way', () => {
    expect(fold('Ärger über Öl')).toBe('aerger ueber oel');
    expect(fold('Straße Haß ẞ')).toBe('strasse hass ss');
    expect(fold('Ärger')).toBe(fold('Aerger'));
    expect(fold('schwül')).not.toBe(fold('schwul'));
  });

  it('folds Cyrillic and Greek homoglyphs inside Latin words', () => {
    expect(fold('\u0406diot')).toBe('idiot'); // Cyrillic І
    expect(fold('p\u0430yp\u0430l')).toBe('paypal'); // Cyrillic а
    expect(fold('Du bist \u0421\u0430\u0440\u0435')).toBe('du bist cape'); // only look-alikes, Latin text
    expect(fold('Du \u0441\u043E\u0441k')).toBe('du cock');
    expect(fold('\u03BFk \u03B1lles')).toBe('ok alles'); // Greek ο, α
  });

  it('leaves real Cyrillic and Greek text in its own script', () => {
    expect(fold('Привет мир')).toBe('привет мир');
    expect(fold('Καλημέρα κόσμε')).toBe('καλημερα κοσμε');
  });

  it('folds leetspeak inside words', () => {
    expect(fold('H4ss')).toBe('hass');
    expect(fold('1d10t')).toBe('idiot');
    expect(fold('Id!ot')).toBe('idiot');
    expect(fold('ID!OT')).toBe('idiot');
    expect(fold('f@ck')).toBe('fack');
    expect(fold('5chwein $chwein')).toBe('schwein schwein');
    expect(fold('H4ss!!!')).toBe('hass!!!');
    expect(fold('Ｈ４ｓｓ')).toBe('hass'); // fullwidth, via NFKC
  });

  it('keeps numbers and ordinary punctuation', () => {
    expect(fold('Am 24.12.2024 um 5 Uhr')).toBe('am 24.12.2024 um 5 uhr');
    expect(fold('5 Euro, 10€, 2024')).toBe('5 euro, 10€, 2024');
    expect(fold('1st 5kg 90er covid19 Teil1')).toBe('1st 5kg 90er covid19 teil1');
    expect(fold('Danke!Super')).toBe('danke!super');
    expect(fold('Idiot!')).toBe('idiot!');
    expect(fold('max@example.com')).toBe('max@example.com');
  });

  it('cuts letters repeated 3+ times to 2', () => {
    expect(fold('Idiooooot')).toBe('idioot');
    expect(fold('Hass Kaffee')).toBe('hass kaffee');
    expect(fold('Neeeeiiiin!!!!')).toBe('neeiin!!!!');
    expect(fold('1000000')).toBe('1000000');
  });

  it('joins spaced-out letters', () => {
    expect(fold('I d i o t')).toBe('idiot');
    expect(fold('i.d.i.o.t')).toBe('idiot');
    expect(fold('Du i-d-i-o-t!')).toBe('du idiot!');
    expect(fold('I d 1 o t')).toBe('idiot');
    expect(fold('u.s.w. z. B.')).toBe('usw. z. b.');
    expect(fold('z. B. so')).toBe('z. b. so'); // only two single letters
    expect(fold('Am 24.12.2024 um 5 Uhr')).toBe('am 24.12.2024 um 5 uhr');
  });

  it('runs in linear time on hostile input', () => {
    const hostile = [
      'a'.repeat(100_000),
      'a.'.repeat(50_000),
      'a '.repeat(50_000),
      '1a'.repeat(50_000),
      'a 1 '.repeat(25_000),
      'a' + ' 1'.repeat(49_999),
      '\u0430'.repeat(50_000) + 'a'.repeat(50_000),
      'e\u0301\u0302\u0303'.repeat(25_000),
      '\u200B'.repeat(100_000),
      '!a@'.repeat(33_334),
      'I.d '.repeat(25_000),
    ];
    for (const text of hostile) {
      const t0 = performance.now();
      const r = normaliseText(text);
      const ms = performance.now() - t0;
      expect(r.folded.length).toBeLessThanOrEqual(r.normalised.length * 2 + 1);
      expect(ms).toBeLessThan(1000);
    }
  });
});

describe('language detection', () => {
  let detector: LanguageDetector;
  beforeAll(async () => {
    detector = await createLanguageDetector();
  }, 30_000);

  const lang = (text: string) => detector.detect(text).language;

  it('strips links, handles, hashtag marks and emojis before detecting', () => {
    expect(prepareForLanguageDetection('RT @user: Das ist #super 😂 https://t.co/x example.com/a')).toBe('Das ist super');
  });

  it('detects German', () => {
    expect(lang('Danke, sehr hilfreich!')).toBe('de');
    expect(lang('Ich finde die Diskussion hier wirklich spannend.')).toBe('de');
    expect(lang('@anna Wann macht ihr wieder auf? 🙂')).toBe('de');
    expect(lang('Die Bahn ist schon wieder zu spät, unglaublich.')).toBe('de');
    expect(lang('Nazis raus')).toBe('de');
    expect(lang('Guten Morgen')).toBe('de');
  });

  it('detects English', () => {
    expect(lang('Thanks, very helpful!')).toBe('en');
    expect(lang('I think this discussion is really interesting.')).toBe('en');
    expect(lang('@bob when are you open again? 🙂')).toBe('en');
    expect(lang('The train is late again, unbelievable.')).toBe('en');
    expect(lang('Good morning')).toBe('en');
  });

  it('returns other languages when confident', () => {
    expect(lang("Merci beaucoup, c'est très utile !")).toBe('fr');
    expect(lang('Muchas gracias, muy útil.')).toBe('es');
    expect(lang('Спасибо, очень полезно!')).toBe('ru');
  });

  it('returns null for no language', () => {
    for (const text of ['😂😂😂', 'https://example.com', '@someone', '#', '', '   ', '12345', 'ok']) {
      const r = detector.detect(text);
      expect(r.language).toBeNull();
      expect(r.confidence).toBe(0);
    }
  });

  it('gives a confidence between 0 and 1', () => {
    const r = detector.detect('Das ist ein ganz normaler deutscher Satz.');
    expect(r.language).toBe('de');
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });

  it('handles hostile input quickly', () => {
    const t0 = performance.now();
    detector.detect('ab'.repeat(100_000));
    detector.detect('http://' + 'a'.repeat(100_000));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
