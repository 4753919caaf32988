// Rows from any way in (API, webhook, import) -> validated items -> ingest. Bad rows are
// reported with their row number and field; the good rows of the same batch are stored.
import type { Db } from '../store/db.js';
import type { Queue } from '../store/queue.js';
import { parseItem, type ItemInput, type RowError } from '../core/item.js';
import { ingest, type IngestTarget } from './ingest.js';

export const MAX_BATCH = 1000;

/** A row that could not even be read (malformed JSON line, invalid UTF-8 in a file). */
export class UnreadableRow {
  constructor(public readonly message: string, public readonly field = '(row)') {}
}

export interface AcceptResult { received: number; created: number; updated: number; duplicate: number; rejected: RowError[] }

export async function acceptRows(db: Db, queue: Queue, target: IngestTarget, rows: unknown[], firstRow = 1): Promise<AcceptResult> {
  const good: ItemInput[] = [];
  const rejected: RowError[] = [];
  rows.forEach((value, i) => {
    const row = firstRow + i;
    if (value instanceof UnreadableRow) { rejected.push({ row, field: value.field, message: value.message }); return; }
    const parsed = parseItem(value, row);
    if (parsed.ok) good.push(parsed.item);
    else rejected.push(...parsed.errors);
  });
  const r = await ingest(db, queue, target, good);
  return { received: rows.length, created: r.created, updated: r.updated, duplicate: r.duplicate, rejected };
}
