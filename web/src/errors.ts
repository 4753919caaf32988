// Turns any thrown value into a sentence for the user, in their language.
import { ApiError } from './api.js';
import type { Messages } from './i18n.js';

export function errorText(err: unknown, t: Messages): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t.errorNetwork;
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
