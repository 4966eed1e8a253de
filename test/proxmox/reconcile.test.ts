import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { parseConf, replaceRawLines } from '../../src/backends/proxmox/conf-file.ts';
import { reconcile } from '../../src/backends/proxmox/reconcile.ts';
import { desiredSettings } from '../../src/backends/proxmox/settings.ts';
import { OpError } from '../../src/core/failure.ts';
import { ctx, FakeRunner, must } from './fake-runner.ts';
import { fixtureGuest, guestOf, rawEntry } from './fixture-guests.ts';

/** 901 right after `pct clone 900 901 --snapname final-form`: 900's settings, one snapshot. */
const clonedFrom900 = `arch: amd64
cores: 2
features: nesting=1
hostname: Copy-Cuda12.8
memory: 2048
nameserver: 8.8.8.8
net0: name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=52:54:00:AA:BB:CC,ip=10.0.0.200/24,type=veth
onboot: 0
ostype: ubuntu
parent: final-form
rootfs: quickOS-lxc-disks:subvol-901-disk-0,size=16G
startup: order=0,up=0,down=0
swap: 512
unprivileged: 1
lxc.apparmor.profile: unconfined

[final-form]
#phx%3Aabc lxc/900/snapshot/final-form
arch: amd64
hostname: Copy-Base
lxc.apparmor.profile: unconfined
snaptime: 1700000000
`;

function setup(conf = clonedFrom900) {
  const runner = new FakeRunner();
  runner.files.set('/etc/pve/lxc/901.conf', conf);
  return { runner, backend: new ProxmoxBackend({ runner, kind: 'proxmox' }) };
}

test('first apply: one pct set with changed keys and stale ones deleted, raw lines written', async () => {
  const { runner, backend } = setup();
  const c = ctx();
  await backend.applySettings(fixtureGuest(901), c);
  assert.equal(c.commands, [
    [
      'pct',
      'set',
      '901',
      '--net0',
      'name=eth0,bridge=vmbr0,ip=10.0.0.201/24,gw=10.0.0.1,hwaddr=52:54:00:AA:BB:CD',
      '--delete',
      'features,nameserver,swap',
    ],
    ['write-file', '/etc/pve/lxc/901.conf'],
  ]);
  const conf = runner.files.get('/etc/pve/lxc/901.conf') ?? '';
  const live = parseConf(conf);
  assert.is(live.rawLines.filter((l) => l.includes('/dev/nvidia1 ')).length, 1);
  assert.is(live.rawLines.length, 8);
  assert.ok(
    conf.includes(
      '[final-form]\n#phx%3Aabc lxc/900/snapshot/final-form\narch: amd64\nhostname: Copy-Base\nlxc.apparmor.profile: unconfined\n',
    ),
    'snapshot section intact',
  );
});

test('second apply of the same settings: no pct set, no file write', async () => {
  const { runner, backend } = setup();
  await backend.applySettings(fixtureGuest(901), ctx());
  const writes = runner.writes.length;
  const c = ctx();
  await backend.applySettings(fixtureGuest(901), c);
  assert.equal(c.commands, []);
  assert.is(runner.writes.length, writes);
});

test('narrowing gpu_assignment "0, 1" → "0" removes only the /dev/nvidia1 line', async () => {
  const { runner, backend } = setup();
  await backend.applySettings(fixtureGuest(901), ctx());
  const c = ctx();
  await backend.applySettings(
    fixtureGuest(901, (e) => (e.gpu_assignment = '0')),
    c,
  );
  assert.equal(c.commands, [['write-file', '/etc/pve/lxc/901.conf']], 'no pct key changed');
  const raw = parseConf(runner.files.get('/etc/pve/lxc/901.conf') ?? '').rawLines;
  assert.not.ok(raw.some((l) => l.includes('nvidia1')));
  assert.ok(raw.some((l) => l.includes('/dev/nvidia0 ')));
  assert.is(raw.length, 7);
  await backend.applySettings(
    fixtureGuest(901, (e) => (e.gpu_assignment = 'none')),
    ctx(),
  );
  assert.equal(parseConf(runner.files.get('/etc/pve/lxc/901.conf') ?? '').rawLines, [
    'lxc.apparmor.profile: unconfined',
  ]);
});

test('raw lines are never duplicated, whatever form the file had them in', () => {
  const text =
    'hostname: a\nlxc.apparmor.profile=unconfined\nlxc.apparmor.profile: unconfined\nlxc.mount.auto: sys:rw\n\n[snap]\nlxc.mount.auto: sys:rw\n';
  const want = ['lxc.apparmor.profile: unconfined'];
  const out = replaceRawLines(text, want);
  assert.is(
    out,
    'hostname: a\nlxc.apparmor.profile: unconfined\n\n[snap]\nlxc.mount.auto: sys:rw\n',
  );
  assert.equal(parseConf(out).rawLines, want);
});

test('removing a mount point deletes its mpN; a volume keeps its index (never re-allocated)', () => {
  const conf = `hostname: granite-embedding
mp0: /srv/a,mp=/a
mp1: /srv/b,mp=/b
mp2: fastData-shared-bulk-data:subvol-801-disk-1,mp=/vllm_models,size=50G
rootfs: quickOS-lxc-disks:subvol-801-disk-0,size=128G
unprivileged: 1
`;
  const desired = must(
    desiredSettings(
      fixtureGuest(801, (e) => (e.mount_points = [{ host_path: '/srv/b', container_path: '/b' }])),
    ),
  );
  const plan = reconcile(desired, parseConf(conf));
  assert.not.ok(
    plan.set.some(([k]) => k.startsWith('mp')),
    'mp1 and mp2 stay where they are',
  );
  assert.ok(plan.delete.includes('mp0'));
  assert.equal(plan.resizes, []);
});

test('a new mount point takes the lowest free index; a grown volume is resized, not re-made', () => {
  const conf = `mp1: fastData-shared-bulk-data:subvol-801-disk-1,mp=/vllm_models,size=50G
rootfs: quickOS-lxc-disks:subvol-801-disk-0,size=64G
`;
  const desired = must(
    desiredSettings(
      fixtureGuest(801, (e) => {
        e.mount_points = [{ host_path: '/srv/c', container_path: '/c' }];
        e.zfs_volumes = [
          { pool: 'fastData-shared-bulk-data', size_gb: 80, mount_point: '/vllm_models' },
        ];
      }),
    ),
  );
  const plan = reconcile(desired, parseConf(conf));
  assert.ok(plan.set.some(([k, v]) => k === 'mp0' && v === '/srv/c,mp=/c'));
  assert.equal(plan.resizes, [
    { disk: 'rootfs', sizeGb: 128 },
    { disk: 'mp1', sizeGb: 80 },
  ]);
});

test('rootfs only grows: a larger live disk is left with a note', () => {
  const desired = must(desiredSettings(fixtureGuest(900)));
  const plan = reconcile(
    desired,
    parseConf('rootfs: quickOS-lxc-disks:subvol-900-disk-0,size=32G\n'),
  );
  assert.equal(plan.resizes, []);
  assert.match(plan.notes.join('\n'), /cannot shrink/);
});

test('growth goes through pct resize after the pct set', async () => {
  const { backend } = setup();
  const c = ctx();
  await backend.applySettings(
    fixtureGuest(901, (e) => (e.storage_size_gb = 32)),
    c,
  );
  assert.equal(c.commands[1], ['pct', 'resize', '901', 'rootfs', '32G']);
});

test('live values PVE re-printed (key order, type=veth, MAC case) count as equal', () => {
  const desired = must(desiredSettings(fixtureGuest(900)));
  const live = parseConf(`hostname: Copy-Base
memory: 2048
cores: 2
onboot: 0
startup: order=0,up=0,down=0
net0: name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=52:54:00:aa:bb:cc,ip=10.0.0.200/24,type=veth
nameserver: 8.8.8.8
`);
  const plan = reconcile(desired, live);
  assert.equal(plan.set, []);
  assert.equal(plan.delete, []);
});

test('a missing CT and a bad value are rejections, and run no command', async () => {
  const { backend } = setup();
  const c = ctx();
  try {
    await backend.applySettings(guestOf(999, rawEntry(901)), c);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, OpError);
    assert.match((e as OpError).message, /CT 999 does not exist/);
  }
  try {
    await backend.applySettings(
      fixtureGuest(901, (e) => (e.mac_address = 'zz')),
      c,
    );
    assert.unreachable();
  } catch (e) {
    assert.instance(e, OpError);
    assert.is((e as OpError).failure.type, 'rejected');
  }
  assert.equal(c.commands, []);
});

test("a running CT's pending changes count as applied (no re-issue on the next apply)", () => {
  const desired = must(desiredSettings(fixtureGuest(900)));
  const conf = `hostname: Copy-Base
memory: 1024
cores: 2
onboot: 0
startup: order=0,up=0,down=0
net0: name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=52:54:00:AA:BB:CC,ip=10.0.0.200/24,type=veth
nameserver: 8.8.8.8
mp0: /srv/old,mp=/old
lxc.apparmor.profile: unconfined

[pve:pending]
memory: 2048
delete: mp0
`;
  const plan = reconcile(desired, parseConf(conf));
  assert.equal(plan.set, []);
  assert.equal(plan.delete, []);
});

test.run();
