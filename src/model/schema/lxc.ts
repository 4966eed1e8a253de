// `phoenix_lxc_configs.json`: every key the real Phoenix project writes
// (phoenix-real.md §1.2), including those its own schema forgot
// (traefik_service, id_maps, bootstrap_ca_url, owner_uid/gid).
import { z } from 'zod';
import {
  dependencies,
  featureItem,
  firewall,
  gpuList,
  guestIdLike,
  healthCheck,
  intLike,
  testSuites,
  traefikService,
} from './common.ts';

export const lxcNetworkConfig = z.strictObject({
  name: z.string().min(1).optional(),
  bridge: z.string().min(1).optional(),
  ip: z.string().optional(),
  gw: z.string().optional(),
  ip6: z.string().optional(),
  gw6: z.string().optional(),
  nameservers: z.string().optional(),
  searchdomain: z.string().optional(),
  firewall: z.boolean().optional(),
  tag: intLike().optional(),
  mtu: intLike().optional(),
});

export const mountPoint = z.strictObject({
  host_path: z.string().min(1),
  container_path: z.string().min(1),
  owner_uid: intLike().optional(),
  owner_gid: intLike().optional(),
  read_only: z.boolean().optional(),
});

export const zfsVolume = z.strictObject({
  name: z.string().min(1),
  pool: z.string().min(1),
  size_gb: intLike(1),
  mount_point: z.string().min(1),
});

export const idMap = z.strictObject({
  type: z.enum(['uid', 'gid']),
  host_id: intLike(),
  container_id: intLike(),
  size: intLike(1),
});

export const lxcEntry = z.strictObject({
  name: z.string().min(1),
  // create
  template: z.string().min(1).optional(),
  storage_pool: z.string().min(1).optional(),
  storage_size_gb: intLike(1).optional(),
  unprivileged: z.boolean().optional(),
  // clone
  clone_from_ctid: guestIdLike.optional(),
  // settings
  memory_mb: intLike(16).optional(),
  cores: intLike(1).optional(),
  swap_mb: intLike().optional(),
  start_at_boot: z.boolean().optional(),
  boot_order: intLike().optional(),
  boot_delay: intLike().optional(),
  network_config: lxcNetworkConfig.optional(),
  mac_address: z.string().optional(),
  mount_points: z.array(mountPoint).optional(),
  zfs_volumes: z.array(zfsVolume).optional(),
  apparmor_profile: z.string().min(1).optional(),
  apparmor_manages_nesting: z.boolean().optional(),
  lxc_options: z.array(z.string()).optional(),
  pct_options: z.array(z.string()).optional(),
  id_maps: z.array(idMap).optional(),
  gpu_assignment: gpuList.optional(),
  // layers
  features: z.array(featureItem).optional(),
  application_script: z.string().min(1).optional(),
  vllm_engine_config: z.record(z.string(), z.unknown()).optional(),
  bootstrap_ca_url: z.string().optional(),
  // check
  health_check: healthCheck.optional(),
  health_checks: z
    .array(
      z.strictObject({
        name: z.string(),
        script: z.string(),
        args: z.union([z.string(), z.array(z.string())]).optional(),
      }),
    )
    .optional(),
  tests: testSuites.optional(),
  // snapshot
  template_snapshot_name: z.string().optional(),
  enable_lifecycle_snapshots: z.boolean().optional(),
  // firewall
  firewall: firewall.optional(),
  // no guest target: start order and host-wide targets
  dependencies: dependencies.optional(),
  portainer_role: z.enum(['server', 'agent', 'none', 'infrastructure']).optional(),
  ports: z.array(z.string()).optional(),
  traefik_service: traefikService.optional(),
  trigger_sync_on_completion: z.boolean().optional(),
  // In Phoenix's schema, read by nothing at HEAD; accepted so old files stay valid.
  volumes: z.array(z.record(z.string(), z.unknown())).optional(),
  dns_records: z.array(z.strictObject({ hostname: z.string(), ip: z.string() })).optional(),
});

export type LxcEntry = z.output<typeof lxcEntry>;

/**
 * The file. Root keys other than `lxc_configs` and `$schema` are fallbacks
 * every entry sees (Phoenix's `jq_get_value` looks there second), so any
 * root key is legal; the known ones are typed.
 */
export const lxcFile = z.looseObject({
  $schema: z.string().optional(),
  nvidia_driver_version: z.string().optional(),
  nvidia_repo_url: z.string().optional(),
  nvidia_runfile_url: z.string().optional(),
  lxc_configs: z.record(z.string(), lxcEntry).default({}),
});

export type LxcFile = z.output<typeof lxcFile>;
