// One phx build per cache at a time. The lock is a file holding the owner's
// pid; a lock whose pid is gone was left by a killed run and is taken over.
import { linkSync, readFileSync, unlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type LockResult =
  | { readonly ok: true; readonly release: () => void }
  | { readonly ok: false; readonly reason: 'busy'; readonly owner: number }
  | { readonly ok: false; readonly reason: 'cancelled' };

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(path: string): number | 'taken' {
  // The pid is written first and the lock appears whole by link(2): a run
  // killed at any point leaves either no lock or one naming its pid.
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, String(process.pid));
  try {
    linkSync(tmp, path);
    return 'taken';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  const owner = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isInteger(owner) || owner <= 0 || !pidAlive(owner)) {
    // Left by a killed run: remove and race for it again.
    try {
      unlinkSync(path);
    } catch {
      /* another process removed it first */
    }
    return tryTake(path);
  }
  return owner;
}

export async function acquireCacheLock(
  dir: string,
  opts: { wait: boolean; signal: AbortSignal; onWait: (owner: number) => void },
): Promise<LockResult> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'build.lock');
  let told = false;
  for (;;) {
    const r = tryTake(path);
    if (r === 'taken') {
      return {
        ok: true,
        release: () => {
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    }
    if (!opts.wait) return { ok: false, reason: 'busy', owner: r };
    if (!told) {
      opts.onWait(r);
      told = true;
    }
    if (opts.signal.aborted) return { ok: false, reason: 'cancelled' };
    await sleep(100);
  }
}
