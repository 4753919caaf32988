// Random tokens and their hashes. Only hashes are stored: a leaked database yields no session
// or API token. Tokens carry a prefix so a leaked one is recognisable in logs and scanners.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';

export const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
