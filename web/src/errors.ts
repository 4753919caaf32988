// Turns any thrown value into a sentence for the user, in their language.
import { ApiError } from './api.js';
import type { Messages } from './i18n.js';

/** One complaint of the server's input check (details.fields of an invalid_input error). */
export interface FieldIssue {
  field: string; code?: string; message: string;
  minimum?: number | string; maximum?: number | string; expected?: string; format?: string; origin?: string; values?: unknown[];
}

export function fieldIssues(err: unknown): FieldIssue[] {
  if (!(err instanceof ApiError) || err.code !== 'invalid_input') return [];
  const fields = (err.details as { fields?: FieldIssue[] } | undefined)?.fields;
  return Array.isArray(fields) ? fields : [];
}

// zod's own wording; anything else is a message Allmende wrote for that field, which says more
// than the generic kind (e.g. "a two-letter language code"), so it is kept.
const GENERIC = /^(Invalid|Too (big|small)|Unrecognized)/;

/** The complaint in the user's language where its kind is known, else the server's words. */
export function fieldIssueText(f: FieldIssue, t: Messages): string {
  if (!GENERIC.test(f.message)) return f.message;
  return t.fieldIssue(f) ?? f.message;
}

export function errorText(err: unknown, t: Messages): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t.errorNetwork;
    const issues = fieldIssues(err);
    if (issues.length) return t.errorInput(issues.map((f) => `${f.field}: ${fieldIssueText(f, t)}`).join('; '));
    if (err.code === 'forbidden') return t.errorForbidden(err.message);
    return t.errorGeneric(err.message);
  }
  return t.errorGeneric(err instanceof Error ? err.message : String(err));
}

/** Minutes to wait after a 429, from error.details.retryAfterSeconds (at least 1). */
export function retryAfterMinutes(err: ApiError): number {
  const details = err.details as { retryAfterSeconds?: unknown } | undefined;
  const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 60;
  return Math.max(1, Math.ceil(seconds / 60));
}
