// The public datasets the starter models learn from, read from a datasets folder (never copied
// into the project), and the fixed held-out splits that every figure about the starter models is
// measured on (scripts/train-starter.ts, bench/moderation-quality.ts).
//
//   DIR/germeval2018/germeval2018.training.txt   text \t OFFENSE|OTHER \t fine label   (CC BY 4.0)
//   DIR/davidson2017/train.csv                   text,label  hate|offensive|neither    (MIT)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { normaliseText } from '../../core/text/normalise.js';
import type { DatasetProvenance } from './model.js';
import { stratifiedSplit } from './random.js';
import { decodeHtmlEntities } from './datafile.js';

export interface StarterRow {
  /** The text as in the source, with GermEval's "|LBR|" as a line break and HTML entities decoded. */
  raw: string;
  folded: string;
  /** The source's label (GermEval: the coarse one). */
  sourceLabel: string;
  /** GermEval's fine label (ABUSE, INSULT, PROFANITY, OTHER); the source label otherwise. */
  fineLabel: string;
  offensive: boolean;
}

export interface StarterDataset {
  id: 'germeval2018' | 'davidson2017';
  language: 'de' | 'en';
  rows: StarterRow[];
  /** Row numbers (into `rows`) for training (incl. validation) and the held-out test. */
  train: number[];
  heldOut: number[];
  provenance: Omit<DatasetProvenance, 'split'> & { heldOutShare: number; seed: number };
}

/** Held-out share and seed of the starter models' own test split. */
export const HELD_OUT_SHARE = 0.2;
export const SPLIT_SEED = 2018;

function split(rows: StarterRow[]): { train: number[]; heldOut: number[] } {
  // Stratified by the source's own label (so hate keeps its share in Davidson's held-out part).
  const s = stratifiedSplit(rows.length, HELD_OUT_SHARE, SPLIT_SEED, (i) => rows[i].sourceLabel);
  return { train: s.rest, heldOut: s.heldOut };
}

export function loadGermEval(dir: string): StarterDataset {
  const file = join(dir, 'germeval2018', 'germeval2018.training.txt');
  const rows: StarterRow[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const f = line.split('\t');
    if (f.length < 2 || (f[1] !== 'OFFENSE' && f[1] !== 'OTHER')) throw new Error(`${file} line ${i + 1}: expected text\\tOFFENSE|OTHER\\tfine label`);
    const raw = f[0].replace(/\|LBR\|/g, '\n');
    rows.push({ raw, folded: normaliseText(raw).folded, sourceLabel: f[1], fineLabel: (f[2] ?? f[1]).trim(), offensive: f[1] === 'OFFENSE' });
  });
  return {
    id: 'germeval2018',
    language: 'de',
    rows,
    ...split(rows),
    provenance: {
      dataset: 'GermEval 2018 shared task on offensive language, training split (germeval2018.training.txt)',
      source: 'https://github.com/uds-lsv/GermEval-2018-Data',
      licence: 'CC BY 4.0',
      citation: 'Wiegand, Siegel, Ruppenhofer: Overview of the GermEval 2018 Shared Task on the Identification of Offensive Language, GermEval 2018, Vienna',
      rows: rows.length,
      labelMapping: 'coarse OFFENSE (fine ABUSE, INSULT, PROFANITY) → offensive; OTHER → not offensive',
      heldOutShare: HELD_OUT_SHARE,
      seed: SPLIT_SEED,
    },
  };
}

export function loadDavidson(dir: string): StarterDataset {
  const file = join(dir, 'davidson2017', 'train.csv');
  const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<{ text: string; label: string }>;
  const rows: StarterRow[] = records.map((r, i) => {
    if (r.label !== 'hate' && r.label !== 'offensive' && r.label !== 'neither') throw new Error(`${file} record ${i + 1}: unknown label "${r.label}"`);
    const raw = decodeHtmlEntities(r.text);
    return { raw, folded: normaliseText(raw).folded, sourceLabel: r.label, fineLabel: r.label, offensive: r.label !== 'neither' };
  });
  return {
    id: 'davidson2017',
    language: 'en',
    rows,
    ...split(rows),
    provenance: {
      dataset: 'Davidson et al. 2017, hate speech and offensive language in English tweets (train.csv: the rows of labeled_data.csv whose index is not divisible by 5)',
      source: 'https://github.com/t-davidson/hate-speech-and-offensive-language (data/labeled_data.csv)',
      licence: 'MIT',
      citation: 'Davidson, Warmsley, Macy, Weber: Automated Hate Speech Detection and the Problem of Offensive Language, ICWSM 2017',
      rows: rows.length,
      labelMapping: 'hate and offensive → offensive; neither → not offensive (HTML entities decoded first)',
      heldOutShare: HELD_OUT_SHARE,
      seed: SPLIT_SEED,
    },
  };
}

export function loadStarterDatasets(dir: string): StarterDataset[] {
  return [loadGermEval(dir), loadDavidson(dir)];
}
