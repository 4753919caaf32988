// Signed webhooks, the base platform connectors reuse: HMAC-SHA256 over "<timestamp>.<raw body>",
// a timestamp inside the replay window, and (by the caller) each delivery id accepted once.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../auth/secrets.js';

export const REPLAY_WINDOW_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySignature(opts: {
  secret: string; body: Buffer; signature: string | undefined; timestamp: string | undefined; nowSeconds?: number; windowSeconds?: number;
}): SignatureCheck {
  if (!opts.signature) return { ok: false, reason: 'missing x-allmende-signature header' };
  if (!opts.timestamp || !/^\d{1,12}$/.test(opts.timestamp)) return { ok: false, reason: 'missing or malformed x-allmende-timestamp header (unix seconds)' };
  const ts = Number(opts.timestamp);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const window = opts.windowSeconds ?? REPLAY_WINDOW_SECONDS;
  if (Math.abs(now - ts) > window) return { ok: false, reason: `timestamp outside the ${window}-second replay window` };
  if (!safeEqual(signPayload(opts.secret, ts, opts.body), opts.signature)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
