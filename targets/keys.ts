// The key → target table of DESIGN §2 for containers. A key listed nowhere
// here (dependencies, ports, traefik_service, …) feeds no guest target, so
// editing it never rebuilds anything.
export const createKeys = ['template', 'storage_pool', 'storage_size_gb', 'unprivileged'] as const;

export const cloneKeys = ['clone_from_ctid', 'unprivileged', 'storage_pool'] as const;

export const settingsKeys = [
  'name',
  'memory_mb',
  'cores',
  'swap_mb',
  'start_at_boot',
  'boot_order',
  'boot_delay',
  'network_config',
  'mac_address',
  'mount_points',
  'zfs_volumes',
  'apparmor_profile',
  'apparmor_manages_nesting',
  'lxc_options',
  'pct_options',
  'id_maps',
  'gpu_assignment',
  'storage_size_gb',
] as const;

/** Settings also reads whether the firewall is on: it sets `firewall=1` on net0. */
export const settingsPointers = ['/firewall/enabled'] as const;

export const appKeys = ['application_script', 'vllm_engine_config'] as const;

export const checkKeys = ['health_check'] as const;

export const snapshotKeys = ['template_snapshot_name', 'enable_lifecycle_snapshots'] as const;

export const firewallKeys = ['firewall'] as const;

/** The keys the targets of one kind of guest read (check, snapshot and firewall read the same for both). */
export interface GuestKeys {
  readonly create: readonly string[];
  readonly clone: readonly string[];
  readonly settings: readonly string[];
  readonly settingsPointers: readonly string[];
  readonly app: readonly string[];
}

export const lxcKeys: GuestKeys = {
  create: createKeys,
  clone: cloneKeys,
  settings: settingsKeys,
  settingsPointers,
  app: appKeys,
};

// The same table for VMs (issue 11). A VM key listed nowhere here feeds no
// target: is_template (phx keeps 9000 a VM with a template snapshot, which
// clones read; it never runs `qm template`, so the template's layers can be
// rebuilt), volumes (read by the nfs_mounts feature through its `reads`), snapshots, tests,
// dependencies, docker_stacks, portainer_*, traefik_service,
// trigger_sync_on_completion, dns_records, count; vm_defaults.template is
// no VM's value. `template_image` is read by the `image` target, whose
// sha256 enters the create below it (targets/vm.ts).

/** What `qm create` and the disk import read; the image comes in through its own target. */
export const vmCreateKeys = ['template_image', 'storage_pool'] as const;

/** `qm clone --full --storage`: the source and where the copy goes. */
export const vmCloneKeys = ['clone_from_vmid', 'storage_pool'] as const;

/**
 * `qm set` reconciliation: hardware, boot, the cloud-init user and network
 * (`ipconfig0`, nameserver, bridge), the disk size (grown with `qm resize`).
 */
export const vmSettingsKeys = [
  'name',
  'cores',
  'memory_mb',
  'start_at_boot',
  'boot_order',
  'boot_delay',
  'network_config',
  'network_bridge',
  'mac_address',
  'user_config',
  'disk_size_gb',
  'qm_options',
  'gpu_assignment',
] as const;

export const vmKeys: GuestKeys = {
  create: vmCreateKeys,
  clone: vmCloneKeys,
  settings: vmSettingsKeys,
  settingsPointers,
  app: ['application_script'],
};

// The hypervisor config's keys that are host targets (issue 10): pools,
// datasets and storages here; nfs, samba, users, zfs.arc_max_gb and the
// host firewall in targets/host-services.ts (each target's slice is built
// there); the README's key table lists every key and its target.

/** A pool's whole object (`name`, `raid_level`, `disks`) is the pool's input. */
export const poolPointer = (index: number): string => `/zfs/pools/${index}`;

/** What `zfs create`/`zfs set` read of a dataset. */
export const datasetKeys = ['name', 'pool', 'properties'] as const;

/** What `pvesm add` reads of a dataset: its id (from name and pool), type and content. */
export const datasetStorageKeys = [
  'name',
  'pool',
  'proxmox_storage_type',
  'proxmox_content_type',
] as const;
