// The files a step reads its entry and params from (PHX_ENTRY, PHX_PARAMS):
// written to a private run folder on this machine, pushed, and the run folder
// removed at once; removed from the guest when the step ends, so no layer
// snapshot, clone or later step holds resolved secrets. A step receives only
// the secrets its feature or app reads, the same ones its fingerprint covers.
import { OpError } from '../src/core/failure.ts';
import type { RuleContext } from './rule.ts';
import type { Target } from '../targets/target.ts';
import type { Project } from '../src/model/model.ts';
import { describeUnresolved, resolveForStep } from '../src/model/resolve-secrets.ts';
import { openRunFolder } from './run-folder.ts';
import { appKeys } from '../targets/keys.ts';
import { keyPointers } from '../targets/pointers.ts';

/** Entry-relative pointers a step reads: its own feature reference and its manifest's `reads`. */
export function stepReads(target: Target, project: Project): string[] {
  switch (target.kind) {
    case 'feature': {
      const index = target.guest.features.indexOf(target.feature.ref);
      return [
        `/features/${index < 0 ? target.layer - 1 : index}`,
        ...target.feature.manifest.reads,
      ];
    }
    case 'app':
      return [...keyPointers(appKeys), ...(project.apps.get(target.script)?.reads ?? [])];
    default:
      return [];
  }
}

/** The texts of entry.json and params.json, secrets resolved: before any host is touched. */
export interface StepContext {
  readonly entry: string;
  readonly params: string;
}

/** Resolves what the step reads; an unresolvable secret fails the step (OpError 'rejected'). */
export function stepContext(
  ctx: RuleContext,
  params: Readonly<Record<string, unknown>>,
): StepContext {
  const source = { env: ctx.env, configDir: ctx.project.configDir };
  const entry = resolveForStep(ctx.target.guest.config, stepReads(ctx.target, ctx.project), source);
  // The params are the feature's own: every secret in them is read.
  const resolvedParams = resolveForStep(params, [''], source);
  const problems = [
    ...(entry.ok ? [] : entry.error),
    ...(resolvedParams.ok ? [] : resolvedParams.error),
  ];
  if (!entry.ok || !resolvedParams.ok) {
    // Validation reports these with positions; the environment changed since.
    throw new OpError({
      type: 'rejected',
      reason: problems.map((p) => `${p.pointer}: ${describeUnresolved(p.problem)}`).join('; '),
    });
  }
  return {
    entry: JSON.stringify(entry.value, null, 2) + '\n',
    params: JSON.stringify(resolvedParams.value, null, 2) + '\n',
  };
}

/** Push entry.json and params.json into `ctxDir` (replaced) through a private run folder. */
export async function pushStepContext(
  ctx: RuleContext,
  ctxDir: string,
  files: StepContext,
): Promise<void> {
  const run = await openRunFolder();
  try {
    await run.write('entry.json', files.entry);
    await run.write('params.json', files.params);
    await ctx.backend.push(ctx.target.guest, run.dir, ctxDir, ctx.op);
  } finally {
    await run.remove();
  }
}

/**
 * Remove `ctxDir` from the guest after the step, whether it succeeded or
 * not. A failure here is logged and returned, not raised: it must not hide
 * the step's own; the caller refuses to snapshot a guest it could not clean.
 */
export async function removeStepContext(ctx: RuleContext, ctxDir: string): Promise<boolean> {
  // Runs even when the build was cancelled (its signal aborted): a cancelled
  // step must not leave resolved secrets in a guest that stays behind.
  const op = { ...ctx.op, signal: new AbortController().signal };
  try {
    await ctx.backend.exec(
      ctx.target.guest,
      { cwd: '/', argv: ['rm', '-rf', '--', ctxDir], env: {} },
      op,
    );
    return true;
  } catch (e) {
    ctx.op.log(
      `could not remove ${ctxDir} from ${ctx.target.entry}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return false;
  }
}
