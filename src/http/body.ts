// Request bodies: JSON and NDJSON, decoded as strict UTF-8 (see core/utf8.ts).
import { HttpError } from './errors.js';
import { UnreadableRow } from '../pipeline/accept.js';
import { decodeUtf8 as decode, InvalidUtf8Error } from '../core/utf8.js';

export function decodeUtf8(buf: Buffer): string {
  try {
    return decode(buf);
  } catch (e) {
    if (e instanceof InvalidUtf8Error) throw new HttpError(400, 'invalid_utf8', `the body is ${e.message}`);
    throw e;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new HttpError(400, 'malformed_json', `the body is not valid JSON: ${e.message}`);
  }
}

/** NDJSON lines; a line that is not JSON becomes an error for its row, not a failed request. */
export function parseNdjson(text: string): unknown[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    try { return JSON.parse(line); } catch (e: any) { return new UnreadableRow(`not valid JSON: ${e.message}`); }
  });
}
