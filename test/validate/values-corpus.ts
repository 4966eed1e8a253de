// The bad-value corpus of issue 9 item 4: one entry per field whose value
// used to pass `validate` and fail mid-build, after `create` ran. Each entry
// is otherwise valid, so every diagnostic belongs to the field it is named for.
import { ct, LXC, lxcFile, VM, vm } from './rig.ts';
import type { WorkspaceSpec } from './rig.ts';

export const badValues: WorkspaceSpec = {
  configs: {
    [LXC]: lxcFile({
      '101': ct('storage', { storage_pool: 'local zfs' }),
      '102': ct('template', { template: 'ubuntu-24.04-standard.tar.zst' }),
      '103': ct('bridge', { network_config: { bridge: 'vmbr0,firewall=0' } }),
      '104': ct('nic', { network_config: { name: 'eth 0' } }),
      '105': ct('dns', { network_config: { nameservers: '8.8.8.8 dns.google' } }),
      '106': ct('rawlines', {
        lxc_options: [
          'lxc.mount.auto: sys:rw',
          'lxc.rootfs.path=/srv/ct',
          'lxc.aa_profile=unconfined',
          'lxc.no.such.key=1',
          'lxc.cgroup.devices.allow: c 195:* rwm',
          'lxc.mount.entry: /a a none bind\nlxc.idmap: u 0 0 65536',
          'apparmor=unconfined',
        ],
      }),
      '107': ct('apparmor', { apparmor_profile: 'my profile' }),
      '108': ct('features', {
        pct_options: ['nesting=1', 'nesting=1,keyctl=1', 'fuse', 'mount=nfs cifs', 'nesting=0'],
      }),
      '109': ct('mounts', {
        mount_points: [
          { host_path: '/srv/data,mp=/etc', container_path: '/data' },
          { host_path: '/srv/logs', container_path: 'var/log' },
          { host_path: '/srv/x', container_path: '/data' },
        ],
        zfs_volumes: [{ name: 'm', pool: 'tank pool', size_gb: 5, mount_point: '/models/../etc' }],
      }),
      '110': ct('firewall', {
        firewall: {
          rules: [
            { type: 'in', action: 'ALLOW', proto: 'tcp', port: '22' },
            { type: 'in', action: 'ACCEPT', source: '10.0.0.0/33', proto: 'tcp', dport: '70000' },
            { type: 'out', action: 'DROP', dest: '10.0.0.1;rm', proto: 'tcpx' },
            { type: 'in', action: 'ACCEPT', sport: '53' },
          ],
        },
      }),
      '111': ct('health', { health_check: { command: 'curl -sf localhost | grep ok' } }),
      '112': ct('tests', {
        tests: {
          smoke: [
            { name: 'up', type: 'script', path: '../../etc/passwd' },
            { name: 'abs', type: 'script', path: '/usr/bin/true' },
            { name: 'kind', type: 'python', path: 'smoke/x.py' },
          ],
        },
      }),
      '113': ct('snapshot', { template_snapshot_name: 'final form' }),
    }),
    [VM]: {
      vms: [
        vm(1001, 'vm', {
          storage_pool: 'x',
          network_bridge: 'vmbr0 ',
          network_config: { bridge: 'vmbr1,tag=5', nameserver: '10.0.0.300' },
        }),
      ],
    },
  },
};

/** Bad values the entries inherit: reported once, where they are written. */
export const badFallbacks: WorkspaceSpec = {
  configs: {
    [LXC]: lxcFile(
      { '101': ct('a'), '102': ct('b'), '103': ct('c', { storage_pool: 'ok-pool' }) },
      {
        storage_pool: 'bad pool',
      },
    ),
    [VM]: {
      vm_defaults: { storage_pool: 'quickOS-vm-disks', network_bridge: 'vmbr0,firewall=1' },
      vms: [vm(1001, 'v'), vm(1002, 'w')],
    },
  },
};
