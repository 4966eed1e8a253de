// `phoenix_hypervisor_config.json`: permissive on purpose. A third of it is
// dead data (phoenix-real.md §1.1), so only what host targets will read is
// typed; nested objects keep unknown keys, and only unknown top-level keys
// are reported.
import { z } from 'zod';
import { firewallRule, intLike } from './common.ts';
import { nameserverList, zfsProperties } from './host-forms.ts';
import { hostNfs, hostSamba, hostSharedVolumes, hostUser } from './host-services.ts';

const loose = z.looseObject({});

export const hostNetwork = z.looseObject({
  external_registry_url: z.string().optional(),
  portainer_server_ip: z.string().optional(),
  portainer_server_port: intLike().optional(),
  portainer_agent_port: intLike().optional(),
  interfaces: z
    .looseObject({
      name: z.string().optional(),
      address: z.string().optional(),
      gateway: z.string().optional(),
      dns_nameservers: nameserverList.optional(),
    })
    .optional(),
  default_subnet: z.string().optional(),
  nfs_server: z.string().optional(),
  fallback_dns: z.string().optional(),
});

export const hostZfs = z.looseObject({
  arc_max_gb: intLike().optional(),
  pools: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        raid_level: z.string().optional(),
        disks: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  datasets: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        pool: z.string().min(1),
        properties: zfsProperties.optional(),
        proxmox_storage_type: z.string().optional(),
        proxmox_content_type: z.string().optional(),
        storage_class: z.string().optional(),
      }),
    )
    .default([]),
});

export const hostFirewall = z.looseObject({
  enabled: z.boolean().optional(),
  default_input_policy: z.string().optional(),
  default_output_policy: z.string().optional(),
  global_firewall_rules: z.array(firewallRule).optional(),
});

export const hypervisorFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().optional(),
  author: z.string().optional(),
  domain_name: z.string().optional(),
  users: hostUser.optional(),
  core_paths: loose.optional(),
  timezone: z.string().optional(),
  network: hostNetwork.optional(),
  docker: loose.optional(),
  nfs: hostNfs.optional(),
  samba: hostSamba.optional(),
  zfs: hostZfs.optional(),
  proxmox_storage_ids: z.record(z.string(), z.string()).optional(),
  mount_point_base: z.string().optional(),
  proxmox_defaults: loose.optional(),
  tests: loose.optional(),
  nvidia_driver: loose.optional(),
  behavior: loose.optional(),
  // Also holds the host firewall at `shared_volumes.firewall` (Phoenix HEAD).
  shared_volumes: hostSharedVolumes.optional(),
  // Where Phoenix's later branch moves the host firewall.
  firewall: hostFirewall.optional(),
  portainer_api: z
    .looseObject({
      admin_user: z.string().optional(),
      admin_password: z.string().optional(),
      portainer_hostname: z.string().optional(),
    })
    .optional(),
  vm_defaults: z.looseObject({ ubuntu_release: z.string().optional() }).optional(),
  dns_server: loose.optional(),
  step_ca: loose.optional(),
});

export type HypervisorFile = z.output<typeof hypervisorFile>;
