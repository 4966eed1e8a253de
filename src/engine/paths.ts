// Where things live for one invocation: the project root (cwd), the config
// and features folders (flag, else build file, else default), the cache.
import { resolve } from 'node:path';
import type { BuildFile } from './build-file.ts';

export interface Paths {
  readonly root: string;
  readonly configDir: string;
  readonly featuresDir: string;
  readonly cacheDir: string;
}

/** The flags and environment the paths depend on; a command's context is one. */
export interface PathInput {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly globals: {
    readonly configDir?: string;
    readonly featuresDir?: string;
    readonly cacheDir?: string;
  };
}

export function cacheDirOf(input: PathInput): string {
  return resolve(input.cwd, input.globals.cacheDir ?? input.env.PHX_CACHE_DIR ?? '.phoenix-cache');
}

export function resolvePaths(input: PathInput, buildFile: BuildFile): Paths {
  return {
    root: input.cwd,
    configDir: resolve(input.cwd, input.globals.configDir ?? buildFile.configDir ?? 'configs'),
    featuresDir: resolve(
      input.cwd,
      input.globals.featuresDir ?? buildFile.featuresDir ?? 'features',
    ),
    cacheDir: cacheDirOf(input),
  };
}
