// What every lifecycle verb shares: validate first (prepare), then one
// backend for the whole command, closed however the verb ends; ids resolved
// against the configs; operation contexts for calls made outside a build.
import { type Backend, type OpContext } from '../../backends/backend.ts';
import { describeFailure, OpError } from '../../core/failure.ts';
import { createBackend } from '../backend-choice.ts';
import { type Prepared } from '../../engine/pipeline.ts';
import { prepare } from '../prepare.ts';
import type { TargetId, TargetKind } from '../../core/target-id.ts';
import type { Guest, Project } from '../../model/model.ts';
import type { GuestId } from '../../core/ids.ts';
import { ExitCode, type CommandContext } from '../context.ts';

export type Found<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate (unless the caller already did), open the backend, run `body`, close the backend; user errors become exit codes. */
export async function withBackend(
  ctx: CommandContext,
  body: (prepared: Prepared, backend: Backend) => Promise<number>,
  already?: Prepared,
): Promise<number> {
  const prepared =
    already === undefined ? await prepare(ctx) : { ok: true as const, value: already };
  if (!prepared.ok) return prepared.exitCode;
  const backend = await createBackend(ctx, prepared.value.buildFile);
  if (!backend.ok) {
    ctx.io.err(`phx: ${backend.error}\n`);
    return ExitCode.error;
  }
  if (!ctx.globals.quiet && !ctx.globals.json) ctx.io.err(`${backend.value.describe()}\n`);
  try {
    return await body(prepared.value, backend.value);
  } catch (e) {
    // An OpError is the host saying no (a user-facing failure); anything else is a bug and cli.ts reports it.
    if (!(e instanceof OpError)) throw e;
    if (e.failure.type === 'cancelled') return ExitCode.interrupted;
    ctx.io.err(`phx: ${describeFailure(e.failure)}\n`);
    return ExitCode.error;
  } finally {
    await backend.value.close();
  }
}

/** CTIDs/VMIDs as typed → guests, or the first id the configs do not define. */
export function guestsByIds(project: Project, ids: readonly string[]): Found<Guest[]> {
  const out: Guest[] = [];
  for (const raw of ids) {
    const guest = /^\d+$/.test(raw) ? project.guests.get(Number(raw) as GuestId) : undefined;
    if (guest === undefined)
      return { ok: false, error: `${raw} is not a CTID or VMID in the configs` };
    if (!out.includes(guest)) out.push(guest);
  }
  return { ok: true, value: out };
}

/** An OpContext for one lifecycle operation; its output goes to stderr under --verbose. */
export function lifecycleOp(
  ctx: CommandContext,
  guest: Guest,
  kind: TargetKind = 'settings',
): OpContext {
  return {
    target: `${guest.kind}/${guest.id}/${kind}` as TargetId,
    targetKind: kind,
    log: (line) => {
      if (ctx.globals.verbose) ctx.io.err(`  ${guest.id}: ${line}\n`);
    },
    commands: [],
    signal: ctx.signal,
  };
}

export function failureText(e: unknown): string {
  return e instanceof OpError
    ? describeFailure(e.failure)
    : e instanceof Error
      ? e.message
      : String(e);
}

/** One line for the VMs a verb skips: this version manages containers only. */
export function vmNote(vms: readonly Guest[]): string | undefined {
  if (vms.length === 0) return undefined;
  const ids = vms.map((g) => g.id).join(', ');
  return `phx: VM${vms.length > 1 ? 's' : ''} ${ids}: not managed by this version; skipped`;
}
