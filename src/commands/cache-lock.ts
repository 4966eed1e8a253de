// The cache lock as every command that writes the cache or the host takes it:
// wait with a message, or exit 3 under --no-wait (DESIGN §6), 130 when
// interrupted while waiting. A lock held by a process that is not phx is
// reported with its pid and command line and not waited for: nothing says it
// will ever let go.
import { acquireCacheLock } from '../cache/lock.ts';
import { ExitCode, type CommandContext } from './context.ts';

export type CommandLock = { ok: true; release: () => void } | { ok: false; exitCode: number };

/** What this phx is doing, as other phx show it while they wait (`phx build --all`). */
function thisCommand(): string {
  const text = ['phx', ...process.argv.slice(2)].join(' ');
  return text.length > 200 ? text.slice(0, 199) + '…' : text;
}

export async function lockCacheFor(
  ctx: CommandContext,
  cacheDir: string,
  /** Shown to other phx while this one holds the lock; defaults to this process's phx arguments. */
  command: string = thisCommand(),
): Promise<CommandLock> {
  const lock = await acquireCacheLock(cacheDir, {
    wait: ctx.globals.wait,
    signal: ctx.signal,
    command,
    onWait: (holder) => {
      ctx.io.err(
        `phx: waiting for another phx (pid ${String(holder.pid)}) to finish with ${cacheDir}: ${holder.command}\n`,
      );
    },
  });
  if (lock.ok) return { ok: true, release: lock.release };
  switch (lock.reason) {
    case 'cancelled':
      return { ok: false, exitCode: ExitCode.interrupted };
    case 'busy':
      ctx.io.err(
        `phx: ${cacheDir} is in use by another phx (pid ${String(lock.holder.pid)}): ${lock.holder.command}; not waiting (--no-wait)\n`,
      );
      return { ok: false, exitCode: ExitCode.cacheBusy };
    case 'foreign': {
      const who =
        lock.holder.pid === undefined
          ? 'a process phx cannot see (another user, or no /proc access)'
          : `pid ${String(lock.holder.pid)} (${lock.holder.command})`;
      ctx.io.err(
        `phx: the lock of ${cacheDir} is held by ${who}, which is not phx; not waiting for it. ` +
          `Stop that process, or use another --cache-dir.\n`,
      );
      return { ok: false, exitCode: ExitCode.cacheBusy };
    }
  }
}
