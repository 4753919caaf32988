// Word-list bench: compile time and memory of the shipped lists and of a generated 100,000-entry
// list, match throughput on typical comments and on hostile text, and (given the dataset folder)
// how often the shipped lists fire on labelled German and English tweets.
//
//   node --expose-gc --import tsx bench/wordlists.ts [/work/shared/datasets]
//
// Dataset texts are only read; nothing of them is written anywhere. The "OTHER/neither" hits are
// printed (terms only, with counts) so that a curator can look for false friends.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { normaliseText } from '../src/core/text/normalise.js';
import { compileWordList, matchNormalised, matchText, type WordListEntry, type CompiledList } from '../src/moderation/wordlists/matcher.js';
import { loadShippedLists } from '../src/moderation/wordlists/shipped.js';
import { generateItems } from './generate.js';
import { CATEGORIES } from '../src/moderation/types.js';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedList(n: number, seed = 7): WordListEntry[] {
  const r = rng(seed);
  const out: WordListEntry[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    const len = 5 + Math.floor(r() * 8);
    for (let k = 0; k < len; k++) {
      const c = String.fromCharCode(97 + Math.floor(r() * 26));
      if (k >= 2 && w[k - 1] === c && w[k - 2] === c) k--; // foldText would cut a run of three
      else w += c;
    }
    out.push({ term: w, category: CATEGORIES[i % CATEGORIES.length], mode: i % 3 === 0 ? 'word' : 'part' });
  }
  return out;
}

console.log(`node ${process.version}${gc ? '' : ' (run with --expose-gc for memory figures)'}`);

// --- shipped lists
{
  const t = performance.now();
  const lists = loadShippedLists();
  console.log(`\nshipped lists: compiled in ${ms(t)}`);
  for (const l of lists) {
    const s = l.stats();
    console.log(`  ${l.name}: ${s.terms} terms, ${s.allow} allow, ${s.nodes} nodes, ${(s.bytes / 1024).toFixed(0)} KiB typed arrays`);
  }
}

// --- 100,000 entries
for (const n of [100_000, 200_000 - 1]) {
  const entries = generatedList(n);
  const before = heapMB();
  const t = performance.now();
  const list = compileWordList(entries, ['zzzallowzzz'], `gen${n}`);
  const took = performance.now() - t;
  const after = heapMB();
  const s = list.stats();
  console.log(`\n${n.toLocaleString('en')} generated entries: compiled in ${took.toFixed(0)} ms; ${s.nodes.toLocaleString('en')} nodes; ` +
    `typed arrays ${(s.bytes / 1e6).toFixed(1)} MB; heap + array buffers +${(after - before).toFixed(1)} MB (incl. the term strings)`);
  // Hostile text: the list's own terms glued together, repeated patterns, long runs.
  const r = rng(3);
  let hostile = '';
  while (hostile.length < 100_000) {
    const pick = r();
    if (pick < 0.4) hostile += entries[Math.floor(r() * n)].term;
    else if (pick < 0.6) hostile += 'ab'.repeat(50);
    else if (pick < 0.7) hostile += 'a b c d e f g h i j k l m n o p '.repeat(3);
    else if (pick < 0.8) hostile += 'x'.repeat(200);
    else hostile += ' ' + entries[Math.floor(r() * n)].term + ' ';
  }
  hostile = hostile.slice(0, 100_000);
  const t2 = performance.now();
  const hits = matchText([list], hostile, { maxHits: 1_000_000 });
  console.log(`  hostile 100,000-character text: ${ms(t2)}, ${hits.length} hits`);
}

// --- throughput on typical comments
{
  const lists = loadShippedLists();
  const texts = generateItems(20_000, 11).map((i) => i.text).filter((t) => t.length >= 100 && t.length <= 300).slice(0, 10_000);
  const avg = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  const norm = texts.map((t) => normaliseText(t));
  for (let w = 0; w < 2; w++) for (const x of norm.slice(0, 1000)) matchNormalised(lists, x.normalised, { folded: x.folded });
  let t = performance.now();
  let hits = 0;
  for (const x of norm) hits += matchNormalised(lists, x.normalised, { folded: x.folded }).length;
  const s1 = (performance.now() - t) / 1000;
  t = performance.now();
  for (const x of texts) matchText(lists, x);
  const s2 = (performance.now() - t) / 1000;
  t = performance.now();
  for (const x of texts) normaliseText(x);
  const s3 = (performance.now() - t) / 1000;
  console.log(`\n${texts.length.toLocaleString('en')} generated comments (avg ${avg.toFixed(0)} chars), shipped de+en lists:`);
  console.log(`  matchNormalised with folded given: ${(texts.length / s1).toFixed(0)} texts/s (${hits} hits in innocent text)`);
  console.log(`  matchText (normalise + fold + match): ${(texts.length / s2).toFixed(0)} texts/s`);
  console.log(`  normaliseText alone, for comparison: ${(texts.length / s3).toFixed(0)} texts/s`);
  if (hits > 0) {
    const seen = new Map<string, number>();
    for (const x of norm) for (const h of matchNormalised(lists, x.normalised, { folded: x.folded })) seen.set(`${h.list}:${h.term} ← ${h.matched}`, (seen.get(`${h.list}:${h.term} ← ${h.matched}`) ?? 0) + 1);
    console.log('  hits in generated (innocent) comments:', [...seen].sort((a, b) => b[1] - a[1]).slice(0, 20));
  }
}

// --- labelled datasets
const dir = process.argv[2];
if (dir && existsSync(dir)) {
  const lists = loadShippedLists();
  const evaluate = (name: string, rows: { text: string; bad: boolean; label: string }[]) => {
    const byLabel = new Map<string, { n: number; hit: number }>();
    const falseFriends = new Map<string, number>();
    const t = performance.now();
    for (const r of rows) {
      const hits = matchText(lists, r.text);
      const b = byLabel.get(r.label) ?? { n: 0, hit: 0 };
      b.n++;
      if (hits.length > 0) b.hit++;
      byLabel.set(r.label, b);
      if (!r.bad) for (const h of hits) falseFriends.set(`${h.list}:${h.category}:${h.term} ← "${h.matched}"`, (falseFriends.get(`${h.list}:${h.category}:${h.term} ← "${h.matched}"`) ?? 0) + 1);
    }
    const secs = (performance.now() - t) / 1000;
    console.log(`\n${name}: ${rows.length} texts in ${secs.toFixed(2)} s (${(rows.length / secs).toFixed(0)} texts/s)`);
    for (const [label, b] of byLabel) console.log(`  ${label.padEnd(10)} ${b.n.toString().padStart(6)} texts, ${(100 * b.hit / b.n).toFixed(1)}% with a word-list hit`);
    console.log('  hits in texts labelled not offensive (top 40):');
    for (const [k, v] of [...falseFriends].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`    ${v.toString().padStart(4)}  ${k}`);
  };
  const ge = join(dir, 'germeval2018', 'germeval2018.training.txt');
  if (existsSync(ge)) {
    const rows = readFileSync(ge, 'utf8').split('\n').filter(Boolean).map((l) => {
      const [text, coarse, fine] = l.split('\t');
      return { text, bad: coarse === 'OFFENSE', label: fine ?? coarse };
    });
    evaluate('GermEval 2018 (German tweets)', rows);
  }
  const dv = join(dir, 'davidson2017', 'train.csv');
  if (existsSync(dv)) {
    const recs = parse(readFileSync(dv, 'utf8'), { columns: true }) as { text: string; label: string }[];
    evaluate('Davidson 2017 (English tweets)', recs.map((r) => ({ text: r.text, bad: r.label !== 'neither', label: r.label })));
  }
}
