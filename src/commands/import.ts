// `phx import DIR [--into WORKSPACE] [--force]`: turns a bash Phoenix tree
// into a phx workspace and reports what needs a human look (issue 12.6).
// Files of DIR are read and copied, never executed. Exit 0 when imported
// (review items included), 1 when DIR is not a Phoenix tree or a file would
// be overwritten without --force. The report goes to stdout; with --json one
// object:
//   { "version": 1, "source", "into", "written": [...], "kept": [...],
//     "configs": [...], "features": [...], "apps": [...],
//     "review": [{ "reason", "message", ... }], "not_imported": [...] }
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBashTree, type TreeProblem } from './import/bash-tree.ts';
import { planImport, type ImportPlan } from './import/import-plan.ts';
import { describeReview } from './import/review.ts';
import { writeWorkspace, type Written } from './import/write-workspace.ts';
import { ExitCode, type CommandContext } from './context.ts';

export interface ImportArgs {
  readonly dir: string;
  /** The workspace folder; the current folder when absent. */
  readonly into?: string;
  readonly force?: boolean;
}

export async function run(ctx: CommandContext, args: ImportArgs): Promise<number> {
  const tree = await readBashTree(resolve(ctx.cwd, args.dir));
  if (!tree.ok) {
    ctx.io.err(`phx: ${describeTreeProblem(tree.error)}\n`);
    return ExitCode.error;
  }
  const into = resolve(ctx.cwd, args.into ?? '.');
  const plan = await planImport(tree.value, await phxLibrary());
  const result = await writeWorkspace(into, plan.files, args.force === true);
  if (!result.ok) {
    ctx.io.err(
      `phx: import refused: ${String(result.error.paths.length)} file(s) already exist in ${into} (--force overwrites them):\n` +
        result.error.paths.map((p) => `  ${p}\n`).join(''),
    );
    return ExitCode.error;
  }
  if (ctx.globals.json) {
    ctx.io.out(
      JSON.stringify(reportJson(tree.value.root, into, plan, result.value), null, 2) + '\n',
    );
  } else {
    ctx.io.out(reportText(tree.value.root, into, ctx.cwd, plan, result.value));
  }
  return ExitCode.ok;
}

export function describeTreeProblem(p: TreeProblem): string {
  switch (p.reason) {
    case 'missing':
      return `${p.dir}: no such folder`;
    case 'not-phoenix':
      return `${p.dir} is not a bash Phoenix tree: expected /usr/local/phoenix_hypervisor (or a checkout holding usr/local/phoenix_hypervisor/) with\n${p.expected.map((e) => `  ${e}\n`).join('')}`.trimEnd();
  }
}

function reportJson(source: string, into: string, plan: ImportPlan, written: Written): unknown {
  return {
    version: 1,
    source,
    into,
    written: written.written,
    kept: written.kept,
    configs: plan.configs,
    features: plan.features,
    apps: plan.apps,
    review: plan.review.map((item) => ({ ...item, message: describeReview(item) })),
    not_imported: plan.notImported,
  };
}

function reportText(
  source: string,
  into: string,
  cwd: string,
  plan: ImportPlan,
  written: Written,
): string {
  const where = relative(cwd, into) || '.';
  const lines = [
    `imported ${source} into ${where}`,
    `  ${String(plan.configs.length)} config file(s) in configs/`,
    `  ${String(plan.features.length)} feature(s): ${plan.features.map((f) => f.name).join(', ') || '(none)'}`,
    `  ${String(plan.apps.length)} application script(s) in features/apps/`,
    ...written.kept.map((k) => `  kept the existing ${k}`),
  ];
  if (plan.review.length > 0) {
    lines.push('', `needs a human look (${String(plan.review.length)}):`);
    for (const item of plan.review) lines.push(`  - ${describeReview(item)}`);
  } else {
    lines.push('', 'nothing needs a human look');
  }
  if (plan.notImported.length > 0) {
    lines.push('', 'not imported:');
    for (const n of plan.notImported) lines.push(`  - ${n.path}: ${n.why}`);
  }
  lines.push('', `next: phx validate, then phx plan${where === '.' ? '' : ` (in ${where})`}`);
  return lines.join('\n') + '\n';
}

/** phx's own features/lib/phx.sh, from the source tree or beside dist/; undefined when not shipped. */
async function phxLibrary(): Promise<Uint8Array | undefined> {
  for (const up of ['../../features/lib/phx.sh', '../../../features/lib/phx.sh']) {
    try {
      return await readFile(fileURLToPath(new URL(up, import.meta.url)));
    } catch {
      // try the next layout
    }
  }
  return undefined;
}
