// A guest's `lock:` line, honoured before phx writes one of its /etc/pve
// files. `pct set` refuses a locked CT ("CT is locked (backup)"), and vzdump,
// snapshots, migrations and the GUI rely on that while they hold the lock; a
// file written under them races their own write of the config, or lands
// half-way into a backup. phx waits a short, bounded time (a snapshot lock goes
// in seconds), then fails with a typed error naming the lock, and writes from
// the config text it read unlocked, never from an older copy.
//
// What remains: pct takes a flock (/run/lock/lxc/pve-config-<id>.lock) around
// its read-check-write, and phx has no such lock across the runner; its window
// is one read → write round trip. vzdump sets `lock: backup` at its start and
// keeps it for the whole backup, which is the case the check is for.
import { setTimeout as sleep } from 'node:timers/promises';
import { OpError } from '../../core/failure.ts';
import { confLock } from './conf-file.ts';

export interface LockWait {
  /** How long a lock may hold before phx gives up (ms). */
  readonly waitMs: number;
  /** How often the config is re-read meanwhile (ms). */
  readonly pollMs: number;
}

/** pct's own flock times out after 10 s; phx waits as long for a `lock:` to go. */
export const DEFAULT_LOCK_WAIT: LockWait = { waitMs: 10_000, pollMs: 500 };

/**
 * The guest's config text once it holds no `lock:`, re-read every `pollMs`.
 * `first` is a text just read (saves a read when it is already unlocked);
 * undefined from `read` means the guest has no config, so there is no lock.
 * Throws OpError 'guest-locked' after `waitMs`, 'cancelled' on abort.
 */
export async function unlockedConf(
  guest: number,
  path: string,
  read: () => Promise<string | undefined>,
  wait: LockWait,
  signal: AbortSignal,
  first?: string,
): Promise<string | undefined> {
  const start = Date.now();
  let text = first ?? (await read());
  for (;;) {
    const lock = text === undefined ? undefined : confLock(text);
    if (lock === undefined) return text;
    const waitedMs = Date.now() - start;
    if (waitedMs >= wait.waitMs)
      throw new OpError({ type: 'guest-locked', guest, lock, path, waitedMs });
    try {
      await sleep(Math.min(wait.pollMs, wait.waitMs - waitedMs), undefined, { signal });
    } catch {
      throw new OpError({ type: 'cancelled' });
    }
    text = await read();
  }
}
