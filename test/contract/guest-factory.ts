// Backend-neutral Guest objects for the contract suite: every backend gets
// the same entries, only the template path and bridge come from its harness.
import type { Guest } from '../../src/model/model.ts';
import type { GuestId } from '../../src/core/ids.ts';

export interface GuestOptions {
  readonly name?: string;
  /** Rootfs tarball path (lxc) or ostemplate volume (proxmox/sim). */
  readonly template?: string;
  readonly cloneFrom?: number;
  readonly memoryMb?: number;
  readonly cores?: number;
  readonly network?: {
    readonly bridge: string;
    readonly ip: string;
    readonly gw?: string;
    readonly mac?: string;
  };
  /** Extra raw entry keys (lxc_options, pct_options, zfs_volumes, …). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly firewall?: Guest['firewall'];
}

export function makeGuest(id: number, opts: GuestOptions = {}): Guest {
  const name = opts.name ?? `phx-contract-${id}`;
  const network =
    opts.network === undefined
      ? {}
      : {
          network_config: {
            name: 'eth0',
            bridge: opts.network.bridge,
            ip: opts.network.ip,
            ...(opts.network.gw === undefined ? {} : { gw: opts.network.gw }),
          },
          ...(opts.network.mac === undefined ? {} : { mac_address: opts.network.mac }),
        };
  const config: Record<string, unknown> = {
    name,
    ...(opts.template === undefined ? {} : { template: opts.template }),
    ...(opts.cloneFrom === undefined ? {} : { clone_from_ctid: opts.cloneFrom }),
    ...(opts.memoryMb === undefined ? {} : { memory_mb: opts.memoryMb }),
    ...(opts.cores === undefined ? {} : { cores: opts.cores }),
    ...network,
    ...opts.config,
  };
  return {
    kind: 'lxc',
    id: id as GuestId,
    name,
    ...(opts.cloneFrom === undefined ? {} : { cloneFrom: opts.cloneFrom as GuestId }),
    ...(opts.template === undefined ? {} : { template: opts.template }),
    isTemplate: false,
    enableLifecycleSnapshots: false,
    unprivileged: false,
    ...(opts.memoryMb === undefined ? {} : { memoryMb: opts.memoryMb }),
    ...(opts.cores === undefined ? {} : { cores: opts.cores }),
    startAtBoot: false,
    gpus: [],
    features: [],
    dependencies: [],
    ...(opts.firewall === undefined ? {} : { firewall: opts.firewall }),
    dockerStacks: [],
    config,
    source: { file: 'test', pointer: `/lxc_configs/${id}` },
  };
}
