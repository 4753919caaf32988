// A pid lock file for the embedded database folder. A lock left by a killed process
// (its pid no longer alive) is taken over, so a crash never needs manual clean-up.
import { readFileSync, writeFileSync, unlinkSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderLock { release(): void }

export class FolderLockedError extends Error {
  constructor(public readonly dir: string, public readonly pid: number) {
    super(`the data folder ${dir} is in use by process ${pid}: stop that Allmende first, or point DATABASE_URL at a PostgreSQL server to run several processes`);
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e: any) { return e.code === 'EPERM'; }
}

export function acquireFolderLock(dir: string): FolderLock {
  const file = join(dir, 'allmende.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      const release = () => { if (held) { held = false; try { unlinkSync(file); } catch { /* already gone */ } } };
      process.once('exit', release);
      return { release };
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) throw new FolderLockedError(dir, pid);
      unlinkSync(file); // stale lock of a dead process
    }
  }
  throw new Error(`could not lock ${dir}`);
}
