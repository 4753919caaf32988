// Labelled data files for `allmende evaluate --data FILE` (and for training from a file):
//
//   TSV     with a header naming `text` and `label` columns (any order, more columns allowed),
//           or without a header: text \t label [\t anything …] (GermEval's format);
//   CSV     RFC 4180 with a header naming `text` and `label` columns;
//   NDJSON  one JSON object per line with string fields "text" and "label" (.ndjson, .jsonl).
// An optional `language` (or `lang`) column / field gives the text's language (ISO 639-1).
//
// The format comes from the file name (.tsv/.txt, .csv, .ndjson/.jsonl) unless given. Empty lines
// are skipped. Every problem is reported with its line number, e.g.
//   "data.tsv line 17: expected text<TAB>label, found 1 field".
// Texts are cleaned the way the starter data was: GermEval's "|LBR|" becomes a line break and HTML
// entities ("&amp;", "&#128514;") are decoded (exports from web platforms often carry them);
// `decodeEntities: false` keeps them.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';

export type DataFormat = 'tsv' | 'csv' | 'ndjson';

export interface LabelledRow {
  text: string;
  label: string;
  language: string | null;
  /** Line in the file where the row starts (CSV: where it ends, for quoted multi-line texts). */
  line: number;
}

export interface ReadOptions {
  format?: DataFormat;
  decodeEntities?: boolean;
}

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line === null ? '' : ` line ${line}`}: ${message}`);
    this.name = 'DataFileError';
  }
}

export function formatFromName(file: string): DataFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === '.tsv' || ext === '.txt' || ext === '.tab') return 'tsv';
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return null;
}

export function readLabelledFile(file: string, opts: ReadOptions = {}): LabelledRow[] {
  const format = opts.format ?? formatFromName(file);
  if (!format) throw new DataFileError(file, null, 'unknown file type: name it .tsv, .csv or .ndjson, or pass the format');
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataFileError(file, null, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseLabelledText(content, format, file, opts);
}

export function parseLabelledText(content: string, format: DataFormat, name = 'data', opts: ReadOptions = {}): LabelledRow[] {
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1); // BOM
  const rows = format === 'tsv' ? parseTsv(content, name) : format === 'csv' ? parseCsv(content, name) : parseNdjson(content, name);
  if (rows.length === 0) throw new DataFileError(name, null, 'no labelled rows');
  const decode = opts.decodeEntities ?? true;
  for (const r of rows) {
    r.text = r.text.replace(/\|LBR\|/g, '\n');
    if (decode) r.text = decodeHtmlEntities(r.text);
  }
  return rows;
}

function checkRow(name: string, line: number, text: string, label: string): void {
  if (!text.trim()) throw new DataFileError(name, line, 'empty text');
  if (!label.trim()) throw new DataFileError(name, line, 'empty label');
}

const TEXT_NAMES = ['text'];
const LABEL_NAMES = ['label'];
const LANGUAGE_NAMES = ['language', 'lang'];

function parseTsv(content: string, name: string): LabelledRow[] {
  const lines = content.split(/\r?\n/);
  const out: LabelledRow[] = [];
  let textCol = 0;
  let labelCol = 1;
  let langCol = -1;
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const f = line.split('\t');
    if (first) {
      first = false;
      const lower = f.map((x) => x.trim().toLowerCase());
      const t = lower.findIndex((x) => TEXT_NAMES.includes(x));
      const l = lower.findIndex((x) => LABEL_NAMES.includes(x));
      if (t >= 0 || l >= 0) {
        if (t < 0 || l < 0) throw new DataFileError(name, i + 1, `the header needs a "text" and a "label" column, found: ${f.join(', ')}`);
        textCol = t;
        labelCol = l;
        langCol = lower.findIndex((x) => LANGUAGE_NAMES.includes(x));
        continue;
      }
    }
    const need = Math.max(textCol, labelCol) + 1;
    if (f.length < need) {
      throw new DataFileError(name, i + 1, `expected ${need === 2 ? 'text<TAB>label' : `${need} tab-separated fields`}, found ${f.length} field${f.length === 1 ? '' : 's'}`);
    }
    const text = f[textCol];
    const label = f[labelCol].trim();
    checkRow(name, i + 1, text, label);
    out.push({ text, label, language: langCol >= 0 ? f[langCol]?.trim() || null : null, line: i + 1 });
  }
  return out;
}

function parseCsv(content: string, name: string): LabelledRow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(content, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), info: true, skip_empty_lines: true, relax_column_count: false }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DataFileError(name, typeof err.lines === 'number' ? err.lines : null, `invalid CSV: ${err.message}`);
  }
  if (records.length === 0) return [];
  const cols = Object.keys(records[0].record);
  const textCol = cols.find((c) => TEXT_NAMES.includes(c));
  const labelCol = cols.find((c) => LABEL_NAMES.includes(c));
  const langCol = cols.find((c) => LANGUAGE_NAMES.includes(c));
  if (!textCol || !labelCol) throw new DataFileError(name, 1, `the header needs a "text" and a "label" column, found: ${cols.join(', ')}`);
  return records.map(({ record, info }) => {
    const text = record[textCol] ?? '';
    const label = (record[labelCol] ?? '').trim();
    checkRow(name, info.lines, text, label);
    return { text, label, language: langCol ? record[langCol]?.trim() || null : null, line: info.lines };
  });
}

function parseNdjson(content: string, name: string): LabelledRow[] {
  const out: LabelledRow[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new DataFileError(name, i + 1, `invalid JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataFileError(name, i + 1, 'expected a JSON object with "text" and "label"');
    const o = v as Record<string, unknown>;
    if (typeof o.text !== 'string') throw new DataFileError(name, i + 1, `"text" must be a string, found ${o.text === undefined ? 'nothing' : typeof o.text}`);
    const rawLabel = o.label;
    if (typeof rawLabel !== 'string' && typeof rawLabel !== 'number' && typeof rawLabel !== 'boolean') {
      throw new DataFileError(name, i + 1, `"label" must be a string, number or boolean, found ${rawLabel === undefined ? 'nothing' : rawLabel === null ? 'null' : typeof rawLabel}`);
    }
    const label = String(rawLabel).trim();
    checkRow(name, i + 1, o.text, label);
    const lang = o.language ?? o.lang;
    out.push({ text: o.text, label, language: typeof lang === 'string' && lang.trim() ? lang.trim() : null, line: i + 1 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decode the HTML entities exports carry: &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}
