// Where `validate` and `schema` look for configs and features: the global
// flag, else what the caller passes (e.g. from phoenix.build.ts), else the
// defaults `configs/` and `features/`, all relative to the cwd.
import { resolve } from 'node:path';
import type { CommandContext } from './context.ts';

export interface ConfigPathArgs {
  readonly configDir?: string;
  readonly featuresDir?: string;
}

export function configDirOf(ctx: CommandContext, args: ConfigPathArgs): string {
  return resolve(ctx.cwd, ctx.globals.configDir ?? args.configDir ?? 'configs');
}

export function featuresDirOf(ctx: CommandContext, args: ConfigPathArgs): string {
  return resolve(ctx.cwd, ctx.globals.featuresDir ?? args.featuresDir ?? 'features');
}
