// `phoenix_vm_configs.json` (phoenix-real.md §1.3): `vm_defaults` and the
// `vms` array, with the keys the real file uses beyond Phoenix's schema.
import { z } from 'zod';
import {
  dependencies,
  featureItem,
  firewall,
  gpuList,
  guestIdLike,
  healthCheck,
  intLike,
  stackItem,
  testSuites,
  traefikService,
} from './common.ts';

export const vmNetworkConfig = z.strictObject({
  ip: z.string().optional(),
  gw: z.string().optional(),
  nameserver: z.string().optional(),
  bridge: z.string().optional(),
  searchdomain: z.string().optional(),
});

export const nfsVolume = z.strictObject({
  type: z.string().min(1),
  name: z.string().min(1),
  path: z.string().min(1),
  mount_point: z.string().min(1),
  server: z.string().min(1),
});

export const vmEntry = z.strictObject({
  vmid: guestIdLike,
  name: z.string().min(1),
  // create
  is_template: z.boolean().optional(),
  template_image: z.string().min(1).optional(),
  storage_pool: z.string().min(1).optional(),
  disk_size_gb: intLike(1).optional(),
  network_bridge: z.string().optional(),
  user_config: z.looseObject({ username: z.string().optional() }).optional(),
  // clone
  clone_from_vmid: guestIdLike.optional(),
  // settings
  cores: intLike(1).optional(),
  memory_mb: intLike(16).optional(),
  start_at_boot: z.boolean().optional(),
  boot_order: intLike().optional(),
  boot_delay: intLike().optional(),
  network_config: vmNetworkConfig.optional(),
  mac_address: z.string().optional(),
  qm_options: z.array(z.string()).optional(),
  gpu_assignment: gpuList.optional(),
  volumes: z.array(nfsVolume).optional(),
  // layers
  features: z.array(featureItem).optional(),
  application_script: z.string().min(1).optional(),
  docker_stacks: z.array(stackItem).optional(),
  // check
  health_check: healthCheck.optional(),
  tests: testSuites.optional(),
  // snapshot
  template_snapshot_name: z.string().optional(),
  enable_lifecycle_snapshots: z.boolean().optional(),
  snapshots: z
    .strictObject({ 'pre-features': z.string().optional(), 'post-features': z.string().optional() })
    .optional(),
  // firewall
  firewall: firewall.optional(),
  // no guest target
  dependencies: dependencies.optional(),
  portainer_role: z.enum(['primary', 'agent', 'none']).optional(),
  portainer_environment_name: z.string().optional(),
  portainer_agent_hostname: z.string().optional(),
  traefik_service: traefikService.optional(),
  trigger_sync_on_completion: z.boolean().optional(),
  dns_records: z.array(z.strictObject({ hostname: z.string(), ip: z.string() })).optional(),
  count: intLike(1).optional(),
});

export type VmEntry = z.output<typeof vmEntry>;

export const vmDefaults = z.strictObject({
  template: z.string().optional(),
  cores: intLike(1).optional(),
  memory_mb: intLike(16).optional(),
  disk_size_gb: intLike(1).optional(),
  storage_pool: z.string().optional(),
  network_bridge: z.string().optional(),
});

export const vmFile = z.strictObject({
  $schema: z.string().optional(),
  vm_defaults: vmDefaults.default({}),
  vms: z.array(vmEntry).default([]),
});

export type VmFile = z.output<typeof vmFile>;
