// How the host-service operations reach the node: the backend's runner, each
// command recorded in the target's `commands` and a non-zero exit turned into
// a 'command-failed' (as ProxmoxBackend.run does), plus stdin for the
// commands that take a secret (smbpasswd, chpasswd): the secret is never an
// argv element, so no record, log or journal holds it.
import { OpError } from '../../core/failure.ts';
import type { OpContext } from '../backend.ts';
import type { CommandRunner, RunOptions, RunResult } from '../runner.ts';
import { recordWrite } from '../host-write.ts';

export interface HostIo {
  run(argv: string[], ctx: OpContext, tolerate?: (r: RunResult) => boolean): Promise<RunResult>;
  /** `stdin` is fed to the command and recorded nowhere. */
  runWithInput(argv: string[], stdin: string, ctx: OpContext): Promise<RunResult>;
  readFile(path: string, ctx: OpContext): Promise<string | undefined>;
  writeFile(path: string, content: string, ctx: OpContext): Promise<void>;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new OpError({ type: 'cancelled' });
}

const optsOf = (ctx: OpContext): RunOptions => ({
  signal: ctx.signal,
  target: ctx.target,
  targetKind: ctx.targetKind,
  onLine: ctx.log,
});

export function hostIo(runner: CommandRunner): HostIo {
  const exec = async (
    argv: string[],
    ctx: OpContext,
    opts: RunOptions,
    tolerate?: (r: RunResult) => boolean,
  ): Promise<RunResult> => {
    throwIfCancelled(ctx.signal);
    ctx.commands.push(argv);
    const r = await runner.run(argv, opts);
    throwIfCancelled(ctx.signal);
    if (r.exitCode !== 0 && !(tolerate?.(r) ?? false))
      throw new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
    return r;
  };
  return {
    run: (argv, ctx, tolerate) => exec(argv, ctx, optsOf(ctx), tolerate),
    runWithInput: (argv, stdin, ctx) => exec(argv, ctx, { ...optsOf(ctx), stdin }),
    readFile: (path, ctx) => runner.readFile(path, { ...optsOf(ctx), onLine: undefined }),
    async writeFile(path, content, ctx) {
      throwIfCancelled(ctx.signal);
      recordWrite(ctx, path);
      try {
        await runner.writeFile(path, content, optsOf(ctx));
      } catch (e) {
        throwIfCancelled(ctx.signal);
        if (e instanceof OpError) throw e;
        const stderr = e instanceof Error ? e.message : String(e);
        throw new OpError({
          type: 'command-failed',
          argv: ['writeFile', path],
          exitCode: 255,
          stderr,
        });
      }
    },
  };
}
