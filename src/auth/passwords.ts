import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD = 12;

// argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum recommendation).
export const hashPassword = (password: string) => hash(password, { algorithm: 2 });
export const verifyPassword = (stored: string, password: string) => verify(stored, password).catch(() => false);

// Verified against when the e-mail is unknown, so the answer takes as long either way.
let dummy: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('no-such-user-placeholder');
  await verifyPassword(await dummy, password);
}
