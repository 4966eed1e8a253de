// Runs one lxc-* (or tar, ip) command line for an operation: argv only, no
// shell; the argv goes into ctx.commands and each output line into the log,
// and a failure becomes a typed OpError instead of an exit code to check.
import { type OpContext } from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import type { RunResult } from '../runner.ts';
import { spawnArgv } from '../local-runner.ts';

export interface RunCommandOptions {
  /** Exit codes that are answers rather than failures (e.g. `ip link show` of a missing bridge). */
  readonly allowExit?: readonly number[];
  /** Keep the output out of the target's log (queries whose answer we parse). */
  readonly quiet?: boolean;
}

/** A call, not a property read: TypeScript would otherwise narrow `aborted` across the await. */
const cancelled = (signal: AbortSignal): boolean => signal.aborted;

export async function runCommand(
  argv: readonly string[],
  ctx: OpContext,
  opts: RunCommandOptions = {},
): Promise<RunResult> {
  if (cancelled(ctx.signal)) throw new OpError({ type: 'cancelled' });
  ctx.commands.push([...argv]);
  const result = await spawnArgv(argv, {
    signal: ctx.signal,
    ...(opts.quiet === true ? {} : { onLine: ctx.log }),
  });
  if (cancelled(ctx.signal)) throw new OpError({ type: 'cancelled' });
  if (result.exitCode === 127 && /ENOENT/.test(result.stderr)) {
    throw new OpError({ type: 'missing-tool', tool: argv[0] ?? '' });
  }
  if (result.exitCode !== 0 && !(opts.allowExit ?? []).includes(result.exitCode)) {
    throw new OpError({
      type: 'command-failed',
      argv: [...argv],
      exitCode: result.exitCode,
      stderr: result.stderr,
    });
  }
  return result;
}

/** A context for the backend's own queries (inspect has no target). */
export function queryContext(signal: AbortSignal): OpContext {
  return {
    target: 'inspect' as OpContext['target'],
    targetKind: 'check',
    log: () => undefined,
    commands: [],
    signal,
  };
}
