// The lxc backend's settings, without containers: which config lines an entry
// becomes on cgroup v1, v2 or neither host, and how the managed block
// replaces itself in a config LXC has rewritten.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { desiredLxcSettings } from '../../src/backends/lxc/settings.ts';
import {
  BLOCK_BEGIN,
  BLOCK_END,
  baseConfig,
  managedSettings,
  withManagedBlock,
} from '../../src/backends/lxc/config-file.ts';
import { makeGuest } from '../contract/guest-factory.ts';

const lines = (g: ReturnType<typeof makeGuest>, caps = {}) => {
  const r = desiredLxcSettings(g, caps);
  if (!r.ok) throw new Error(r.error);
  return {
    text: r.value.lines.map((l) => `${l.key} = ${l.value}`),
    notes: r.value.notes,
    bridges: r.value.bridges,
  };
};

test('memory and cores: cgroup2 keys on a v2 host, v1 keys on a legacy host, a note on neither', () => {
  const g = makeGuest(950, { memoryMb: 512, cores: 2 });
  assert.ok(
    lines(g, { memory: 'v2', cpu: 'v2' }).text.includes('lxc.cgroup2.memory.max = 536870912'),
  );
  assert.ok(
    lines(g, { memory: 'v2', cpu: 'v2' }).text.includes('lxc.cgroup2.cpu.max = 200000 100000'),
  );
  const v1 = lines(g, { memory: 'v1', cpu: 'v1' }).text;
  assert.ok(v1.includes('lxc.cgroup.memory.limit_in_bytes = 536870912'));
  assert.ok(v1.includes('lxc.cgroup.cpu.cfs_quota_us = 200000'));
  const none = lines(g, {});
  assert.not.ok(none.text.some((l) => l.includes('cgroup')));
  assert.ok(none.notes.some((n) => n.startsWith('memory_mb 512: not applied')));
  assert.ok(none.notes.some((n) => n.startsWith('cores 2: not applied')));
});

test('network: a veth on the declared bridge with address, broadcast and gateway', () => {
  const g = makeGuest(950, {
    network: {
      bridge: 'phxtest0',
      ip: '10.254.0.5/24',
      gw: '10.254.0.1',
      mac: '52:54:00:AA:BB:CC',
    },
  });
  const r = lines(g);
  assert.equal(r.bridges, ['phxtest0']);
  for (const l of [
    'lxc.net.0.type = veth',
    'lxc.net.0.link = phxtest0',
    'lxc.net.0.hwaddr = 52:54:00:aa:bb:cc',
    'lxc.net.0.ipv4.address = 10.254.0.5/24 10.254.0.255',
    'lxc.net.0.ipv4.gateway = 10.254.0.1',
  ])
    assert.ok(r.text.includes(l), l);
  assert.ok(
    lines(makeGuest(950)).text.includes('lxc.net.0.type = empty'),
    'no network declared: loopback only',
  );
});

test('network: IPv6 address and gateway and the MTU are LXC keys; a VLAN tag and search domain are notes', () => {
  const g = makeGuest(950, {
    network: { bridge: 'phxtest0', ip: '10.254.0.5/24' },
    config: {},
  });
  const net = (g.config.network_config ?? {}) as Record<string, unknown>;
  const withV6 = {
    ...g,
    config: {
      ...g.config,
      network_config: {
        ...net,
        ip6: 'fd00::5/64',
        gw6: 'fd00::1',
        mtu: 1450,
        tag: 20,
        searchdomain: 'lab.lan',
      },
    },
  };
  const r = lines(withV6);
  for (const l of [
    'lxc.net.0.ipv6.address = fd00::5/64',
    'lxc.net.0.ipv6.gateway = fd00::1',
    'lxc.net.0.mtu = 1450',
  ])
    assert.ok(r.text.includes(l), l);
  assert.ok(
    r.notes.some((n) => n.startsWith('network_config.tag: not applied')),
    r.notes.join('\n'),
  );
  assert.ok(r.notes.some((n) => n.startsWith('network_config.searchdomain: not applied')));
});

test("lxc_options in Proxmox's `lxc.x: y` and `lxc.x=y` forms; what LXC cannot express is a note", () => {
  const g = makeGuest(101, {
    config: {
      lxc_options: ['lxc.mount.auto:sys:rw', 'lxc.apparmor.profile=unconfined'],
      pct_options: ['nesting=1'],
      zfs_volumes: [{ name: 'm', pool: 'fastData', size_gb: 50, mount_point: '/models' }],
    },
  });
  const r = lines(g);
  assert.ok(r.text.includes('lxc.mount.auto = sys:rw'));
  assert.ok(r.text.includes('lxc.apparmor.profile = unconfined'));
  assert.ok(r.notes.some((n) => n.startsWith('zfs_volumes: not applied')));
  assert.ok(r.notes.some((n) => n.startsWith('pct_options ["nesting=1"]: not applied')));
});

test('bad values are one rejection naming each problem', () => {
  const g = makeGuest(950, {
    name: 'bad name',
    memoryMb: 1,
    network: { bridge: 'br0', ip: '10.0.0.300/24' },
  });
  const r = desiredLxcSettings(g, { memory: 'v2' });
  assert.is(r.ok, false);
  if (!r.ok) {
    assert.match(r.error, 'name "bad name" is not a valid hostname');
    assert.match(r.error, 'memory_mb must be an integer ≥ 16, got 1');
    assert.match(r.error, 'network_config.ip "10.0.0.300/24" is not an IPv4 CIDR');
  }
  const opt = desiredLxcSettings(
    makeGuest(950, { config: { lxc_options: ['lxc.x = 1\nlxc.hook.pre-start = /bin/evil'] } }),
    {},
  );
  assert.is(opt.ok, false, 'a newline cannot smuggle a second config line');
});

test('the managed block is replaced whole; copies LXC moved outside it are dropped', () => {
  const base = baseConfig({
    id: '950',
    rootfs: '/var/lib/lxc/950/rootfs',
    commonConf: '/usr/share/lxc/config/common.conf',
  });
  const one = withManagedBlock(base, [
    { key: 'lxc.uts.name', value: 'a' },
    { key: 'lxc.mount.auto', value: 'sys:rw' },
  ]);
  assert.is(
    withManagedBlock(one, [
      { key: 'lxc.uts.name', value: 'a' },
      { key: 'lxc.mount.auto', value: 'sys:rw' },
    ]),
    one,
  );
  // What lxc-snapshot -r -N / lxc-copy leave: uts.name moved to the end, set to the new name.
  const rewritten = `${one.replace('lxc.uts.name = a\n', '')}lxc.rootfs.path = dir:/x\nlxc.uts.name = 951\n`;
  const two = withManagedBlock(rewritten, [{ key: 'lxc.uts.name', value: 'b' }]);
  assert.is(two.split('\n').filter((l) => l.startsWith('lxc.uts.name')).length, 1);
  assert.is(two.split('\n').filter((l) => l === BLOCK_BEGIN || l === BLOCK_END).length, 2);
  assert.equal(managedSettings(two), { 'lxc.uts.name': 'b' });
  assert.ok(
    two.includes('lxc.include = /usr/share/lxc/config/common.conf'),
    'lines phx does not own stay',
  );
});

test.run();
