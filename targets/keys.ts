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

// The hypervisor config's keys that are host targets (issue 10). Keys not
// listed (users, nfs, samba, firewall, nvidia_driver, dns_server, step_ca,
// zfs.arc_max_gb, network…) feed no target yet.

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
