// `phx validate`: schema and cross-reference checks of the configs and
// features; exit 0 when valid (warnings allowed), 1 when not (DESIGN §6).
// Diagnostics go to stderr; with --json one object goes to stdout instead:
//   { "version": 1, "valid": bool, "diagnostics": [Diagnostic…] }
import { loadProject } from '../model/load.ts';
import { renderDiagnostics } from '../model/render.ts';
import type { BuildFile } from '../engine/build-file.ts';
import { resolvePaths } from '../engine/paths.ts';
import { ExitCode } from './context.ts';
import type { CommandContext } from './context.ts';

/** The folders phoenix.build.ts names; the global flags override them. */
export type ValidateArgs = Pick<BuildFile, 'configDir' | 'featuresDir'>;

export async function run(ctx: CommandContext, args: ValidateArgs = {}): Promise<number> {
  const paths = resolvePaths(ctx, args);
  const result = await loadProject({
    configDir: paths.configDir,
    featuresDir: paths.featuresDir,
    strict: ctx.globals.strict,
    cwd: ctx.cwd,
  });
  const valid = result.project !== undefined;
  if (ctx.globals.json) {
    ctx.io.out(
      JSON.stringify({ version: 1, valid, diagnostics: result.diagnostics }, null, 2) + '\n',
    );
    return valid ? ExitCode.ok : ExitCode.error;
  }
  const shown = ctx.globals.quiet
    ? result.diagnostics.filter((d) => d.severity === 'error')
    : result.diagnostics;
  // At most SHOWN_DIAGNOSTICS, then "… and N more": thousands help no one on a terminal.
  for (const text of renderDiagnostics(shown, result.sources)) ctx.io.err(text + '\n');
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (result.project !== undefined) {
    if (!ctx.globals.quiet) {
      const p = result.project;
      ctx.io.err(
        `valid: ${count(p.guests.size, 'guest')}, ${count(p.stacks.size, 'stack')}, ${count(p.features.size, 'feature')}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}\n`,
      );
    }
    return ExitCode.ok;
  }
  ctx.io.err(
    `invalid: ${count(errors, 'error')}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}\n`,
  );
  return ExitCode.error;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
