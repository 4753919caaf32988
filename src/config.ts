// Settings from the environment, with the embedded defaults a new user needs nothing for.
import { resolve } from 'node:path';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  /** Base64 32-byte key for stored credentials; else a key file in the data folder. */
  secretKey?: string;
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.ALLMENDE_DATA ?? 'data'),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    secretKey: env.ALLMENDE_SECRET_KEY || undefined,
    secureCookies: env.ALLMENDE_SECURE_COOKIES === '1',
  };
}
