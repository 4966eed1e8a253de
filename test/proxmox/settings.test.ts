import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { desiredSettings } from '../../src/backends/proxmox/settings.ts';
import { normalizeRawLine } from '../../src/backends/proxmox/raw-lines.ts';
import { fixtureGuest } from './fixture-guests.ts';

function settingsOf(id: number, change?: (e: Record<string, unknown>) => void) {
  const r = desiredSettings(fixtureGuest(id, change));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const bind = (d: string) => `lxc.mount.entry: /dev/${d} dev/${d} none bind,optional,create=file`;

test('900: net0 with MAC and firewall, nameserver, startup, onboot', () => {
  const s = settingsOf(900);
  assert.equal(s.options, {
    hostname: 'Copy-Base',
    memory: '2048',
    cores: '2',
    onboot: '0',
    startup: 'order=0,up=0,down=0',
    net0: 'name=eth0,bridge=vmbr0,ip=10.0.0.200/24,gw=10.0.0.1,hwaddr=52:54:00:AA:BB:CC,firewall=1',
    nameserver: '8.8.8.8',
  });
  assert.equal(s.rawLines, ['lxc.apparmor.profile: unconfined']);
  assert.is(s.rootfsSizeGb, 16);
});

test('901: "0, 1" gives the control devices once and /dev/nvidia0 and /dev/nvidia1', () => {
  const s = settingsOf(901);
  assert.equal(s.rawLines, [
    'lxc.apparmor.profile: unconfined',
    'lxc.cgroup2.devices.allow: c 195:* rwm',
    'lxc.cgroup2.devices.allow: c 243:* rwm',
    bind('nvidiactl'),
    bind('nvidia-uvm'),
    bind('nvidia-uvm-tools'),
    bind('nvidia0'),
    bind('nvidia1'),
  ]);
  assert.not.ok((s.options.net0 ?? '').includes('firewall'));
});

test('101: id_maps become full lxc.idmap lines, pct_options features, swap, mounts', () => {
  const s = settingsOf(101);
  assert.is(s.options.features, 'nesting=1');
  assert.is(s.options.swap, '512');
  assert.is(s.options.nameserver, '10.0.0.13');
  assert.is(s.options.startup, 'order=2,up=5,down=5');
  assert.is(s.options.onboot, '1');
  assert.is(s.options.mp0, '/mnt/pve/quickOS/lxc-persistent-data/101/logs,mp=/var/log/nginx');
  assert.is(s.options.mp2, '/mnt/pve/quickOS/lxc-persistent-data/103/ssl,mp=/etc/step-ca/ssl');
  assert.equal(s.rawLines, [
    'lxc.mount.auto: sys:rw',
    'lxc.idmap: u 0 100000 65536',
    'lxc.idmap: g 0 100000 33',
    'lxc.idmap: g 33 33 1',
    'lxc.idmap: g 34 100034 65502',
  ]);
});

test('801: zfs_volumes become a volume mount point after the bind mounts', () => {
  const s = settingsOf(801);
  assert.is(s.options.mp0, 'fastData-shared-bulk-data:50,mp=/vllm_models');
  assert.equal(s.mounts, [
    { kind: 'volume', pool: 'fastData-shared-bulk-data', sizeGb: 50, ctPath: '/vllm_models' },
  ]);
  assert.is(s.options.features, undefined, 'empty pct_options declares no features');
  const both = settingsOf(
    801,
    (e) => (e.mount_points = [{ host_path: '/srv/a', container_path: '/a' }]),
  );
  assert.is(both.options.mp0, '/srv/a,mp=/a');
  assert.is(both.options.mp1, 'fastData-shared-bulk-data:50,mp=/vllm_models');
});

test('a non-unconfined AppArmor profile is named, with nesting lines once', () => {
  const s = settingsOf(900, (e) => {
    e.apparmor_profile = 'lxc-phoenix-v2';
    e.lxc_options = ['lxc.apparmor.allow_nesting=1'];
  });
  assert.equal(s.rawLines, [
    'lxc.apparmor.profile: lxc-phoenix-v2',
    'lxc.apparmor.allow_nesting: 1',
    'lxc.include: /usr/share/lxc/config/nesting.conf',
  ]);
});

test('raw lines: both separators normalise to the form PVE writes', () => {
  assert.is(
    normalizeRawLine('lxc.apparmor.profile=unconfined'),
    'lxc.apparmor.profile: unconfined',
  );
  assert.is(normalizeRawLine('lxc.mount.auto:sys:rw'), 'lxc.mount.auto: sys:rw');
  assert.is(
    normalizeRawLine('lxc.cap.keep = sys_admin,net_admin'),
    'lxc.cap.keep: sys_admin,net_admin',
  );
  assert.is(normalizeRawLine('not.lxc: 1'), undefined);
  assert.is(normalizeRawLine('lxc.a: 1\nlxc.b: 2'), undefined);
});

test('bad values are one rejection naming each problem', () => {
  const r = desiredSettings(
    fixtureGuest(900, (e) => {
      e.name = 'bad_name!';
      e.mac_address = '53:54:00:AA:BB:CC';
      e.network_config = { name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.300/24', gw: '10.0.0.1' };
      e.storage_pool = 'ok';
      e.zfs_volumes = [{ pool: 'bad pool', size_gb: 5, mount_point: '/x' }];
      e.mount_points = [{ host_path: '/a,ro=1', container_path: '/a' }];
      e.lxc_options = ['apparmor=unconfined'];
    }),
  );
  assert.not.ok(r.ok);
  if (!r.ok) {
    for (const what of [
      'name "bad_name!"',
      'mac_address',
      'network_config.ip',
      'zfs_volumes[0].pool',
      'mount_points[0].host_path',
      'lxc_options',
    ]) {
      assert.ok(r.error.includes(what), `mentions ${what}: ${r.error}`);
    }
  }
});

test('id_maps on a privileged container, or overlapping, are rejected', () => {
  const priv = desiredSettings(fixtureGuest(101, (e) => (e.unprivileged = false)));
  assert.not.ok(priv.ok);
  const overlap = desiredSettings(
    fixtureGuest(101, (e) => {
      e.id_maps = [
        { type: 'uid', host_id: 1000, container_id: 10, size: 5 },
        { type: 'uid', host_id: 2000, container_id: 12, size: 1 },
      ];
    }),
  );
  assert.not.ok(overlap.ok);
});

test.run();
