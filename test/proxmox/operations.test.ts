import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { ctx, FakeRunner } from './fake-runner.ts';
import { fixtureGuest } from './fixture-guests.ts';

function setup() {
  const runner = new FakeRunner();
  return { runner, backend: new ProxmoxBackend({ runner, kind: 'proxmox', node: 'pve' }) };
}

async function rejection(p: Promise<unknown>): Promise<OpError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OpError) return e;
    throw e;
  }
  throw new Error('expected an OpError');
}

test('exec: env -C, sorted K=V, and a hostile value stays one argv element', async () => {
  const { runner, backend } = setup();
  const c = ctx('lxc/901/feature/nvidia');
  await backend.exec(
    fixtureGuest(901),
    {
      cwd: '/var/lib/phx/run/x',
      argv: ['./install.sh', 'a; rm -rf /'],
      env: { PHX_ID: '901', PHX_GPUS: '0,1' },
    },
    c,
  );
  const want = [
    'pct',
    'exec',
    '901',
    '--',
    'env',
    '-C',
    '/var/lib/phx/run/x',
    'PHX_GPUS=0,1',
    'PHX_ID=901',
    './install.sh',
    'a; rm -rf /',
  ];
  assert.equal(c.commands, [want]);
  assert.equal(runner.calls, [want]);
});

test('exec: a command env would misread, or a bad variable name, is refused', async () => {
  const { runner, backend } = setup();
  const g = fixtureGuest(901);
  assert.is(
    (await rejection(backend.exec(g, { cwd: '/tmp/x', argv: ['A=B'], env: {} }, ctx()))).failure
      .type,
    'rejected',
  );
  assert.is(
    (await rejection(backend.exec(g, { cwd: '/tmp/x', argv: ['ls'], env: { 'A;B': '1' } }, ctx())))
      .failure.type,
    'rejected',
  );
  assert.is(
    (await rejection(backend.exec(g, { cwd: 'rel', argv: ['ls'], env: {} }, ctx()))).failure.type,
    'rejected',
  );
  assert.equal(runner.calls, []);
});

test('a non-zero exit is a command-failed value with argv, code and stderr; output goes to the log', async () => {
  const { runner, backend } = setup();
  runner.on('pct exec 901', { exitCode: 3, stderr: 'boom\n' });
  const e = await rejection(
    backend.exec(fixtureGuest(901), { cwd: '/tmp/x', argv: ['false'], env: {} }, ctx()),
  );
  assert.equal(e.failure, {
    type: 'command-failed',
    argv: ['pct', 'exec', '901', '--', 'env', '-C', '/tmp/x', 'false'],
    exitCode: 3,
    stderr: 'boom\n',
  });
});

test('push: rm -rf, one mkdir -p of every folder, pct push per file with --perms for executables', async () => {
  const { runner, backend } = setup();
  const dir = await mkdtemp(join(tmpdir(), 'phx-test-'));
  try {
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'install.sh'), '#!/bin/sh\n');
    await chmod(join(dir, 'install.sh'), 0o755);
    await writeFile(join(dir, 'lib', 'unit.py'), 'x = 1\n');
    const c = ctx('lxc/901/feature/nvidia');
    await backend.push(fixtureGuest(901), dir, '/var/lib/phx/run/lxc-901-feature-nvidia', c);
    const host = `/var/tmp/phx-stage${dir}`;
    const remote = '/var/lib/phx/run/lxc-901-feature-nvidia';
    assert.equal(c.commands, [
      ['pct', 'exec', '901', '--', 'rm', '-rf', remote],
      ['pct', 'exec', '901', '--', 'mkdir', '-p', remote, `${remote}/lib`],
      ['pct', 'push', '901', `${host}/install.sh`, `${remote}/install.sh`, '--perms', '0755'],
      ['pct', 'push', '901', `${host}/lib/unit.py`, `${remote}/lib/unit.py`],
    ]);
    assert.equal(runner.staged, [dir]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('push: a remote folder rm -rf could hurt is refused', async () => {
  const { runner, backend } = setup();
  for (const bad of ['/', '/var', '/var/../etc/x', 'var/lib/x', '/var/lib/x y']) {
    assert.is(
      (await rejection(backend.push(fixtureGuest(901), '/tmp', bad, ctx()))).failure.type,
      'rejected',
      bad,
    );
  }
  assert.equal(runner.calls, []);
});

test('pushFile: staged temp file, mkdir -p of its folder, one pct push', async () => {
  const { runner, backend } = setup();
  const c = ctx();
  await backend.pushFile(fixtureGuest(901), '{"a":1}', '/var/lib/phx/entry.json', c);
  assert.is(c.commands.length, 2);
  assert.equal(c.commands[0], ['pct', 'exec', '901', '--', 'mkdir', '-p', '/var/lib/phx']);
  assert.equal(c.commands[1]?.slice(0, 3), ['pct', 'push', '901']);
  assert.match(c.commands[1]?.[3] ?? '', /^\/var\/tmp\/phx-stage.*\/phx-push-[^/]+\/entry\.json$/);
  assert.is(c.commands[1]?.[4], '/var/lib/phx/entry.json');
  assert.is(runner.staged.length, 1);
});

test('snapshot, delsnapshot, rollback', async () => {
  const { backend } = setup();
  const c = ctx();
  const g = fixtureGuest(901);
  await backend.snapshot(g, 'phx-9f2c00112233', 'phx:9f2c001122334455 lxc/901/feature/nvidia', c);
  await backend.deleteSnapshot(g, 'phx-9f2c00112233', c);
  await backend.rollback(g, 'final-form', c);
  assert.equal(c.commands, [
    [
      'pct',
      'snapshot',
      '901',
      'phx-9f2c00112233',
      '--description',
      'phx:9f2c001122334455 lxc/901/feature/nvidia',
    ],
    ['pct', 'delsnapshot', '901', 'phx-9f2c00112233'],
    ['pct', 'rollback', '901', 'final-form'],
  ]);
  assert.is((await rejection(backend.snapshot(g, 'bad name', '', ctx()))).failure.type, 'rejected');
});

test('start/stop check pct status first; destroy stops a running CT and purges', async () => {
  const { runner, backend } = setup();
  const g = fixtureGuest(901);
  runner.on('pct status 901', { stdout: 'status: running\n' });
  const c1 = ctx();
  await backend.start(g, c1);
  assert.equal(c1.commands, [['pct', 'status', '901']], 'start of a running CT is a no-op');
  const c2 = ctx();
  await backend.destroy(g, c2);
  assert.equal(c2.commands, [
    ['pct', 'status', '901'],
    ['pct', 'stop', '901'],
    ['pct', 'destroy', '901', '--purge', '1'],
  ]);
  runner.on('pct status 901', { stdout: 'status: stopped\n' });
  const c3 = ctx();
  await backend.stop(g, c3);
  await backend.start(g, c3);
  assert.equal(c3.commands, [
    ['pct', 'status', '901'],
    ['pct', 'status', '901'],
    ['pct', 'start', '901'],
  ]);
  runner.on('pct status 901', {
    exitCode: 2,
    stderr: "Configuration file 'nodes/pve/lxc/901.conf' does not exist\n",
  });
  const c4 = ctx();
  await backend.destroy(g, c4);
  assert.equal(c4.commands, [['pct', 'status', '901']], 'destroying a missing CT does nothing');
});

test('clone checks the source is as (un)privileged as the entry before cloning', async () => {
  const { runner, backend } = setup();
  runner.files.set('/etc/pve/lxc/900.conf', 'hostname: Copy-Base\nunprivileged: 1\n');
  const c = ctx('lxc/901/clone');
  await backend.clone(900 as GuestId, 'final-form', fixtureGuest(901), c);
  assert.equal(c.commands[0]?.slice(0, 4), ['pct', 'clone', '900', '901']);
  const e = await rejection(
    backend.clone(
      900 as GuestId,
      'final-form',
      fixtureGuest(901, (x) => (x.unprivileged = false)),
      ctx(),
    ),
  );
  assert.match(e.message, /cannot change this after creation/);
  assert.match(
    (await rejection(backend.clone(905 as GuestId, 'final-form', fixtureGuest(901), ctx())))
      .message,
    /CT 905 does not exist/,
  );
});

test('inspect: one pvesh snapshot query per guest; current gives running; missing CT → exists false', async () => {
  const { runner, backend } = setup();
  runner.on('pvesh get /nodes/pve/lxc/900/snapshot', {
    stdout: JSON.stringify([
      {
        name: 'phx-bbbbbbbbbbbb',
        description: 'phx:bb lxc/900/feature/base_setup\n',
        snaptime: 1700000100,
        parent: 'phx-aaaaaaaaaaaa',
      },
      { name: 'current', description: 'You are here!', parent: 'final-form', running: 1 },
      {
        name: 'final-form',
        description: 'phx:cc lxc/900/snapshot/final-form',
        snaptime: 1700000100,
        parent: 'phx-bbbbbbbbbbbb',
      },
      { name: 'phx-aaaaaaaaaaaa', description: 'phx:aa lxc/900/create', snaptime: 1700000000 },
    ]),
  });
  runner.on('pvesh get /nodes/pve/lxc/999/snapshot', {
    exitCode: 2,
    stderr: "Configuration file 'nodes/pve/lxc/999.conf' does not exist\n",
  });
  const states = await backend.inspect(
    [
      { kind: 'lxc', id: 900 as GuestId },
      { kind: 'lxc', id: 999 as GuestId },
    ],
    new AbortController().signal,
  );
  assert.equal(runner.calls, [
    ['pvesh', 'get', '/nodes/pve/lxc/900/snapshot', '--output-format', 'json'],
    ['pvesh', 'get', '/nodes/pve/lxc/999/snapshot', '--output-format', 'json'],
  ]);
  const s = states.get(900 as GuestId);
  assert.is(s?.exists, true);
  assert.is(s?.running, true);
  assert.equal(
    s?.snapshots.map((x) => x.name),
    ['phx-aaaaaaaaaaaa', 'phx-bbbbbbbbbbbb', 'final-form'],
  );
  assert.is(s?.snapshots[1]?.description, 'phx:bb lxc/900/feature/base_setup');
  assert.equal(states.get(999 as GuestId), {
    exists: false,
    running: false,
    snapshots: [],
    settings: {},
  });
});

test('inspect: other failures are command-failed; liveSettings reads the conf', async () => {
  const { runner, backend } = setup();
  runner.on('pvesh', { exitCode: 255, stderr: 'permission denied' });
  const e = await rejection(
    backend.inspect([{ kind: 'lxc', id: 900 as GuestId }], new AbortController().signal),
  );
  assert.is(e.failure.type, 'command-failed');
  runner.files.set(
    '/etc/pve/lxc/900.conf',
    'memory: 2048\nlxc.apparmor.profile: unconfined\n\n[s]\nmemory: 1\n',
  );
  assert.equal(await backend.liveSettings(fixtureGuest(900), new AbortController().signal), {
    memory: '2048',
    lxc: 'lxc.apparmor.profile: unconfined',
  });
});

test('a VM is never touched with pct: qm lines, and create is refused (VMs come from their image)', async () => {
  const { runner, backend } = setup();
  const vm = { ...fixtureGuest(901), kind: 'vm' as const };
  runner.on('qm status 901', { stdout: 'status: running\n' });
  assert.match(
    (await rejection(backend.create(vm, ctx()))).message,
    /VM 901: a VM is created from its image/,
  );
  // No /etc/pve/qemu-server/901.conf: settings cannot be read, and say so.
  assert.match(
    (await rejection(backend.applySettings(vm, ctx()))).message,
    /VM 901 does not exist \(no \/etc\/pve\/qemu-server\/901\.conf\)/,
  );
  await backend.snapshot(vm, 'a1', '', ctx());
  await backend.start(vm, ctx());
  await backend.destroy(vm, ctx());
  assert.equal(runner.calls, [
    ['qm', 'snapshot', '901', 'a1', '--description', ''],
    ['qm', 'status', '901'],
    ['qm', 'status', '901'],
    ['qm', 'stop', '901'],
    ['qm', 'destroy', '901', '--purge', '1'],
  ]);
});

test('a cancelled signal runs nothing', async () => {
  const { runner, backend } = setup();
  const c = { ...ctx(), signal: AbortSignal.abort() };
  assert.is((await rejection(backend.start(fixtureGuest(901), c))).failure.type, 'cancelled');
  assert.equal(runner.calls, []);
});

test.run();
