// What only the lxc backend does, on real containers: tarball checks, the
// bridge check, the managed config block as LXC reads it, limits and network
// inside a running container, the recorded (not enforced) firewall, and
// refusing to write through a guest's symlink.
import { execFileSync } from 'node:child_process';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OpError } from '../../src/core/failure.ts';
import { detectCgroups } from '../../src/backends/lxc/cgroups.ts';
import type { Guest } from '../../src/model/model.ts';
import { opContext } from '../contract/op-context.ts';
import { lxcMissing, makeLxcHarness, type LxcHarness } from './lxc-harness.ts';

const test = suite('lxc backend on real containers');
let h: LxcHarness;
let g: Guest;

async function rejected(p: Promise<unknown>, text: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    assert.is((e as OpError).failure.type, 'rejected', (e as OpError).message);
    assert.match((e as OpError).message, text);
    return;
  }
  assert.unreachable(`expected a rejection mentioning ${text}`);
}

const out = (g: Guest, script: string): Promise<string[]> => {
  const ctx = opContext(g.id);
  return h.backend
    .exec(g, { cwd: '/', argv: ['/bin/sh', '-c', script], env: {} }, ctx)
    .then(() => ctx.lines);
};

test.before(async () => {
  h = await makeLxcHarness('phxtest1');
  g = h.guest(960, {
    memoryMb: 128,
    cores: 1,
    network: { bridge: 'phxtest1', ip: '10.254.0.60/24', mac: '52:54:00:fe:01:60' },
    config: {
      lxc_options: ['lxc.mount.auto:sys:rw'],
      pct_options: ['nesting=1'],
      zfs_volumes: [{ pool: 'p', size_gb: 1, mount_point: '/m' }],
    },
    firewall: {
      enabled: true,
      rules: [{ type: 'in', action: 'ACCEPT', proto: 'tcp', port: '22' }],
    },
  });
});
test.after(async () => {
  await h.cleanup();
});

test('create: a missing, non-tarball or corrupt template is rejected, leaving nothing behind', async () => {
  await rejected(
    h.backend.create(h.guest(961, { template: '/nonexistent/rootfs.tar.gz' }), opContext(961)),
    'does not exist',
  );
  await rejected(
    h.backend.create(h.guest(961, { template: 'local:vztmpl/x.tar.zst' }), opContext(961)),
    'Proxmox storage volume',
  );
  const junk = join(h.lxcPath, '..', 'junk.tar.gz');
  await writeFile(junk, 'not a tarball');
  await rejected(
    h.backend.create(h.guest(961, { template: junk }), opContext(961)),
    'not a readable rootfs tarball',
  );
  const s = (
    await h.backend.inspect([{ kind: 'lxc', id: 961 as Guest['id'] }], new AbortController().signal)
  ).get(961 as Guest['id']);
  assert.is(s?.exists, false);
});

test('applySettings: a missing bridge, or an interface that is not one, is rejected by name', async () => {
  await h.backend.create(g, opContext(g.id, 'create'));
  const nobridge = h.guest(g.id, { network: { bridge: 'phxnosuch0', ip: '10.254.0.61/24' } });
  await rejected(
    h.backend.applySettings(nobridge, opContext(g.id)),
    'bridge phxnosuch0 does not exist',
  );
  await rejected(
    h.backend.applySettings(
      h.guest(g.id, { network: { bridge: 'lo', ip: '10.254.0.61/24' } }),
      opContext(g.id),
    ),
    'lo exists but is not a bridge',
  );
});

test('applySettings: the block LXC reads, with unsupported settings reported in the log', async () => {
  const ctx = opContext(g.id, 'settings');
  await h.backend.applySettings(g, ctx);
  assert.ok(
    ctx.lines.some((l) => l.includes('zfs_volumes: not applied')),
    ctx.lines.join('\n'),
  );
  assert.ok(ctx.lines.some((l) => l.includes('pct_options ["nesting=1"]: not applied')));
  const live = (await h.backend.inspect([g], new AbortController().signal)).get(g.id);
  assert.is(live?.settings['lxc.mount.auto'], 'sys:rw');
  assert.is(live?.settings['lxc.net.0.link'], 'phxtest1');
  // Stale lines go: without lxc_options the key is gone, not left behind.
  await h.backend.applySettings(
    h.guest(g.id, { network: { bridge: 'phxtest1', ip: '10.254.0.60/24' } }),
    opContext(g.id),
  );
  const cfg = await readFile(join(h.lxcPath, String(g.id), 'config'), 'utf8');
  assert.not.match(cfg, 'lxc.mount.auto');
  await h.backend.applySettings(g, opContext(g.id));
});

test('start: hostname, address on the test bridge and limits as LXC applied them', async () => {
  await h.backend.start(g, opContext(g.id));
  const lines = await out(g, 'hostname; ip -4 addr show eth0');
  assert.ok(lines.includes(g.name), lines.join('\n'));
  assert.ok(
    lines.some((l) => l.includes('inet 10.254.0.60/24')),
    lines.join('\n'),
  );
  const caps = detectCgroups();
  const key =
    caps.memory === 'v2'
      ? 'memory.max'
      : caps.memory === 'v1'
        ? 'memory.limit_in_bytes'
        : undefined;
  if (key !== undefined) {
    const v = execFileSync('lxc-cgroup', ['-P', h.lxcPath, '-n', String(g.id), key], {
      encoding: 'utf8',
    }).trim();
    assert.is(v, String(128 * 1024 * 1024));
  }
});

test('exec: a clean environment, the declared variables only, argv never shell text', async () => {
  process.env.PHX_HOST_SECRET = 'leak';
  const ctx = opContext(g.id);
  await h.backend.exec(
    g,
    {
      cwd: '/tmp',
      argv: ['/bin/sh', '-c', 'env; pwd', 'x'],
      env: { PHX_ID: '960', ODD: 'a b;$(id)' },
    },
    ctx,
  );
  assert.ok(ctx.lines.includes('PHX_ID=960'));
  assert.ok(ctx.lines.includes('ODD=a b;$(id)'), 'a value stays a value');
  assert.ok(ctx.lines.includes('/tmp'));
  assert.not.ok(ctx.lines.some((l) => l.includes('PHX_HOST_SECRET')));
  await rejected(
    h.backend.exec(g, { cwd: '/', argv: ['true'], env: { 'A;B': '1' } }, opContext(g.id)),
    'is not NAME=value',
  );
});

test('push: a symlink inside the guest is never followed out of the rootfs', async () => {
  await symlink('/', join(h.lxcPath, String(g.id), 'rootfs', 'escape'));
  await rejected(
    h.backend.pushFile(g, 'x', '/escape/tmp/phx-escaped', opContext(g.id)),
    'is a symlink inside the guest',
  );
  await rejected(
    h.backend.push(g, h.lxcPath, '/escape/tmp/phx-escaped-dir', opContext(g.id)),
    'is a symlink inside the guest',
  );
  await rejected(
    h.backend.pushFile(g, 'x', '/root/../../etc/x', opContext(g.id)),
    'not a plain absolute path',
  );
});

test('writeFirewall: recorded beside the container, with the log saying it is not enforced', async () => {
  const ctx = opContext(g.id, 'firewall');
  await h.backend.writeFirewall(g, ctx);
  const rec = JSON.parse(
    await readFile(join(h.lxcPath, String(g.id), 'phx-firewall.json'), 'utf8'),
  ) as Record<string, unknown>;
  assert.is(rec.enforced, false);
  assert.equal(rec.rules, [{ type: 'in', action: 'ACCEPT', proto: 'tcp', port: '22' }]);
  assert.ok(ctx.lines.some((l) => l.includes('not enforced')));
});

test('snapshot of a running container: stopped for the copy, running again after', async () => {
  const ctx = opContext(g.id, 'snapshot');
  await h.backend.snapshot(g, 'final-form', 'phx:abc lxc/960/snapshot/final-form', ctx);
  const s = (await h.backend.inspect([g], new AbortController().signal)).get(g.id);
  assert.equal([s?.running, s?.snapshots.map((x) => x.name)], [true, ['final-form']]);
  await rejected(
    h.backend.snapshot(g, 'final-form', 'again', opContext(g.id)),
    'already has a snapshot',
  );
  await rejected(h.backend.snapshot(g, 'x\ny', 'd', opContext(g.id)), 'is not');
  await h.backend.destroy(g, opContext(g.id));
});

if (lxcMissing() === undefined) test.run();
else suite('lxc backend (skipped)').run();
