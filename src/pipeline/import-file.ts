// `allmende import FILE`: NDJSON, JSON and CSV exports into the store. Each batch is stored in
// one transaction together with the file's progress, so a re-run after a crash resumes after
// the last stored batch; ingest is idempotent anyway, so no row is ever stored twice.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Db } from '../store/db.js';
import type { Queue } from '../store/queue.js';
import type { RowError } from '../core/item.js';
import { unflatten } from '../core/item.js';
import { decodeStrict, decodeUtf8 } from '../core/utf8.js';
import { acceptRows, UnreadableRow } from './accept.js';

export type ImportFormat = 'ndjson' | 'json' | 'csv';
const BATCH = 500;
const MAX_REASONS = 1000;

export interface ImportSummary {
  file: string; format: ImportFormat; resumedAtRow: number; alreadyFinished: boolean;
  rows: number; created: number; updated: number; duplicate: number;
  /** All rejected rows are counted; the first MAX_REASONS are kept with their reasons. */
  rejectedCount: number; rejected: RowError[];
}

export interface ImportOptions {
  workspaceId: string;
  format?: ImportFormat;
  /** Read the whole file again even if an earlier run finished it. */
  again?: boolean;
  onProgress?: (rowsDone: number, rowsTotal: number | null) => void;
}

export function formatOf(file: string): ImportFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  throw new Error(`cannot tell the format of ${basename(file)} from its name; use --format ndjson|json|csv`);
}

async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/** NDJSON rows, one per non-empty line, each decoded on its own so one bad line is one bad row. */
async function* ndjsonRows(file: string): AsyncGenerator<unknown> {
  let rest = Buffer.alloc(0);
  const toRow = (line: Buffer): unknown | undefined => {
    const text = decodeStrict(line);
    if (text === null) return new UnreadableRow('not valid UTF-8');
    if (text.trim() === '') return undefined;
    try { return JSON.parse(text); } catch (e: any) { return new UnreadableRow(`not valid JSON: ${e.message}`); }
  };
  for await (const chunk of createReadStream(file)) {
    let buf = Buffer.concat([rest, chunk as Buffer]);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      const row = toRow(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
      if (row !== undefined) yield row;
    }
    rest = Buffer.from(buf);
  }
  const last = toRow(rest);
  if (last !== undefined) yield last;
}

/** JSON (an array or { items: [...] }) and CSV are read whole: neither splits safely by line. */
function wholeFileRows(file: string, format: 'json' | 'csv'): unknown[] {
  const text = decodeUtf8(readFileSync(file));
  if (format === 'csv') {
    const records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
    return records.map(unflatten);
  }
  let data: any;
  try { data = JSON.parse(text); } catch (e: any) { throw new Error(`${basename(file)} is not valid JSON: ${e.message}`); }
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.items)) return data.items;
  throw new Error(`${basename(file)}: expected a JSON array of items or { "items": [...] }`);
}

export async function importFile(db: Db, queue: Queue, file: string, opts: ImportOptions): Promise<ImportSummary> {
  const format = opts.format ?? formatOf(file);
  statSync(file); // a clear "no such file" before anything else
  const hash = await fileHash(file);
  const [state] = await db.query<{ id: string; rows_done: number; counts: any; finished_at: Date | null }>(
    `insert into imports (workspace_id, file_hash, file_name) values ($1, $2, $3)
     on conflict (workspace_id, file_hash) do update set file_name = excluded.file_name
     returning id, rows_done, counts, finished_at`, [opts.workspaceId, hash, basename(file)]);
  const summary: ImportSummary = {
    file, format, resumedAtRow: 0, alreadyFinished: false, rows: 0, created: 0, updated: 0, duplicate: 0, rejectedCount: 0, rejected: [],
  };
  if (state.finished_at && !opts.again) return { ...summary, ...state.counts, alreadyFinished: true };
  const skip = opts.again ? 0 : state.rows_done;
  if (!opts.again && state.counts?.rows) Object.assign(summary, state.counts);
  summary.resumedAtRow = skip;

  const rows: AsyncIterable<unknown> | Iterable<unknown> = format === 'ndjson' ? ndjsonRows(file) : wholeFileRows(file, format);
  const total = Array.isArray(rows) ? rows.length : null;
  let rowNo = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    const first = rowNo - batch.length + 1;
    await db.transaction(async (tx) => {
      const r = await acceptRows(tx, queue, { workspaceId: opts.workspaceId }, batch, first);
      summary.rows += batch.length;
      summary.created += r.created;
      summary.updated += r.updated;
      summary.duplicate += r.duplicate;
      summary.rejectedCount += new Set(r.rejected.map((e) => e.row)).size;
      summary.rejected.push(...r.rejected.slice(0, MAX_REASONS - summary.rejected.length));
      await tx.query('update imports set rows_done = $2, counts = $3 where id = $1', [state.id, rowNo, JSON.stringify(summary)]);
    });
    batch = [];
    opts.onProgress?.(rowNo, total);
  };
  for await (const row of rows) {
    rowNo++;
    if (rowNo <= skip) continue;
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await db.query('update imports set finished_at = now(), rows_done = $2, counts = $3 where id = $1', [state.id, rowNo, JSON.stringify(summary)]);
  return summary;
}
