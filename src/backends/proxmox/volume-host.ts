// The proxmox backend's VolumeHost: `pct move-volume --target-vmid`, holder
// containers and `pct rescan`, through the backend's own recorded command
// runner (so the lines appear in `build --json` and the sim interprets them).
import type { GuestId } from '../../core/ids.ts';
import type { Result } from '../../core/result.ts';
import type { GuestVolumes, HolderSpec, OpContext, VolumeHost } from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import type { RunResult } from '../runner.ts';
import { destroyArgv, statusArgv } from './guest-args.ts';
import { isMissingGuest, isRunningStatus } from './inspect.ts';
import { holderCreateArgv, moveVolumeArgv, parseVolumes, rescanArgv } from './volume-args.ts';

export interface VolumeHostDeps {
  /** Run one recorded command; non-zero exit throws unless `tolerate` accepts it. */
  run(argv: string[], ctx: OpContext, tolerate?: (r: RunResult) => boolean): Promise<RunResult>;
  /** The text of /etc/pve/lxc/<id>.conf, undefined when there is none. */
  readConf(id: GuestId, ctx: OpContext): Promise<string | undefined>;
}

function unwrap<T>(r: Result<T, string>): T {
  if (!r.ok) throw new OpError({ type: 'rejected', reason: r.error });
  return r.value;
}

export class ProxmoxVolumeHost implements VolumeHost {
  constructor(private readonly deps: VolumeHostDeps) {}

  async read(id: GuestId, ctx: OpContext): Promise<GuestVolumes | undefined> {
    const status = await this.deps.run(statusArgv(id), ctx, (r) =>
      isMissingGuest(r.stderr + r.stdout),
    );
    if (status.exitCode !== 0) return undefined;
    const text = await this.deps.readConf(id, ctx);
    if (text === undefined) return undefined;
    return parseVolumes(id, text, isRunningStatus(status.stdout));
  }

  async rescan(id: GuestId, ctx: OpContext): Promise<void> {
    await this.deps.run(rescanArgv(id), ctx);
  }

  async createHolder(spec: HolderSpec, ctx: OpContext): Promise<void> {
    await this.deps.run(unwrap(holderCreateArgv(spec)), ctx);
  }

  async move(
    from: GuestId,
    key: string,
    to: GuestId,
    targetKey: string,
    ctx: OpContext,
  ): Promise<void> {
    await this.deps.run(unwrap(moveVolumeArgv(from, key, to, targetKey)), ctx);
  }

  async destroyHolder(id: GuestId, ctx: OpContext): Promise<void> {
    await this.deps.run(destroyArgv(id), ctx);
  }
}
