// Encryption of stored credentials (webhook secrets, platform tokens): AES-256-GCM.
// The key comes from ALLMENDE_SECRET_KEY, or is created once in the data folder (mode 0600).
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox { seal(plain: string): string; open(sealed: string): string }

export function loadSecretBox(opts: { secretKey?: string; dataDir: string }): SecretBox {
  let key: Buffer;
  if (opts.secretKey) {
    key = Buffer.from(opts.secretKey, 'base64');
    if (key.length !== 32) throw new Error('ALLMENDE_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
  } else {
    const file = join(opts.dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(opts.dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1') throw new Error('unknown secret format');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    },
  };
}
