// The proxmox backend for VMs, against the sim node: a whole build sequence
// (image staged once by content, template VM created, settings reconciled
// to a no-op, agent waited for, a folder pushed in file-write chunks, a
// script run, snapshot, clone with its own settings and cloud-init update,
// rollback, firewall), the agent-never-answers fault, a failing script's
// exit code, pull, inspect and destroy.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpError } from '../../src/core/failure.ts';
import type { GuestId } from '../../src/core/ids.ts';
import {
  clone,
  featureDir,
  runSequence,
  template,
  vmCtx,
  vmRig,
  type VmRig,
} from './vm-sequence.ts';

const signal = new AbortController().signal;

async function conf(rig: VmRig, id: number): Promise<string> {
  return (await rig.sim.readFile(`/etc/pve/qemu-server/${id}.conf`, { signal })) ?? '';
}

test('a VM build sequence: settings converge, files and scripts go through the agent', async () => {
  const rig = await vmRig();
  const steps = await runSequence(rig);
  const t = await conf(rig, 9000);
  assert.match(t, /^ipconfig0: ip=dhcp$/m);
  assert.match(t, /^nameserver: 10\.0\.0\.13$/m);
  assert.match(t, /^ciuser: phoenix_user$/m);
  assert.match(t, /^agent: 1$/m);
  assert.match(t, /^serial0: socket$/m);
  assert.match(t, /^#phx%3Aowner=test-9000$/m);
  assert.match(t, /^scsi0: quickOS-vm-disks:vm-9000-disk-0,size=3584M$/m);
  const c = await conf(rig, 1001);
  assert.match(c, /^name: Portainer$/m);
  assert.match(c, /^memory: 8192$/m);
  assert.match(c, /^ipconfig0: ip=10\.0\.0\.111\/24,gw=10\.0\.0\.1$/m);
  assert.match(c, /^scsi0: quickOS-vm-disks:vm-1001-disk-0,size=32G$/m);
  assert.match(c, /^onboot: 1$/m);
  assert.match(c, /^startup: order=4,up=2,down=2$/m);
  assert.match(c, /^net0: virtio=[0-9A-F:]{17},bridge=vmbr0,firewall=1$/m);
  assert.match(c, /^sshkeys: ssh-ed25519%20AAAAC3Nz%20phx%40test%0A$/m);
  // The clone's cloud-init drive was regenerated after its values changed.
  assert.ok(
    steps['clone-settings']!.commands.some((a) => a.join(' ') === 'qm cloudinit update 1001'),
  );
  // Settings are a no-op the second time, and drift agrees.
  for (const g of [template, clone]) {
    assert.equal(await rig.backend.settingsDrift(g, signal), [], `drift of ${g.id}`);
    const again = vmCtx(g.id, 'settings');
    await rig.backend.applySettings(g, again);
    assert.equal(again.commands, [], `second apply of ${g.id}`);
  }
  // The image was staged once; a second stage copies nothing.
  const again = vmCtx(9000, 'create');
  const path = await rig.backend.vmOps().stageImage(rig.image, again);
  assert.is(path, `/var/lib/vz/template/phx-images/${rig.image.sha256}.img`);
  assert.equal(
    again.commands.map((a) => a[0]),
    ['sha256sum'],
  );
  assert.ok(readFileSync(join(rig.dir, 'host', path)).equals(readFileSync(rig.image.localPath)));
  // The 120 000-byte file needed three file-writes; its bytes and modes arrived.
  const writes = steps.push!.commands.filter((a) => a[0] === 'pvesh');
  assert.ok(writes.length >= 3, `${writes.length} file-writes`);
  assert.ok(
    writes.every((a) => /^<\d+ base64 chars>$/.test(a[a.indexOf('--content') + 1] ?? '')),
    'content never recorded',
  );
  const vm = (await rig.sim.vmNode.vms.load(9000))!;
  assert.is(vm.fs['/var/lib/phx/features/base/lib/big.bin']?.type, 'file');
  assert.is((vm.fs['/var/lib/phx/features/base/lib/big.bin'] as { size: number }).size, 120_000);
  assert.is(vm.fs['/var/lib/phx/features/base/install.sh']!.mode & 0o777, 0o755);
  assert.is(vm.fs['/var/lib/phx/ctx/entry.json']?.type, 'file');
  assert.not.ok(vm.fs['/var/lib/phx/push.tar'], 'the archive was removed');
  // The sim's journal holds no file content either.
  assert.not.match(
    readFileSync(join(rig.dir, 'journal.jsonl'), 'utf8'),
    /"--content","[A-Za-z0-9+/]{40}/,
  );
  // inspect: both exist, with their snapshots; the clone was rolled back (stopped).
  const states = await rig.backend.inspect(
    [
      { kind: 'vm', id: 9000 as GuestId },
      { kind: 'vm', id: 1001 as GuestId },
      { kind: 'vm', id: 1002 as GuestId },
    ],
    signal,
    { settings: true },
  );
  assert.equal(
    states.get(9000 as GuestId)?.snapshots.map((s) => s.name),
    ['initial_clean_state'],
  );
  assert.is(states.get(1001 as GuestId)?.running, false);
  assert.is(states.get(1001 as GuestId)?.settings.cores, '4');
  assert.is(states.get(1001 as GuestId)?.description, 'phx:owner=test-1001');
  assert.is(states.get(1002 as GuestId)?.exists, false);
  assert.match(
    readFileSync(join(rig.dir, 'host/etc/pve/firewall/1001.fw'), 'utf8'),
    /OUT ACCEPT -dest 10\.0\.0\.153 -p tcp -dport 443/,
  );
});

test('exec: a script that fails or cannot run is a command-failed with its exit code', async () => {
  const rig = await vmRig();
  const ops = rig.backend.vmOps();
  await ops.createVm(
    template,
    await ops.stageImage(rig.image, vmCtx(9000, 'create')),
    vmCtx(9000, 'create'),
  );
  await rig.backend.start(template, vmCtx(9000));
  await ops.waitForAgent(template, 2000, vmCtx(9000));
  const dir = featureDir(rig.work);
  writeFileSync(join(dir, 'broken.sh'), '#!/bin/bash\nexit 3\n', { mode: 0o644 });
  await rig.backend.push(template, dir, '/var/lib/phx/features/f', vmCtx(9000));
  const err = await rig.backend
    .exec(template, { cwd: '/var/lib/phx/features/f', argv: ['./broken.sh'], env: {} }, vmCtx(9000))
    .catch((e: unknown) => e);
  assert.instance(err, OpError);
  const f = (err as OpError).failure;
  assert.is(f.type, 'command-failed');
  assert.is(f.type === 'command-failed' ? f.exitCode : 0, 126);
  // A missing program: 127.
  const missing = await rig.backend
    .exec(template, { cwd: '/', argv: ['/opt/none.sh'], env: {} }, vmCtx(9000))
    .catch((e: unknown) => e as OpError);
  assert.is(
    missing instanceof OpError && missing.failure.type === 'command-failed'
      ? missing.failure.exitCode
      : 0,
    127,
  );
  // Pull brings a folder back; a missing one comes back empty.
  const out = join(rig.work, 'pulled');
  await rig.backend.pull(template, '/var/lib/phx/features/f', out, vmCtx(9000));
  assert.is(statSync(join(out, 'lib', 'big.bin')).size, 120_000);
  assert.is(readFileSync(join(out, 'broken.sh'), 'utf8'), '#!/bin/bash\nexit 3\n');
  const none = join(rig.work, 'none');
  await rig.backend.pull(template, '/var/lib/phx/artifacts/x', none, vmCtx(9000));
  assert.ok(existsSync(none));
  // Destroy stops and removes; a second destroy is a no-op.
  await rig.backend.destroy(template, vmCtx(9000));
  await rig.backend.destroy(template, vmCtx(9000));
  assert.not.ok(await rig.sim.vmNode.vms.load(9000));
});

test('the agent never answers: agent-timeout naming the VM and the wait', async () => {
  const rig = await vmRig({
    faults: [
      {
        match: ['qm', 'agent', '9000'],
        action: 'fail',
        message: 'QEMU guest agent is not running',
      },
    ],
  });
  const ops = rig.backend.vmOps();
  await ops.createVm(template, await ops.stageImage(rig.image, vmCtx(9000)), vmCtx(9000));
  await rig.backend.start(template, vmCtx(9000));
  const ctx = vmCtx(9000);
  const started = Date.now();
  const err = await ops.waitForAgent(template, 400, ctx).catch((e: unknown) => e);
  assert.instance(err, OpError);
  const f = (err as OpError).failure;
  assert.is(f.type, 'agent-timeout');
  assert.ok(f.type === 'agent-timeout' && f.vm === 9000 && f.waitedMs >= 400);
  assert.ok(Date.now() - started < 3000, 'gave up near the timeout');
  assert.match((err as OpError).message, /VM 9000: the QEMU guest agent did not answer within 0s/);
  assert.equal(ctx.commands, [['qm', 'agent', '9000', 'ping']], 'one recorded ping');
});

test('the agent answers some time after start; waitForAgent waits for it', async () => {
  const rig = await vmRig({ durations: { agent: 300 }, scale: 1 });
  const ops = rig.backend.vmOps();
  await ops.createVm(template, await ops.stageImage(rig.image, vmCtx(9000)), vmCtx(9000));
  await rig.backend.start(template, vmCtx(9000));
  const started = Date.now();
  await ops.waitForAgent(template, 5000, vmCtx(9000));
  assert.ok(Date.now() - started >= 250, 'waited for the boot');
});

test('a cancelled exec stops waiting with a cancelled failure', async () => {
  const rig = await vmRig({ durations: { feature: 5000 }, scale: 1 });
  const ops = rig.backend.vmOps();
  const setup = () => vmCtx(9000, 'create');
  await ops.createVm(template, await ops.stageImage(rig.image, setup()), setup());
  await rig.backend.start(template, setup());
  await ops.waitForAgent(template, 2000, setup());
  const started = Date.now();
  const ac = new AbortController();
  const p = rig.backend
    .exec(template, { cwd: '/', argv: ['true'], env: {} }, vmCtx(9000, 'feature', ac.signal))
    .catch((e: unknown) => e);
  setTimeout(() => {
    ac.abort();
  }, 100);
  const err = await p;
  assert.instance(err, OpError);
  assert.is((err as OpError).failure.type, 'cancelled');
  assert.ok(Date.now() - started < 2000, 'did not wait out the program');
});

test('create of a VM through Backend.create is refused: VMs come from their image', async () => {
  const rig = await vmRig();
  const err = await rig.backend.create(template, vmCtx(9000)).catch((e: unknown) => e);
  assert.instance(err, OpError);
  assert.match((err as OpError).message, /VM 9000: a VM is created from its image/);
});

test.run();
