// A container's veth is plugged into a host bridge at start; a missing bridge
// would only surface then, as an opaque lxc-start failure. applySettings asks
// `ip` first and says exactly what is wrong.
import { type OpContext } from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import { runCommand } from './run.ts';

export async function checkBridge(bridge: string, ctx: OpContext): Promise<void> {
  const r = await runCommand(['ip', '-d', '-j', 'link', 'show', 'dev', bridge], ctx, {
    quiet: true,
    allowExit: [1, 255],
  });
  if (r.exitCode !== 0) {
    throw new OpError({
      type: 'rejected',
      reason: `bridge ${bridge} does not exist on this host (ip link show ${bridge})`,
    });
  }
  let kind: unknown;
  try {
    const parsed = JSON.parse(r.stdout) as { linkinfo?: { info_kind?: unknown } }[];
    kind = parsed[0]?.linkinfo?.info_kind;
  } catch {
    kind = undefined;
  }
  if (kind !== 'bridge') {
    throw new OpError({
      type: 'rejected',
      reason: `${bridge} exists but is not a bridge (it is ${typeof kind === 'string' ? kind : 'a plain interface'})`,
    });
  }
}
