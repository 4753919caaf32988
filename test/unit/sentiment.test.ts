// Sentiment from the German and English word list: the sign on hand-labelled comments as a
// community team writes and reads them, and the rules (negation, emphasis, contrast, endings,
// false friends) each on a case where it decides.
import { describe, it, expect } from 'vitest';
import { sentimentOf } from '../../src/people/sentiment.js';

// [text, language, expected sign], labelled by hand.
const LABELLED: [string, 'de' | 'en', -1 | 0 | 1][] = [
  ['Vielen Dank für die schnelle Hilfe, das hat super geklappt!', 'de', 1],
  ['Tolle Aktion, bitte mehr davon 👍', 'de', 1],
  ['Ich finde das neue Freibad wunderschön.', 'de', 1],
  ['Endlich mal eine gute Nachricht aus dem Rathaus.', 'de', 1],
  ['Das Team war sehr freundlich und hilfsbereit.', 'de', 1],
  ['Danke, jetzt funktioniert alles wieder.', 'de', 1],
  ['Herzlichen Glückwunsch zum Jubiläum!', 'de', 1],
  ['Die Busse sind schon wieder verspätet, eine Zumutung.', 'de', -1],
  ['Absolute Frechheit, niemand antwortet hier.', 'de', -1],
  ['Die App ist kaputt und der Support ist unfreundlich.', 'de', -1],
  ['Schon wieder eine Störung, ich bin echt genervt 😡', 'de', -1],
  ['Das ist nicht gut gelaufen.', 'de', -1],
  ['Leider ist das Angebot viel zu teuer.', 'de', -1],
  ['So ein Mist, ich hasse diese Baustelle.', 'de', -1],
  ['Wann öffnet das Bürgerbüro am Samstag?', 'de', 0],
  ['Die Linie 7 fährt ab Montag über den Marktplatz.', 'de', 0],
  ['Wo kann ich das Formular abgeben?', 'de', 0],
  ['Thanks a lot, the team was really helpful!', 'en', 1],
  ['Great news, congratulations to everyone involved 🎉', 'en', 1],
  ['I love the new park, it is beautiful.', 'en', 1],
  ['This is the worst service I have ever had.', 'en', -1],
  ['The app is broken again, so annoying.', 'en', -1],
  ["I don't like this and it isn't helpful at all.", 'en', -1],
  ['Terrible decision, what a waste of money.', 'en', -1],
  ['When does the library open on Sunday?', 'en', 0],
  ['The meeting is at 7 pm in the town hall.', 'en', 0],
];

describe('sentiment', () => {
  it('gets the sign of hand-labelled German and English comments right', () => {
    const wrong = LABELLED.filter(([text, lang, sign]) => Math.sign(sentimentOf(text, lang).score) !== sign);
    expect(wrong).toEqual([]);
  });

  it('turns a negated opinion around, weaker than its opposite', () => {
    const good = sentimentOf('Das ist gut.', 'de').score;
    const notGood = sentimentOf('Das ist nicht gut.', 'de').score;
    const bad = sentimentOf('Das ist schlecht.', 'de').score;
    expect(good).toBeGreaterThan(0);
    expect(notGood).toBeLessThan(0);
    expect(notGood).toBeGreaterThan(bad);
    // The negation ends with the clause: "nicht schlimm. Gut!" keeps "Gut" positive.
    expect(sentimentOf('Nicht schlimm. Gut gemacht!', 'de').words.map((w) => Math.sign(w.weight))).toEqual([1, 1]);
  });

  it('strengthens what follows an intensifier and weighs the part after "aber"/"but" more', () => {
    expect(sentimentOf('wirklich gut', 'de').score).toBeGreaterThan(sentimentOf('gut', 'de').score);
    expect(sentimentOf('Great idea, but the result is bad.', 'en').score).toBeLessThan(0);
    expect(sentimentOf('Schlechter Start, aber am Ende großartig.', 'de').score).toBeGreaterThan(0);
  });

  it('finds German words with their endings and keeps false friends to their language', () => {
    expect(sentimentOf('die schönsten Bilder', 'de').words[0].word).toBe('schoen');
    expect(sentimentOf('ein großartiger Abend', 'de').words[0].word).toBe('grossartig');
    expect(sentimentOf('Das Bad ist renoviert.', 'de').score).toBe(0);
    expect(sentimentOf('That was bad.', 'en').score).toBeLessThan(0);
    expect(sentimentOf('The toll road is open.', 'en').score).toBe(0);
    expect(sentimentOf('Das war toll!', 'de').score).toBeGreaterThan(0);
  });

  it('squashes the sum into -1 … 1 and says which words counted', () => {
    const s = sentimentOf('Super, toll, wunderbar, großartig, perfekt, genial!', 'de');
    expect(s.score).toBeGreaterThan(0.9);
    expect(s.score).toBeLessThan(1);
    expect(s.words).toHaveLength(6);
    expect(sentimentOf('', null)).toEqual({ score: 0, words: [] });
  });
});
