// Steps several rules share: discarding an old guest, making sure it runs,
// running a folder's script inside it per the run contract of DESIGN §1.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OpError } from '../src/core/failure.ts';
import type { RuleContext } from './rule.ts';
import { pushStepContext, removeStepContext, stepContext } from './step-context.ts';
import { copyContained } from './stage.ts';
import { waitForAgent } from './vm-ops.ts';

export async function discardGuest(ctx: RuleContext): Promise<void> {
  if (!ctx.guest.exists) return;
  ctx.op.log(`destroying the previous build of ${ctx.target.entry}`);
  await ctx.backend.destroy(ctx.target.guest, ctx.op);
  Object.assign(ctx.guest, { exists: false, running: false, snapshots: [] });
}

export async function ensureRunning(ctx: RuleContext): Promise<void> {
  if (ctx.guest.running) return;
  await ctx.backend.start(ctx.target.guest, ctx.op);
  ctx.guest.running = true;
  // Everything run in a VM goes through its guest agent, which answers some time after boot.
  if (ctx.target.guest.kind === 'vm') await waitForAgent(ctx);
}

/** Folder name of a target inside the guest: `/` is not allowed in one path segment. */
export function runDirName(targetId: string): string {
  return targetId.replace(/\//g, '_');
}

/**
 * Push `localDir` (a scratch folder of this target: the consumed artifacts
 * are staged into it) to /var/lib/phx/run/<target>/ and run `script` there
 * as root with PHX_ID, PHX_ENTRY, PHX_PARAMS, PHX_GPUS and PHX_ARTIFACTS.
 */
export async function runScriptInGuest(
  ctx: RuleContext,
  localDir: string,
  script: string,
  params: Readonly<Record<string, unknown>>,
): Promise<void> {
  const guest = ctx.target.guest;
  const name = runDirName(ctx.target.id);
  const remoteDir = `/var/lib/phx/run/${name}`;
  const ctxDir = `/var/lib/phx/ctx/${name}`;
  // Consumed artifacts travel inside the pushed folder: one push, and an
  // empty folder for a target that consumes nothing.
  const artifactsDir = `${remoteDir}/.phx-artifacts`;
  // Secrets resolve (or the step fails) before anything touches the guest.
  const context = stepContext(ctx, params);
  await stageArtifacts(ctx, join(localDir, '.phx-artifacts'));
  await ensureRunning(ctx);
  await ctx.backend.push(guest, localDir, remoteDir, ctx.op);
  try {
    // Inside the try: a push that fails after entry.json arrived still removes it.
    await pushStepContext(ctx, ctxDir, context);
    await ctx.backend.exec(
      guest,
      {
        cwd: remoteDir,
        argv: [`./${script}`],
        env: {
          PHX_ID: String(guest.id),
          PHX_ENTRY: `${ctxDir}/entry.json`,
          PHX_PARAMS: `${ctxDir}/params.json`,
          PHX_GPUS: guest.gpus.join(','),
          PHX_ARTIFACTS: artifactsDir,
        },
      },
      ctx.op,
    );
  } catch (e) {
    // Failed or cancelled: the secrets leave the guest all the same; the step's error stands.
    await removeStepContext(ctx, ctxDir);
    throw e;
  }
  // The layer snapshot follows: a guest still holding the secrets must not get one.
  if (!(await removeStepContext(ctx, ctxDir)))
    throw new OpError({
      type: 'rejected',
      reason: `could not remove ${ctxDir} (resolved secrets) from ${ctx.target.entry}; no snapshot taken`,
    });
}

/** Each consumed producer's files under its id (`lxc_103_app/`), in the staged folder. */
async function stageArtifacts(ctx: RuleContext, into: string): Promise<void> {
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  for (const [producer, dir] of ctx.artifacts) {
    // Files a guest published: a link in them must not pull a host file into another guest.
    await copyContained(dir, join(into, runDirName(producer)), dir);
  }
}
