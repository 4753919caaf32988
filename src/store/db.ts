// One small interface over both PostgreSQL flavours Allmende runs on: the embedded PGlite
// (PostgreSQL compiled to WASM, data in a local folder) and a PostgreSQL server (pg pool).
// Every query in the project goes through this, so both run the same SQL.
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { acquireFolderLock, type FolderLock } from './lock.js';

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** One parameterised statement. */
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations, schema set-up). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction; a nested call reuses the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… for a server; absent means the embedded database in dataDir. */
  databaseUrl?: string;
  dataDir?: string;
}

export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  if (!opts.dataDir) throw new Error('either DATABASE_URL or a data folder is needed');
  return openPglite(opts.dataDir);
}

// int8 (counts, ids) as JS numbers, as PGlite already does; our ids stay far below 2^53.
const pgTypes = {
  getTypeParser(oid: number, format?: any) {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DB_POOL_SIZE ?? 10), types: pgTypes as any });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  await pool.query('select 1');
  const wrap = (client: pg.Pool | pg.PoolClient, inTx: boolean): Db => ({
    kind: 'postgres',
    async query(sql, params) { return (await client.query(sql, params as any[])).rows; },
    async exec(sql) { await client.query(sql); },
    async transaction(fn) {
      if (inTx) return fn(wrap(client, true));
      const c = await pool.connect();
      try {
        await c.query('begin');
        const out = await fn(wrap(c, true));
        await c.query('commit');
        return out;
      } catch (e) {
        await c.query('rollback').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async close() { if (!inTx) await pool.end(); },
  });
  return wrap(pool, false);
}

async function openPglite(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  // PGlite has no cross-process locking: two processes on one folder would corrupt it.
  const lock: FolderLock = acquireFolderLock(dataDir);
  let lite: PGlite;
  try {
    // pg_trgm: the people lists' substring search uses trigram indexes (migration 016).
    lite = await PGlite.create(`${dataDir}/pgdata`, { extensions: { pg_trgm } });
  } catch (e) {
    lock.release();
    throw e;
  }
  type Q = { query: PGlite['query']; exec: PGlite['exec'] };
  const wrap = (conn: Q, inTx: boolean): Db => ({
    kind: 'pglite',
    async query(sql, params) { return (await conn.query(sql, params as any[])).rows as any[]; },
    async exec(sql) { await conn.exec(sql); },
    async transaction(fn) {
      if (inTx) return fn(wrap(conn, true));
      // PGlite's transaction() holds its connection for the whole callback, so queries from
      // other callers (the job queue) wait instead of landing inside this transaction.
      return lite.transaction((tx) => fn(wrap(tx as unknown as Q, true)));
    },
    async close() {
      if (inTx) return;
      await lite.close();
      lock.release();
    },
  });
  return wrap(lite, false);
}
