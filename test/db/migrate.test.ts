// Migrations: versioned, applied once, never re-run or rewritten, and data survives a restart.
import { describe, it, expect, afterAll } from 'vitest';
import { freshConfig, item } from '../helpers.js';
import { openDb } from '../../src/store/db.js';
import { migrate, listMigrations } from '../../src/store/migrate.js';
import { openApp } from '../../src/app.js';
import { createWorkspace } from '../../src/auth/accounts.js';
import { acceptRows } from '../../src/pipeline/accept.js';

const fresh = await freshConfig();
afterAll(() => fresh.cleanup());
const open = () => openDb({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir });

describe('migrations', () => {
  it('applies every migration once, records it, and keeps data across restarts', async () => {
    const db = await open();
    const first = await migrate(db);
    expect(first).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const recorded = await db.query<any>('select version, checksum from schema_migrations order by version');
    expect(recorded.map((r) => r.checksum)).toEqual(listMigrations().map((m) => m.checksum));
    await db.close();

    const app = await openApp(fresh.config, { workers: false });
    const ws = await createWorkspace(app.db, { slug: 'nord', name: 'Nord' });
    await acceptRows(app.db, app.queue, { workspaceId: ws.id }, [item(1)]);
    await app.close();
    const again = await openApp(fresh.config, { workers: false });
    expect((await again.db.query<any>('select text from items')).map((r) => r.text)).toEqual([item(1).text]);
    await again.close();
  });

  it('refuses to start when an applied migration was changed afterwards', async () => {
    const db = await open();
    await db.query(`update schema_migrations set checksum = 'edited' where version = 1`);
    await expect(migrate(db)).rejects.toThrow(/was changed after it was applied/);
    await db.close();
  });

  it('lets only one process hold the embedded data folder', async () => {
    if (fresh.config.databaseUrl) return;
    const db = await open();
    // A second open in this same process would take the lock over (same pid); a real second
    // process is refused, which the lock's pid check does: simulate with another live pid.
    const { acquireFolderLock, FolderLockedError } = await import('../../src/store/lock.js');
    const { writeFileSync } = await import('node:fs');
    await db.close();
    writeFileSync(`${fresh.config.dataDir}/allmende.pid`, String(process.ppid));
    expect(() => acquireFolderLock(fresh.config.dataDir)).toThrow(FolderLockedError);
  });
});
