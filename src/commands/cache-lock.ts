// The cache lock as every mutating command takes it: wait with a message,
// or exit 3 under --no-wait (DESIGN §6), 130 when interrupted while waiting.
import { acquireCacheLock } from '../cache/lock.ts';
import { ExitCode, type CommandContext } from './context.ts';

export type CommandLock = { ok: true; release: () => void } | { ok: false; exitCode: number };

export async function lockCacheFor(ctx: CommandContext, cacheDir: string): Promise<CommandLock> {
  const lock = await acquireCacheLock(cacheDir, {
    wait: ctx.globals.wait,
    signal: ctx.signal,
    onWait: (owner) => {
      ctx.io.err(`phx: waiting for another phx (pid ${owner}) to finish with ${cacheDir}\n`);
    },
  });
  if (lock.ok) return { ok: true, release: lock.release };
  if (lock.reason === 'cancelled') return { ok: false, exitCode: ExitCode.interrupted };
  ctx.io.err(
    `phx: ${cacheDir} is in use by another phx (pid ${lock.owner}); not waiting (--no-wait)\n`,
  );
  return { ok: false, exitCode: ExitCode.cacheBusy };
}
