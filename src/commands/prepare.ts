// The front half every command shares, as the user sees it: the engine
// prepares the project (src/engine/pipeline.ts); this prints its diagnostics
// and failures and turns them into an exit code.
import { prepareProject, type Prepared, type PrepareFailure } from '../engine/pipeline.ts';
import { renderDiagnostics } from '../model/render.ts';
import { ExitCode, type CommandContext } from './context.ts';

export type Prepare = { ok: true; value: Prepared } | { ok: false; exitCode: number };

export async function prepare(ctx: CommandContext): Promise<Prepare> {
  const { result, diagnostics, sources } = await prepareProject({
    cwd: ctx.cwd,
    env: ctx.env,
    globals: ctx.globals,
    strict: ctx.globals.strict,
  });
  // At most a screenful, then "… and N more": a file with thousands of
  // errors reports as fast as a valid one, and `validate --json` lists all.
  const shown = ctx.globals.quiet
    ? diagnostics.filter((d) => d.severity !== 'warning')
    : diagnostics;
  for (const text of renderDiagnostics(shown, sources)) ctx.io.err(text + '\n');
  const warnings = renderDiagnostics(
    diagnostics.filter((d) => d.severity === 'warning'),
    sources,
  )
    .map((text) => text + '\n')
    .join('');
  if (!result.ok) {
    const message = failureText(result.error);
    if (message !== undefined) ctx.io.err(`phx: ${message}\n`);
    return { ok: false, exitCode: ExitCode.error };
  }
  return { ok: true, value: { ...result.value, warnings } };
}

/** undefined: the diagnostics already said it. */
function failureText(f: PrepareFailure): string | undefined {
  switch (f.type) {
    case 'build-file':
      return f.message;
    case 'invalid':
      return undefined;
    case 'graph':
      return f.error.type === 'cycle'
        ? `the targets form a cycle: ${f.error.cycle.join(' → ')}`
        : `${f.error.edge.to} consumes ${f.error.edge.from}, which no entry defines`;
  }
}
