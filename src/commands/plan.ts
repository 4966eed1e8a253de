// `phx plan [IDS…|--all] [--json] [--detailed-exitcode] [--offline] [--state FILE]`
import { join } from 'node:path';
import { openCache } from '../cache/cache.ts';
import { type Cache } from '../cache/cache-api.ts';
import { loadBuildFile } from '../engine/build-file.ts';
import { initHash } from '../core/hash.ts';
import { inputSignature } from '../engine/input-signature.ts';
import { secretsSignature } from '../engine/secrets.ts';
import { imagesSignature } from '../../targets/vm-image.ts';
import { allTargetsKey, liveSettingsDigest, noopPlan } from '../engine/noop-plan.ts';
import { cacheDirOf, resolvePaths } from '../engine/paths.ts';
import { select } from '../engine/pipeline.ts';
import { prepare } from './prepare.ts';
import { planProject } from '../engine/planning.ts';
import { chooseBackendKind, createBackend } from './backend-choice.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { chooseSource, type SourceFlags } from './plan-source.ts';
import { hasChanges, planJson, planText } from './plan-output.ts';
import { viewOf, type PlanView } from '../engine/plan-view.ts';
import { plannedWithoutState, unrecordedWarning } from './plan-unrecorded.ts';

export interface PlanArgs extends SourceFlags {
  readonly ids: readonly string[];
  readonly detailedExitcode?: boolean;
  readonly force?: boolean;
}

export async function run(ctx: CommandContext, args: PlanArgs): Promise<number> {
  // A plan of everything against the cache can take the no-op fast path.
  const fastEligible = args.ids.length === 0 && !args.force && args.state === undefined;
  let signature: string | undefined;
  let cache: Cache | undefined;
  try {
    if (fastEligible) {
      await initHash();
      const bf = await loadBuildFile(ctx.cwd, cacheDirOf(ctx));
      if (bf.ok) {
        const paths = resolvePaths(ctx, bf.value);
        signature = inputSignature(paths, {
          configDir: paths.configDir,
          featuresDir: paths.featuresDir,
          backend: chooseBackendKind(ctx, bf.value),
          strict: ctx.globals.strict,
          // A rotated token changes no file: its keyed digest is part of the signature.
          secrets: secretsSignature(paths.cacheDir, paths.configDir, ctx.env),
          // VM images are inputs too (targets/vm-image.ts).
          images: imagesSignature({
            root: paths.root,
            imagesDir: join(paths.configDir, 'images'),
            sources: bf.value.images ?? {},
          }),
        });
        cache = await openCache(paths.cacheDir);
        const answered = await fastPlan(ctx, args, cache, signature, bf.value);
        if (answered !== undefined) return answered;
      }
    }
    return await fullPlan(ctx, args, cache, signature);
  } finally {
    await cache?.close();
  }
}

async function fastPlan(
  ctx: CommandContext,
  args: PlanArgs,
  cache: Cache,
  signature: string,
  buildFile: Parameters<typeof createBackend>[1],
): Promise<number | undefined> {
  if (cache.getPlanSummary(allTargetsKey)?.signature !== signature) return undefined;
  let backend;
  if (!args.offline) {
    const chosen = await createBackend(ctx, buildFile);
    if (!chosen.ok) return undefined;
    backend = chosen.value;
  }
  try {
    const fast = await noopPlan(
      cache,
      signature,
      backend ? { type: 'live', backend } : { type: 'offline' },
      ctx.signal,
    );
    if (!fast) return undefined;
    if (!ctx.globals.quiet) {
      ctx.io.err(fast.warnings);
      if (backend) ctx.io.err(`${backend.describe()}\n`);
    }
    if (ctx.globals.verbose)
      ctx.io.err('plan: inputs unchanged since the last full plan; answered from its record\n');
    print(ctx, fast.view);
    return ExitCode.ok;
  } finally {
    await backend?.close();
  }
}

async function fullPlan(
  ctx: CommandContext,
  args: PlanArgs,
  cache: Cache | undefined,
  signature: string | undefined,
): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const selection = select(prepared.value, args.ids);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  const source = await chooseSource(ctx, prepared.value, args);
  if (!source.ok) return source.exitCode;
  try {
    const {
      plan,
      cache: opened,
      live,
      drift,
    } = await planProject(prepared.value, selection.value, source.source, {
      force: args.force ?? false,
      signal: ctx.signal,
      ...(cache ? { cache } : {}),
    });
    const unrecorded =
      source.source.type === 'live' &&
      plannedWithoutState(source.source.backend.kind, live, opened ?? cache);
    if (opened !== cache) await opened?.close();
    const view = viewOf(plan);
    if (cache && signature !== undefined) {
      // Remember this plan's targets under the signature taken before reading
      // the inputs: a file edited meanwhile changes the signature, never this record.
      await cache.putPlanSummary(allTargetsKey, {
        signature,
        rows: plan.targets.map((p) => ({
          id: p.target.id,
          entry: p.target.entry,
          kind: p.target.kind,
          hash: p.fingerprint,
        })),
        warnings: prepared.value.warnings,
        liveSettings: Object.fromEntries(
          [...live]
            .filter(([entry, state]) => state.exists && (drift.get(entry)?.length ?? 0) === 0)
            .map(([entry, state]) => [entry, liveSettingsDigest(state.settings)]),
        ),
      });
    }
    print(ctx, view);
    if (unrecorded) {
      // Even under --quiet: it explains the exit code below.
      ctx.io.err(unrecordedWarning);
      // "50 to build" against nothing is no answer a CI job may act on.
      if (args.detailedExitcode) return ExitCode.error;
    }
    return args.detailedExitcode && hasChanges(view) ? ExitCode.changes : ExitCode.ok;
  } finally {
    await source.backend?.close();
  }
}

function print(ctx: CommandContext, view: PlanView): void {
  if (ctx.globals.json) ctx.io.out(JSON.stringify(planJson(view), null, 2) + '\n');
  else ctx.io.out(planText(view, ctx.globals.verbose));
}
