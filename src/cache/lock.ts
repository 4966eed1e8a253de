// One phx at a time per cache (and so per host it builds).
//
// The lock is a kernel object, not a file: a listening Unix socket in the
// abstract namespace, named after the cache folder's real path. bind(2) of a
// taken name fails with EADDRINUSE, atomically, and the kernel drops the
// name when the last descriptor closes, which includes every way a process
// can die (kill -9, OOM). So there is no stale lock to take over, and no
// interleaving of two starting phx can give two holders: the race that an
// unlink-then-retry takeover of a pid file has (two processes both judge the
// same dead pid's file stale; one unlinks it and links its own; the other
// then unlinks that one) cannot happen.
//
// Chosen over the alternatives because it needs nothing phx does not have:
// flock(2) is what we would want, but Node has no binding for it and the npm
// ones (fs-ext) are native addons that must compile on every host; a
// flock(1) helper process holding the lock would be one more process to
// manage; a takeover protocol on files (a claim renamed into place, then
// verified) still needs its own stale-claim rule. Costs, accepted: Linux only
// (phx drives Proxmox and LXC, both Linux; it reads /proc already), and the
// name lives in the network namespace, so two phx in different namespaces
// sharing one cache folder would not see each other.
//
// Descriptors are opened close-on-exec by libuv, so a guest or daemon that
// phx starts never inherits the lock. `build.lock` beside the cache names
// the holder for messages only (lock-holder.ts); it is never the lock, so a
// leftover file naming a dead pid, or a live process that is not phx, is
// simply replaced by the next holder.
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  believedIdentity,
  newIdentity,
  readIdentity,
  socketHolder,
  writeIdentity,
  type LockHolder,
} from './lock-holder.ts';

export type { LockHolder } from './lock-holder.ts';

export type LockResult =
  | { readonly ok: true; readonly release: () => void }
  /** Another phx holds it and the caller did not want to wait. */
  | { readonly ok: false; readonly reason: 'busy'; readonly holder: LockHolder & { type: 'phx' } }
  /** A process that is not phx holds the lock's name: waiting for it could be forever. */
  | { readonly ok: false; readonly reason: 'foreign'; readonly holder: LockHolder }
  | { readonly ok: false; readonly reason: 'cancelled' };

/**
 * A holder binds the name first and writes its identity a moment later; a
 * lock whose holder is not identified after this long is not held by a phx.
 */
const IDENTIFY_MS = 2000;
const POLL_MS = 50;

/** The abstract socket name of the lock for `dir` (exported for tests that squat it). */
export function lockName(dir: string): string {
  const key = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return `phx-cache-lock/${key}`;
}

/** Bind the lock's name: the server if this process now holds it, undefined if another does. */
function bind(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((conn) => conn.destroy());
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') resolve(undefined);
      else reject(new Error(`phx: cannot take the cache lock (${e.code ?? e.message})`));
    });
    server.listen('\0' + name, () => {
      // The lock must not keep a finished command alive.
      server.unref();
      resolve(server);
    });
  });
}

export async function acquireCacheLock(
  dir: string,
  opts: {
    wait: boolean;
    signal: AbortSignal;
    onWait: (holder: LockHolder & { type: 'phx' }) => void;
    /** What the holder is doing, for other phx's messages (`phx build`). */
    command?: string;
  },
): Promise<LockResult> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'build.lock');
  const name = lockName(dir);
  let told = false;
  let unknownSince: number | undefined;
  for (;;) {
    const server = await bind(name);
    if (server !== undefined) {
      const me = newIdentity(opts.command ?? 'phx');
      writeIdentity(file, me);
      let held = true;
      return {
        ok: true,
        release: () => {
          if (!held) return;
          held = false;
          // The file goes first, while the name is still ours: once the name
          // is free the next holder writes its own file, which we must not remove.
          if (readIdentity(file)?.token === me.token) {
            try {
              unlinkSync(file);
            } catch {
              /* removed by hand */
            }
          }
          server.close();
        },
      };
    }
    const id = believedIdentity(file);
    if (id === undefined) {
      // Taken, but no believable identity: a phx between its bind and its
      // write, or a process that is not phx. Look again until that is clear.
      unknownSince ??= Date.now();
      if (Date.now() - unknownSince >= IDENTIFY_MS) {
        const kernel = socketHolder(name);
        return {
          ok: false,
          reason: 'foreign',
          holder: { type: 'foreign', pid: kernel?.pid, command: kernel?.command ?? '?' },
        };
      }
      if (!(await pause(POLL_MS, opts.signal))) return { ok: false, reason: 'cancelled' };
      continue;
    }
    unknownSince = undefined;
    if (id.pid === process.pid)
      throw new Error('phx: the cache lock was taken twice by one process');
    const holder = { type: 'phx', pid: id.pid, command: id.command } as const;
    if (!opts.wait) return { ok: false, reason: 'busy', holder };
    if (!told) {
      opts.onWait(holder);
      told = true;
    }
    if (!(await pause(100, opts.signal))) return { ok: false, reason: 'cancelled' };
  }
}

/** Sleep unless cancelled; false when the signal fired. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
