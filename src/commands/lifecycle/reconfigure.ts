// `phx reconfigure ID`: rebuild every layer of one guest from its base (create
// or clone) up, as `phx build ID --force` would, but without forcing its
// clone source: the template is rebuilt only if it is itself out of date.
import { prepare } from '../prepare.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { run as build } from '../build.ts';
import { guestsByIds } from './common.ts';

export interface ReconfigureArgs {
  readonly id: string;
}

export async function run(ctx: CommandContext, args: ReconfigureArgs): Promise<number> {
  // A silent look first, to refuse VMs and unknown ids before building; when
  // the configs are invalid, build() prepares again and prints the diagnostics once.
  const silent = { ...ctx, io: { out: () => undefined, err: () => undefined } };
  const prepared = await prepare(silent);
  if (!prepared.ok) return build(ctx, { ids: [args.id], onlyGuest: args.id, replace: [args.id] });
  const found = guestsByIds(prepared.value.project, [args.id]);
  if (!found.ok) {
    ctx.io.err(`phx: ${found.error}\n`);
    return ExitCode.usage;
  }
  const guest = found.value[0]!;
  // Asking to reconfigure one guest is consent to re-making that guest.
  return build(ctx, {
    ids: [String(guest.id)],
    onlyGuest: String(guest.id),
    replace: [String(guest.id)],
  });
}
