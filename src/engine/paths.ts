// Where things live for one invocation: the project root (cwd), the config
// and features folders (flag, else build file, else default), the cache.
import { resolve } from 'node:path';
import type { CommandContext } from '../commands/context.ts';
import type { BuildFile } from './build-file.ts';

export interface Paths {
  readonly root: string;
  readonly configDir: string;
  readonly featuresDir: string;
  readonly cacheDir: string;
}

export function cacheDirOf(ctx: CommandContext): string {
  return resolve(ctx.cwd, ctx.globals.cacheDir ?? ctx.env.PHX_CACHE_DIR ?? '.phoenix-cache');
}

export function resolvePaths(ctx: CommandContext, buildFile: BuildFile): Paths {
  return {
    root: ctx.cwd,
    configDir: resolve(ctx.cwd, ctx.globals.configDir ?? buildFile.configDir ?? 'configs'),
    featuresDir: resolve(ctx.cwd, ctx.globals.featuresDir ?? buildFile.featuresDir ?? 'features'),
    cacheDir: cacheDirOf(ctx),
  };
}
