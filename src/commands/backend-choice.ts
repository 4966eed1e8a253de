// Which backend runs this invocation (DESIGN §5): --backend / PHX_BACKEND /
// the build file, default auto = proxmox where `pct` is on the PATH or
// --host is given, else the embedded sim node. lxc only when asked for.
import { delimiter, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { CommandContext } from './context.ts';
import type { BuildFile } from '../engine/build-file.ts';
import type { Backend, BackendKind } from '../backends/backend.ts';
import type { Result } from '../core/result.ts';

export type BackendChoice = Result<Backend, string>;

function onPath(tool: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, tool)));
}

export function chooseBackendKind(ctx: CommandContext, buildFile: BuildFile): BackendKind {
  const asked =
    ctx.globals.backend ??
    (ctx.env.PHX_BACKEND as BackendKind | 'auto' | undefined) ??
    buildFile.backend ??
    'auto';
  if (asked !== 'auto') return asked;
  return ctx.globals.host !== undefined || onPath('pct', ctx.env) ? 'proxmox' : 'sim';
}

export function simDir(ctx: CommandContext): string {
  return resolve(ctx.cwd, ctx.env.PHX_SIM_DIR ?? '.phoenix-sim');
}

export async function createBackend(
  ctx: CommandContext,
  buildFile: BuildFile,
): Promise<BackendChoice> {
  const kind = chooseBackendKind(ctx, buildFile);
  switch (kind) {
    case 'sim': {
      const { SimRunner, simOptionsFromEnv } = await import('../sim/runner.ts');
      const parsed = simOptionsFromEnv(ctx.env, {
        dir: simDir(ctx),
        durations: buildFile.sim?.durations ?? {},
        scale: buildFile.sim?.scale ?? 1,
      });
      if (!parsed.ok) return { ok: false, error: parsed.error };
      const { ProxmoxBackend } = await import('../backends/proxmox/backend.ts');
      const runner = new SimRunner({
        ...parsed.value,
        onNote: (note) => {
          ctx.io.err(`sim: ${note}\n`);
        },
      });
      return { ok: true, value: new ProxmoxBackend({ runner, kind: 'sim' }) };
    }
    case 'proxmox': {
      const { ProxmoxBackend } = await import('../backends/proxmox/backend.ts');
      if (ctx.globals.host !== undefined) {
        const { SshRunner } = await import('../backends/ssh-runner.ts');
        return {
          ok: true,
          value: new ProxmoxBackend({
            runner: new SshRunner(ctx.globals.host, ctx.env),
            kind: 'proxmox',
          }),
        };
      }
      const { LocalRunner } = await import('../backends/local-runner.ts');
      return {
        ok: true,
        value: new ProxmoxBackend({ runner: new LocalRunner(), kind: 'proxmox' }),
      };
    }
    case 'lxc': {
      const { LxcBackend } = await import('../backends/lxc/backend.ts');
      return { ok: true, value: new LxcBackend({ env: ctx.env }) };
    }
  }
}
