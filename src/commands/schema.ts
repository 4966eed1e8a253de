// `phx schema`: writes JSON Schemas of the four config files, generated from
// the zod schemas phx validates with, into `<configDir>/schemas/`, for
// editors and other tools. Draft-07, the dialect the Phoenix files already
// name in their `$schema`; they describe the input (string numbers and all).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { configFiles } from '../model/schema/files.ts';
import type { BuildFile } from '../engine/build-file.ts';
import { resolvePaths } from '../engine/paths.ts';
import { ExitCode } from './context.ts';
import type { CommandContext } from './context.ts';

/** The folders phoenix.build.ts names; the global flags override them. */
export type SchemaArgs = Pick<BuildFile, 'configDir' | 'featuresDir'>;

/** `phoenix_lxc_configs.json` → `phoenix_lxc_configs.schema.json` */
export function schemaFileName(configFile: string): string {
  return configFile.replace(/\.json$/, '.schema.json');
}

export function generateSchemas(): { file: string; schema: Record<string, unknown> }[] {
  return Object.values(configFiles).map(({ file, schema }) => ({
    file: schemaFileName(file),
    schema: { ...z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }), title: file },
  }));
}

export async function run(ctx: CommandContext, args: SchemaArgs = {}): Promise<number> {
  const dir = join(resolvePaths(ctx, args).configDir, 'schemas');
  const written: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
    for (const { file, schema } of generateSchemas()) {
      const path = join(dir, file);
      await writeFile(path, JSON.stringify(schema, null, 2) + '\n');
      written.push(relative(ctx.cwd, path) || path);
    }
  } catch (e) {
    ctx.io.err(
      `phx schema: cannot write into ${relative(ctx.cwd, dir) || dir}: ${(e as Error).message}\n`,
    );
    return ExitCode.error;
  }
  if (ctx.globals.json) ctx.io.out(JSON.stringify({ version: 1, files: written }, null, 2) + '\n');
  else if (!ctx.globals.quiet) for (const w of written) ctx.io.err(`wrote ${w}\n`);
  return ExitCode.ok;
}
