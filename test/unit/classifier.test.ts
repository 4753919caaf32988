import { describe, it, expect, beforeAll } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseText } from '../../src/core/text/normalise.js';
import { createFeaturiser, DEFAULT_FEATURES } from '../../src/moderation/classifier/features.js';
import { train, predict, serialise, deserialise, modelDigest, type Example, type Model } from '../../src/moderation/classifier/model.js';
import { bestThreshold, confusionMatrix, evaluateConfusion, evaluateLabels, formatReport } from '../../src/moderation/classifier/metrics.js';
import { parseLabelledText, DataFileError, decodeHtmlEntities } from '../../src/moderation/classifier/datafile.js';
import { createRandom } from '../../src/moderation/classifier/random.js';
import {
  loadStarterModels,
  evaluateRows,
  evaluateFile,
  parseLabelMap,
  trainFromDecisions,
  type Classifier,
  type DecisionExample,
} from '../../src/moderation/classifier/index.js';

const fold = (s: string) => normaliseText(s).folded;

// ---------------------------------------------------------------------------------------------
// a small synthetic language: friendly and insulting comments from separate vocabularies

const INSULTS = ['idiot', 'trottel', 'depp', 'vollpfosten', 'drecksack', 'arschloch', 'penner', 'lappen', 'hohlkopf', 'witzfigur'];
const NICE = ['danke', 'super', 'toll', 'klasse', 'prima', 'wunderbar', 'hilfreich', 'freundlich', 'schoen', 'spannend'];
const FILLER = ['heute', 'wieder', 'echt', 'mal', 'ihr', 'du', 'bist', 'seid', 'das', 'war', 'ein', 'der', 'artikel', 'beitrag', 'team', 'morgen', 'und', 'so', 'wirklich', 'immer'];
const SPAM = ['gewinne', 'gratis', 'klick', 'hier', 'iphone', 'jetzt', 'bonus', 'casino', 'angebot', 'link'];

function sentence(random: () => number, words: string[], n: number): string {
  const out: string[] = [];
  const fillers = 3 + Math.floor(random() * 6);
  for (let i = 0; i < fillers; i++) out.push(FILLER[Math.floor(random() * FILLER.length)]);
  for (let i = 0; i < n; i++) out.splice(Math.floor(random() * (out.length + 1)), 0, words[Math.floor(random() * words.length)]);
  return out.join(' ');
}

function synthetic(n: number, seed: number): Example[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const offensive = i % 3 === 0; // a third offensive, like GermEval
    const text = sentence(random, offensive ? INSULTS : NICE, 1 + Math.floor(random() * 2));
    return { text: fold(text), labels: { offensive } };
  });
}

const SMALL = { features: { ...DEFAULT_FEATURES, bits: 16 } };

describe('features', () => {
  it('are deterministic, L2-normalised and see through spelling tricks via the folded text', () => {
    const f = createFeaturiser(DEFAULT_FEATURES);
    const a = f.featurise(fold('Du bist ein IDI0T!'));
    const copyA = { index: Array.from(a.index.subarray(0, a.length)), value: Array.from(a.value.subarray(0, a.length)) };
    const b = f.featurise(fold('du bist ein idiot!'));
    expect(Array.from(b.index.subarray(0, b.length))).toEqual(copyA.index);
    expect(Array.from(b.value.subarray(0, b.length))).toEqual(copyA.value);
    let norm = 0;
    for (let k = 0; k < b.length; k++) norm += b.value[k] * b.value[k];
    expect(norm).toBeCloseTo(1, 2); // word block 0.5 + char block 0.5
    expect(f.featurise('').length).toBe(0);
  });

  it('maps mentions, links and numbers to one token each', () => {
    const f = createFeaturiser({ ...DEFAULT_FEATURES, wordNgrams: 1, wordShare: 1 });
    const vec = (s: string) => {
      const v = f.featurise(s);
      return Array.from(v.index.subarray(0, v.length)).sort().join(',');
    };
    expect(vec('@anna 2024 https://a.example/x')).toBe(vec('@bernd 17 www.b.example'));
  });
});

describe('train and predict', () => {
  let model: Model;
  beforeAll(() => {
    model = train(synthetic(600, 1), { ...SMALL, labels: ['offensive'], seed: 3 });
  });

  it('learns a synthetic task: held-out accuracy', () => {
    const heldOut = synthetic(300, 99);
    let correct = 0;
    for (const e of heldOut) {
      const s = predict(model, e.text).offensive!;
      if (s >= model.heads[0].threshold === e.labels.offensive) correct++;
    }
    expect(correct / heldOut.length).toBeGreaterThanOrEqual(0.97);
    expect(model.meta.labels).toEqual(['offensive']);
    expect(model.meta.untrained.map((u) => u.label)).toEqual(['threat', 'spam']);
    // An insult inside an unseen compound still counts (character n-grams).
    expect(predict(model, fold('so ein obertrottel')).offensive!).toBeGreaterThan(predict(model, fold('so ein obertoll')).offensive!);
  });

  it('training is deterministic', () => {
    const again = train(synthetic(600, 1), { ...SMALL, labels: ['offensive'], seed: 3, meta: { created: model.meta.created } });
    expect(again.meta.digest).toBe(model.meta.digest);
  });

  it('serialise → deserialise gives identical predictions and metadata', () => {
    const bytes = serialise(model);
    const back = deserialise(bytes);
    expect(back.meta).toEqual(model.meta);
    expect(back.features).toEqual(model.features);
    expect(modelDigest(back)).toBe(model.meta.digest);
    for (const e of synthetic(50, 7)) expect(predict(back, e.text)).toEqual(predict(model, e.text));
    expect(bytes.length).toBeLessThan(100_000);
  });

  it('rejects files that are not models', () => {
    expect(() => deserialise(Buffer.from('hello'), 'x.model.gz')).toThrow(/x\.model\.gz: not a gzip/);
    const good = serialise(model);
    const raw = gunzipSync(good);
    expect(() => deserialise(gzipSync(raw.subarray(0, raw.length - 10)), 'cut')).toThrow(/cut: expected \d+ bytes/);
    raw.write('XXXX', 0, 'latin1');
    expect(() => deserialise(gzipSync(raw), 'bad')).toThrow(/bad: not an Allmende model file/);
  });

  it('needs both classes', () => {
    const onlyOk = synthetic(60, 1).map((e) => ({ ...e, labels: { offensive: false } }));
    expect(() => train(onlyOk, SMALL)).toThrow(/needs positive and negative/);
  });
});

describe('starter models', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await loadStarterModels();
  });

  const pairs: [string, string, string][] = [
    ['de', 'Du bist so ein dummes Arschloch, halt endlich die Fresse!', 'Vielen Dank für die schnelle Hilfe, ihr seid super!'],
    ['de', 'Diese Politiker sind alle Volksverräter und gehören in den Knast, Pack!', 'Ich freue mich schon auf das Konzert am Wochenende.'],
    ['de', 'Was für ein widerlicher Drecksack, verpiss dich!', 'Liebe Grüße aus Hamburg und einen schönen Sonntag euch allen'],
    ['de', 'Halt die Fresse, du Vollidi0t', 'Danke für den interessanten Artikel!'],
    ['en', 'Shut up you stupid bitch, nobody cares about your ugly face', 'Thanks so much for the lovely evening, see you next week!'],
    ['en', 'You are a fucking idiot and a worthless piece of shit', 'The weather is really nice today, going for a walk in the park.'],
    ['en', 'what a dumb f4g', 'Congratulations on your new job, well deserved!'],
  ];

  it('score obviously offensive texts above obviously friendly ones, in German and English', () => {
    for (const [language, bad, good] of pairs) {
      const b = classifier.classify(fold(bad), language).scores.offensive!;
      const g = classifier.classify(fold(good), language).scores.offensive!;
      expect(b, bad).toBeGreaterThan(g);
      expect(b, bad).toBeGreaterThanOrEqual(0.5); // 0.5 = the model's own threshold
      expect(g, good).toBeLessThan(0.5);
    }
  });

  it('choose the model by language, fall back to both, and leave untrained labels out', () => {
    expect(classifier.classify(fold('Du Idiot'), 'de').model).toBe('starter-de@1');
    expect(classifier.classify(fold('you idiot'), 'en-GB').model).toBe('starter-en@1');
    const both = classifier.classify(fold('Halt die Fresse'), 'fr');
    expect(both.model).toBe('starter-de@1+starter-en@1');
    expect(both.scores.offensive).toBe(
      Math.max(classifier.classify(fold('Halt die Fresse'), 'de').scores.offensive!, classifier.classify(fold('Halt die Fresse'), 'en').scores.offensive!),
    );
    expect(Object.keys(both.scores)).toEqual(['offensive']); // threat, spam: no head, no score
    for (const m of classifier.models) {
      expect(m.meta.untrained.map((u) => u.label).sort()).toEqual(['spam', 'threat']);
      expect(m.meta.command).toMatch(/^node --import tsx scripts\/train-starter\.ts /);
      expect(m.meta.provenance[0].licence).toMatch(/CC BY 4.0|MIT/);
      expect((m.meta.heldOut as { macroF1: number }).macroF1).toBeGreaterThan(0.7);
    }
  });

  it('evaluate a labelled file', () => {
    const rows = parseLabelledText(
      'text\tlabel\nDu bist ein dummes Arschloch\tOFFENSE\nDanke für die Hilfe, super Team!\tOTHER\nHalt die Fresse du Drecksack\toffensive\nSchönen Sonntag euch allen\tok\n',
      'tsv',
      'mini.tsv',
    );
    const r = evaluateRows(classifier, rows, { language: 'de', name: 'mini.tsv' });
    expect(r.evaluation.accuracy).toBe(1);
    expect(r.evaluation.classes).toEqual(['ok', 'offensive']);
    expect(r.report).toContain('macro avg');
    expect(r.report).toMatch(/offensive\s+0\s+2/);
    expect(() => evaluateRows(classifier, [{ text: 'x', label: 'weird', language: null, line: 9 }], { name: 'f.tsv' })).toThrow(/f\.tsv line 9: unknown label "weird"/);
  });

  it('evaluate a file on disk, with a label map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'allmende-eval-'));
    const file = join(dir, 'data.ndjson');
    writeFileSync(file, [
      { text: 'You are a fucking idiot', label: 'BAD', language: 'en' },
      { text: 'Have a lovely day', label: 'GOOD', language: 'en' },
      { text: 'Du dummes Arschloch', label: 'BAD', language: 'de' },
      { text: 'Danke für die Hilfe', label: 'GOOD', language: 'de' },
    ].map((o) => JSON.stringify(o)).join('\n'));
    const r = await evaluateFile(file, { classifier, labelMap: parseLabelMap('BAD=offensive, GOOD=ok') });
    expect(r.evaluation.matrix).toEqual([[2, 0], [0, 2]]);
    expect(r.report.split('\n')[0]).toBe(`${file}: 4 items, model starter-de@1 + starter-en@1`);
    expect(() => parseLabelMap('BAD=rude')).toThrow(/"rude" is not a class/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('metrics', () => {
  // true a a a b b c ; predicted a b a b c c
  const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
  const predicted = ['a', 'b', 'a', 'b', 'c', 'c'];

  it('confusion matrix, per-class and macro figures, exactly', () => {
    const { classes, matrix } = confusionMatrix(truth, predicted);
    expect(classes).toEqual(['a', 'b', 'c']);
    expect(matrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const ev = evaluateConfusion(classes, matrix);
    const [a, b, c] = ev.perClass;
    expect([a.precision, a.recall, a.f1, a.support, a.predicted]).toEqual([1, 2 / 3, 0.8, 3, 2]);
    expect([b.precision, b.recall, b.f1]).toEqual([0.5, 0.5, 0.5]);
    expect([c.precision, c.recall]).toEqual([0.5, 1]);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(ev.accuracy).toBeCloseTo(4 / 6, 12);
    expect(ev.macroPrecision).toBeCloseTo(2 / 3, 12);
    expect(ev.macroRecall).toBeCloseTo(13 / 18, 12);
    expect(ev.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(ev.total).toBe(6);
  });

  it('a class never predicted has precision 0, not NaN', () => {
    const ev = evaluateLabels(['x', 'y'], ['x', 'x'], ['x', 'y']);
    expect(ev.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(ev.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it('report is an aligned table with the confusion matrix', () => {
    const text = formatReport(evaluateLabels(truth, predicted), 'demo');
    const lines = text.split('\n');
    expect(lines[0]).toBe('demo');
    expect(lines[2]).toBe('class      precision  recall     F1  support  predicted');
    expect(lines[3]).toBe('a              1.000   0.667  0.800        3          2');
    expect(text).toContain('macro avg      0.667   0.722  0.656        6          6');
    expect(text).toContain('accuracy 0.667   macro-F1 0.656   items 6');
    expect(text).toMatch(/true \\ predicted  a  b  c\na                 2  1  0\nb                 0  1  1\nc                 0  0  1$/);
  });

  it('best threshold', () => {
    expect(bestThreshold([0.9, 0.8, 0.4, 0.3], [true, true, false, false])).toEqual({ threshold: 0.6000000000000001, value: 1 });
    const t = bestThreshold([0.9, 0.7, 0.6, 0.2], [true, false, true, false], 'f1');
    expect(t.value).toBeCloseTo(0.8, 12); // flag the top three: P 2/3, R 1
    expect(t.threshold).toBeCloseTo(0.4, 12);
  });
});

describe('data files', () => {
  it('reads TSV with and without header, CSV and NDJSON', () => {
    expect(parseLabelledText('Du Idiot\tOFFENSE\tINSULT\nHallo|LBR|Welt\tOTHER\tOTHER\n', 'tsv')).toEqual([
      { text: 'Du Idiot', label: 'OFFENSE', language: null, line: 1 },
      { text: 'Hallo\nWelt', label: 'OTHER', language: null, line: 2 },
    ]);
    expect(parseLabelledText('label\tlang\ttext\n\nspam\tde\tgratis &amp; jetzt\n', 'tsv')).toEqual([{ text: 'gratis & jetzt', label: 'spam', language: 'de', line: 3 }]);
    expect(parseLabelledText('Text,Label\n"a, ""quoted""\nline",ok\nb,offensive\n', 'csv')).toEqual([
      { text: 'a, "quoted"\nline', label: 'ok', language: null, line: 3 },
      { text: 'b', label: 'offensive', language: null, line: 4 },
    ]);
    expect(parseLabelledText('{"text":"x","label":true,"language":"en"}\n\n{"text":"y","label":"ok"}\n', 'ndjson')).toEqual([
      { text: 'x', label: 'true', language: 'en', line: 1 },
      { text: 'y', label: 'ok', language: null, line: 3 },
    ]);
  });

  it('errors name the file and the line', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DataFileError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => parseLabelledText('a\tok\nb\tok\nno tab here\n', 'tsv', 'd.tsv'))).toBe('d.tsv line 3: expected text<TAB>label, found 1 field');
    expect(err(() => parseLabelledText('a\tok\n\tok\n', 'tsv', 'd.tsv'))).toBe('d.tsv line 2: empty text');
    expect(err(() => parseLabelledText('text\tkind\na\tb\n', 'tsv', 'd.tsv'))).toMatch(/^d\.tsv line 1: the header needs a "text" and a "label" column/);
    expect(err(() => parseLabelledText('{"text":"a","label":"ok"}\n{"text":"b","label":"ok"}\n{"text": oops}\n', 'ndjson', 'd.ndjson'))).toMatch(/^d\.ndjson line 3: invalid JSON/);
    expect(err(() => parseLabelledText('{"text":"a"}\n', 'ndjson', 'd.ndjson'))).toBe('d.ndjson line 1: "label" must be a string, number or boolean, found nothing');
    expect(err(() => parseLabelledText('text,label\na,ok\nb,ok,extra\n', 'csv', 'd.csv'))).toMatch(/^d\.csv line 3: invalid CSV/);
    expect(err(() => parseLabelledText('text,note\na,b\n', 'csv', 'd.csv'))).toMatch(/^d\.csv line 1: the header needs a "text" and a "label" column, found: text, note/);
    expect(err(() => parseLabelledText('\n\n', 'tsv', 'e.tsv'))).toBe('e.tsv: no labelled rows');
  });

  it('decodes HTML entities', () => {
    expect(decodeHtmlEntities('a &amp; b &#128514; &#x41; &lt;3 &bogus; &#0;')).toBe('a & b 😂 A <3 &bogus; &#0;');
  });
});

describe('learning from moderator decisions', () => {
  let current: Model;
  beforeAll(() => {
    current = train(synthetic(600, 1), { ...SMALL, labels: ['offensive'], seed: 3, meta: { name: 'current', version: 1 } });
  });

  function decisions(n: number, seed: number, withSpam: boolean): DecisionExample[] {
    const random = createRandom(seed);
    return Array.from({ length: n }, (_, i) => {
      const kind = withSpam ? i % 4 : i % 3 === 0 ? 1 : 0; // 0 nice, 1 insult, 2 nice, 3 spam
      const words = kind === 1 ? INSULTS : kind === 3 ? SPAM : NICE;
      const text = fold(sentence(random, words, kind === 3 ? 3 : 1 + Math.floor(random() * 2)));
      const d: DecisionExample = kind === 1 ? { text, decision: 'delete' } : kind === 3 ? { text, decision: 'hide', label: 'spam' } : { text, decision: 'approve' };
      return d;
    });
  }

  it('adopts a candidate that learned something the current model cannot do', () => {
    const r = trainFromDecisions(decisions(200, 5, true), current, { name: 'ws' });
    expect(r.heldBack).toBe(40);
    expect(r.currentMetrics.classes).toEqual(['ok', 'offensive', 'spam']);
    expect(r.currentMetrics.perClass[2].recall).toBe(0); // the current model has no spam head
    expect(r.candidateMetrics.perClass[2].recall).toBeGreaterThan(0.8);
    expect(r.candidateMetrics.macroF1).toBeGreaterThan(r.currentMetrics.macroF1);
    expect(r.adopt).toBe(true);
    expect(r.candidate.meta.labels.sort()).toEqual(['offensive', 'spam']);
    expect(r.candidate.meta.name).toBe('ws');
    expect(r.candidate.meta.version).toBe(2);
    // The candidate round-trips like any model.
    expect(deserialise(serialise(r.candidate)).meta.digest).toBe(r.candidate.meta.digest);
  });

  it('refuses a candidate that is worse than the current model on held-back decisions', () => {
    // A trainee who got it backwards: insults approved, friendly comments deleted. The recent
    // decisions of the team (held back) are right again.
    const backwards = decisions(120, 8, false).map((d): DecisionExample => (d.decision === 'approve' ? { text: d.text, decision: 'delete' } : { text: d.text, decision: 'approve' }));
    const recent = decisions(40, 10, false);
    const r = trainFromDecisions(backwards, current, { warmStart: false, heldBack: recent });
    expect(r.heldBack).toBe(40);
    expect(r.currentMetrics.macroF1).toBe(1);
    expect(r.candidateMetrics.macroF1).toBeLessThan(0.5);
    expect(r.adopt).toBe(false);
    expect(r.reason).toMatch(/candidate 0\.\d+ vs current 1\.000 → keep the current model/);
  });

  it('refuses a candidate that is only as good as the current model', () => {
    const r = trainFromDecisions(decisions(120, 9, false), current);
    expect(r.currentMetrics.macroF1).toBe(1);
    expect(r.candidateMetrics.macroF1).toBeLessThanOrEqual(1);
    expect(r.adopt).toBe(false);
  });

  it('says so when there are too few decisions', () => {
    expect(() => trainFromDecisions(decisions(20, 1, false), current)).toThrow(/hold back only 4; need at least 10/);
  });
});

describe('refused training', () => {
  it('says why with a stable code and figures, which the app words in German', async () => {
    const { trainFromDecisions, TrainingRefused } = await import('../../src/moderation/classifier/index.js');
    const { de } = await import('../../web/src/messages/models.js');
    const approvals = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `Danke für die Info Nummer ${i}`, decision: 'approve' as const }));
    const refusal = (n: number) => { try { trainFromDecisions(approvals(n), null); } catch (e) { return e; } return null; };

    const none = refusal(80);
    expect(none).toBeInstanceOf(TrainingRefused);
    expect(none).toMatchObject({ code: 'no_learnable_label', params: { needed: 8 } });
    expect(de.refused[(none as any).code]((none as any).params)).toBe('kein Grund hat mindestens 8 Entfernungen und 8 andere Entscheidungen zum Lernen.');

    const few = refusal(12);
    expect(few).toMatchObject({ code: 'too_few_held_back', params: { decisions: 12, needed: 10 } });
    expect(de.refused.too_few_held_back((few as any).params)).toMatch(/^von 12 Entscheidungen ließen sich nur \d+ für den Vergleich zurückhalten; nötig sind mindestens 10\.$/);
  });
});
