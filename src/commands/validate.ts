// `phx validate`: schema and cross-reference checks of the configs and
// features; exit 0 when valid (warnings allowed), 1 when not (DESIGN §6).
// Diagnostics go to stderr; with --json one object goes to stdout instead:
//   { "version": 1, "valid": bool, "diagnostics": [Diagnostic…] }
import { loadProject } from '../model/load.ts';
import { renderDiagnostic } from '../model/render.ts';
import type { ConfigPathArgs } from './config-paths.ts';
import { configDirOf, featuresDirOf } from './config-paths.ts';
import { ExitCode } from './context.ts';
import type { CommandContext } from './context.ts';

export type ValidateArgs = ConfigPathArgs;

export async function run(ctx: CommandContext, args: ValidateArgs = {}): Promise<number> {
  const result = await loadProject({
    configDir: configDirOf(ctx, args),
    featuresDir: featuresDirOf(ctx, args),
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
  for (const d of shown) ctx.io.err(renderDiagnostic(d, result.sources.get(d.file)) + '\n');
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
