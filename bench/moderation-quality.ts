// Moderation quality bench: the learned starter models against the profanity filters from npm and
// Allmende's shipped word lists, on the starter models' own held-out splits.
//
//   node --import tsx bench/moderation-quality.ts /work/shared/datasets
//
// Data: GermEval 2018 (German tweets, OFFENSE vs OTHER) and Davidson 2017 (English tweets,
// hate+offensive vs neither), each with the held-out split of scripts/train-starter.ts
// (stratified 20 %, seed 2018; src/moderation/classifier/starter-data.ts): texts the models never
// saw in training, early stopping or threshold choice. Dataset contents are only read.
//
// Every filter answers "offensive or not" for the same held-out texts:
//   - learned model: the starter model of the text's language, flag when score >= 0.5 (its
//     validation-chosen threshold); "learned, language unknown": both models, maximum;
//   - obscenity: RegExpMatcher with englishDataset and englishRecommendedTransformers (English only);
//   - glin-profanity: Filter { languages: german + english, detectLeetspeak, normalizeUnicode };
//   - @2toad/profanity: Profanity { languages: de + en } (the two of its languages that matter here);
//   - word lists: Allmende's shipped de + en lists (src/moderation/wordlists/), flag on any
//     insult / slur / profanity / threat hit (spam entries do not count);
//   - combined: word-list hit OR learned model >= 0.5.
// The npm filters and the word lists get the text as written (line breaks restored, HTML entities
// decoded); the learned model gets normaliseText(text).folded, as in the pipeline.
// Columns: macro-F1 over {ok, offensive}; P / R = precision / recall of "offensive";
// flagged = share of texts flagged.
//
// Then speed: the learned model per text (featurise + dot product), and end to end with
// normaliseText, as texts/s and p50 / p99 µs per text on one core; model load time.

import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { Filter } from 'glin-profanity';
import { Profanity } from '@2toad/profanity';
import { normaliseText } from '../src/core/text/normalise.js';
import { loadStarterModels, predictedClass, MODELS_DIR, STARTER_MODEL_FILES, type Classifier } from '../src/moderation/classifier/index.js';
import { evaluateLabels, type Evaluation } from '../src/moderation/classifier/metrics.js';
import { loadDavidson, loadGermEval, type StarterDataset, type StarterRow } from '../src/moderation/classifier/starter-data.js';
import { loadShippedLists } from '../src/moderation/wordlists/shipped.js';
import { matchText } from '../src/moderation/wordlists/matcher.js';
import { statSync } from 'node:fs';

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  process.stderr.write('usage: node --import tsx bench/moderation-quality.ts DATASETS_DIR\n');
  process.exit(2);
}

// Load time first, in a process that has not touched the model files yet.
let t = performance.now();
const classifier: Classifier = await loadStarterModels();
const loadMs = performance.now() - t;

t = performance.now();
const lists = loadShippedLists();
const listsMs = performance.now() - t;

interface Filterer {
  name: string;
  /** true = flag as offensive */
  flag(row: StarterRow, ds: StarterDataset): boolean;
}

const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const glin = new Filter({ languages: ['german', 'english'], detectLeetspeak: true, normalizeUnicode: true });
const toad = new Profanity({ languages: ['de', 'en'] });
const HARM = new Set(['insult', 'slur', 'profanity', 'threat']);
const listHit = (text: string) => matchText(lists, text).some((h) => HARM.has(h.category));
const modelFlag = (row: StarterRow, language: string | null) => predictedClass(classifier.classify(row.folded, language).scores) === 'offensive';

const filters: Filterer[] = [
  { name: 'learned model (own language)', flag: (r, ds) => modelFlag(r, ds.language) },
  { name: 'learned, language unknown (max)', flag: (r) => modelFlag(r, null) },
  { name: 'obscenity (en)', flag: (r) => obscenity.hasMatch(r.raw) },
  { name: 'glin-profanity (de+en)', flag: (r) => glin.isProfane(r.raw) },
  { name: '@2toad/profanity (de+en)', flag: (r) => toad.exists(r.raw) },
  { name: 'word lists alone (de+en)', flag: (r) => listHit(r.raw) },
  { name: 'combined: word lists OR model', flag: (r, ds) => listHit(r.raw) || modelFlag(r, ds.language) },
];

const datasets = [loadGermEval(dir), loadDavidson(dir)];
const results = new Map<string, Map<string, { ev: Evaluation; flagged: number; perSecond: number }>>();
for (const f of filters) results.set(f.name, new Map());

for (const ds of datasets) {
  const rows = ds.heldOut.map((i) => ds.rows[i]);
  const truth = rows.map((r) => (r.offensive ? 'offensive' : 'ok'));
  for (const f of filters) {
    const started = performance.now();
    const predicted = rows.map((r) => (f.flag(r, ds) ? 'offensive' : 'ok'));
    const seconds = (performance.now() - started) / 1000;
    const ev = evaluateLabels(truth, predicted, ['ok', 'offensive']);
    results.get(f.name)!.set(ds.id, { ev, flagged: predicted.filter((p) => p === 'offensive').length / rows.length, perSecond: rows.length / seconds });
  }
}

// ---------------------------------------------------------------------------------------------
// table

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r: string[]) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ') + ' |';
  return [line(rows[0]), '|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const header = ['filter'];
for (const ds of datasets) {
  const tag = ds.id === 'germeval2018' ? 'GermEval de' : 'Davidson en';
  header.push(`${tag} macro-F1`, 'P', 'R', 'flagged');
}
header.push('texts/s');
const body: string[][] = [header];
for (const f of filters) {
  const r = results.get(f.name)!;
  const row = [f.name];
  let perSecond = 0;
  for (const ds of datasets) {
    const x = r.get(ds.id)!;
    const off = x.ev.perClass.find((m) => m.label === 'offensive')!;
    row.push(f3(x.ev.macroF1), f3(off.precision), f3(off.recall), pct(x.flagged));
    perSecond += x.perSecond / datasets.length;
  }
  row.push(Math.round(perSecond).toLocaleString('en'));
  body.push(row);
}

console.log(`Held-out splits (stratified 20 %, seed 2018): ${datasets.map((d) => `${d.id} ${d.heldOut.length} texts (${pct(d.heldOut.filter((i) => d.rows[i].offensive).length / d.heldOut.length)} offensive)`).join(', ')}`);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(1)}\n`);
console.log(table(body));
console.log('\n(texts/s in this table: one pass over the held-out texts, including each filter\'s own text preparation; the learned rows get pre-folded text)');

// ---------------------------------------------------------------------------------------------
// speed of the learned model

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function timeIt(name: string, texts: { folded: string; raw: string; language: string }[], fn: (x: { folded: string; raw: string; language: string }) => unknown) {
  for (let w = 0; w < 2; w++) for (const x of texts) fn(x); // warm-up
  const times = new Float64Array(texts.length * 3);
  let k = 0;
  const started = process.hrtime.bigint();
  for (let rep = 0; rep < 3; rep++) {
    for (const x of texts) {
      const a = process.hrtime.bigint();
      fn(x);
      times[k++] = Number(process.hrtime.bigint() - a) / 1000;
    }
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort();
  return [name, Math.round(times.length / total).toLocaleString('en'), percentile(times, 0.5).toFixed(1), percentile(times, 0.99).toFixed(1)];
}

const speedTexts = datasets.flatMap((ds) => ds.heldOut.map((i) => ({ folded: ds.rows[i].folded, raw: ds.rows[i].raw, language: ds.language })));
const speed: string[][] = [['learned model', 'texts/s', 'p50 µs', 'p99 µs']];
speed.push(timeIt('classify(folded, language)', speedTexts, (x) => classifier.classify(x.folded, x.language)));
speed.push(timeIt('classify(folded, null): both models', speedTexts, (x) => classifier.classify(x.folded, null)));
speed.push(timeIt('normaliseText + classify', speedTexts, (x) => classifier.classify(normaliseText(x.raw).folded, x.language)));
speed.push(timeIt('normaliseText alone', speedTexts, (x) => normaliseText(x.raw)));
console.log(`\nSpeed on ${speedTexts.length.toLocaleString('en')} held-out tweets × 3, one core:\n`);
console.log(table(speed));

const sizes = Object.values(STARTER_MODEL_FILES).map((f) => `${f} ${(statSync(MODELS_DIR + f).size / 1024).toFixed(0)} KB`).join(', ');
console.log(`\nModel load (both starter models, gunzip + int8 → float32): ${loadMs.toFixed(0)} ms; files: ${sizes}; in memory ${classifier.models.map((m) => `${m.meta.name} ${((m.heads.length * (1 << m.features.bits) * 4) / 2 ** 20).toFixed(0)} MB`).join(', ')}`);
console.log(`Word lists load + compile: ${listsMs.toFixed(0)} ms`);
