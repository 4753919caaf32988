// Versioned, forward-only migrations: numbered .sql files in ./migrations, each applied once
// in its own transaction and recorded with a checksum. A changed file that was already applied
// is an error, never silently re-run: migrations add, they do not rewrite stored data.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration { version: number; name: string; sql: string; checksum: string }

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(dir + f, 'utf8');
      return { version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(db: Db, log: (msg: string) => void = () => {}): Promise<number[]> {
  await db.exec(`create table if not exists schema_migrations (
    version int primary key, name text not null, checksum text not null,
    applied_at timestamptz not null default now())`);
  // Several processes may start at once against one server: one migrates, the others wait.
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7431001)');
    const done = new Map((await tx.query<{ version: number; checksum: string }>('select version, checksum from schema_migrations')).map((r) => [r.version, r.checksum]));
    const applied: number[] = [];
    for (const m of listMigrations()) {
      const seen = done.get(m.version);
      if (seen !== undefined) {
        if (seen !== m.checksum) throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
        continue;
      }
      log(`applying migration ${m.version}_${m.name}`);
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(m.version);
    }
    return applied;
  });
}
