import { describe, it, expect } from 'vitest';
import { detectNeedsAnswer } from '../../src/sla/needs-answer.js';
import { classifyNeedsAnswer } from '../../src/sla/needs-answer-model.js';
import { train } from '../../src/moderation/classifier/index.js';
import { DEFAULT_FEATURES } from '../../src/moderation/classifier/features.js';
import { normaliseText } from '../../src/core/text/normalise.js';

const cases: [string, boolean, string][] = [
  // German questions, with and without the question mark
  ['Wann fährt die Linie 5 wieder?', true, 'question'],
  ['Hallo! Gibt es die Tickets auch am Schalter', true, 'question'],
  ['Weiß jemand, ob das Bad morgen offen hat?', true, 'question'],
  // complaints
  ['Die App funktioniert schon wieder nicht.', true, 'complaint'],
  ['Seit Tagen keine Antwort von euch. Frechheit.', true, 'complaint'],
  ['Warum ist der Zähler schon wieder kaputt?', true, 'complaint'],
  // requests
  ['Bitte ruft mich zurück, Nummer steht im Profil', true, 'request'],
  ['Ich brauche eine Kopie meiner Rechnung', true, 'request'],
  // English
  ['When does the pool open tomorrow?', true, 'question'],
  ['how do I cancel my contract', true, 'question'],
  ['I was charged twice this month', true, 'complaint'],
  ['Please send me the form', true, 'request'],
  // no answer needed
  ['Danke euch, super Arbeit!', false, 'thanks'],
  ['Vielen Dank für die schnelle Hilfe 🙏', false, 'thanks'],
  ['thanks!', false, 'thanks'],
  ['👍👍', false, 'thanks'],
  ['Schönes Foto vom Hafen heute.', false, 'nothing_asked'],
  ['Great job team', false, 'thanks'],
  // An exclamation that opens with a question word fools the rules; the team model learns it (below).
  ['Was für ein schöner Tag.', true, 'question'],
];

describe('needs an answer: the rules', () => {
  it.each(cases)('%s → %s (%s)', (text, needs, reason) => {
    const v = detectNeedsAnswer(normaliseText(text).normalised);
    expect(v.label).toBe(needs ? 'needs_answer' : 'no_answer_needed');
    expect(v.reason).toBe(reason);
  });

  it('a question mark inside a link is not a question', () => {
    expect(detectNeedsAnswer('Hier der Fahrplan: https://example.org/plan?linie=5 danke').label).toBe('no_answer_needed');
  });

  it('names the words that decided it', () => {
    expect(detectNeedsAnswer('Toll gemacht. Wann kommt Teil 2?').matched).toBe('Wann kommt Teil 2?');
    expect(detectNeedsAnswer('Das Licht ist kaputt').matched).toBe('kaputt');
  });
});

describe('needs an answer: the team model', () => {
  it('overrules the rules where the team taught it otherwise, and says so', () => {
    // This team never answers "Was für ein …" exclamations, and always answers "Zählerstand" reports.
    const examples = [];
    for (let n = 0; n < 30; n++) {
      examples.push({ text: normaliseText(`Was für ein schöner Abend am See ${n}`).folded, labels: { needs_answer: false } as any });
      examples.push({ text: normaliseText(`Zählerstand ${1000 + n} für Zähler ${n} übermittelt`).folded, labels: { needs_answer: true } as any });
    }
    const model = train(examples, { labels: ['needs_answer' as any], features: { ...DEFAULT_FEATURES, bits: 16 }, folds: 0, epochs: 20, seed: 1 });
    const exclamation = classifyNeedsAnswer(model, 'Was für ein schöner Abend am See heute');
    expect(exclamation.rule.label).toBe('needs_answer');
    expect(exclamation).toMatchObject({ label: 'no_answer_needed', reason: 'model' });
    const report = classifyNeedsAnswer(model, 'Zählerstand 4711 für Zähler 9 übermittelt');
    expect(report.rule.label).toBe('no_answer_needed');
    expect(report).toMatchObject({ label: 'needs_answer', reason: 'model' });
    // Where model and rules agree, the rules' reason stays.
    expect(classifyNeedsAnswer(model, 'Wann kommt der Bus?').reason).toBe('question');
  });
});
