// qm on the sim node: what a real node accepts, and each refusal qemu-server
// makes (shared VMID, missing storage, missing image, shrink, start of a
// template, rollback past a newer snapshot, linked clone of a non-template,
// unknown option), the guest agent's timing and its never-answers fault,
// guest exec of a script, and the file-write size limit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCt, expectOk, makeSim, type SimRig } from './sim-helpers.ts';

const IMAGE = '/var/lib/vz/template/phx-images/abc.img';
const POOL = 'quickOS-vm-disks';

/** A node file, as stageImage leaves one (the sim keeps node files under <dir>/host). */
function putImage(rig: SimRig, path = IMAGE): void {
  const p = join(rig.dir, 'host', path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, 'QFI\xfb fake cloud image');
}

async function createVm(rig: SimRig, id: number, ...extra: string[]) {
  return rig.run(
    'qm',
    'create',
    String(id),
    '--name',
    `vm${id}`,
    '--memory',
    '2048',
    '--cores',
    '2',
    '--net0',
    'virtio,bridge=vmbr0',
    '--serial0',
    'socket',
    '--vga',
    'serial0',
    '--agent',
    '1',
    '--scsihw',
    'virtio-scsi-pci',
    '--ostype',
    'l26',
    ...extra,
  );
}

async function bootableVm(rig: SimRig, id: number): Promise<void> {
  putImage(rig);
  expectOk(
    await createVm(
      rig,
      id,
      '--scsi0',
      `${POOL}:0,import-from=${IMAGE}`,
      '--ide2',
      `${POOL}:cloudinit`,
      '--boot',
      'order=scsi0',
    ),
    'create',
  );
}

test('create with an imported disk, cloud-init drive, resize, config', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 9000);
  expectOk(await rig.run('qm', 'resize', '9000', 'scsi0', '32G'), 'resize');
  const conf = expectOk(await rig.run('qm', 'config', '9000'), 'config').stdout;
  assert.match(conf, /^scsi0: quickOS-vm-disks:vm-9000-disk-0,size=32G$/m);
  assert.match(conf, /^ide2: quickOS-vm-disks:vm-9000-cloudinit,media=cdrom$/m);
  assert.match(conf, /^net0: virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0$/m);
  assert.match(conf, /^boot: order=scsi0$/m);
  assert.match(conf, /^agent: 1$/m);
  // The host file is a view of the same state.
  const file = await rig.sim.readFile('/etc/pve/qemu-server/9000.conf', {
    signal: new AbortController().signal,
  });
  assert.match(file ?? '', /^name: vm9000$/m);
});

test('qm importdisk then attach the unused volume; a missing image is refused', async () => {
  const rig = await makeSim();
  putImage(rig);
  expectOk(await createVm(rig, 9001), 'create');
  const imp = expectOk(await rig.run('qm', 'importdisk', '9001', IMAGE, POOL), 'import');
  assert.match(
    imp.stdout,
    /Successfully imported disk as 'unused0:quickOS-vm-disks:vm-9001-disk-0'/,
  );
  expectOk(await rig.run('qm', 'set', '9001', '--scsi0', `${POOL}:vm-9001-disk-0`), 'attach');
  const conf = (await rig.run('qm', 'config', '9001')).stdout;
  assert.match(conf, /^scsi0: quickOS-vm-disks:vm-9001-disk-0,size=3584M$/m);
  assert.not.match(conf, /^unused0/m);
  const missing = await rig.run('qm', 'importdisk', '9001', '/var/lib/vz/template/nope.img', POOL);
  assert.is(missing.exitCode, 255);
  assert.match(missing.stderr, /does not exist/);
  const fromMissing = await createVm(rig, 9002, '--scsi0', `${POOL}:0,import-from=/nope.img`);
  assert.is(fromMissing.exitCode, 255);
  assert.match(fromMissing.stderr, /could not get file size of \/nope\.img/);
  const notMine = await rig.run('qm', 'set', '9001', '--scsi1', `${POOL}:vm-77-disk-0`);
  assert.match(notMine.stderr, /volume quickOS-vm-disks:vm-77-disk-0 does not exist/);
});

test('VMIDs and CTIDs are one namespace, both ways', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'ct');
  const vm = await createVm(rig, 950);
  assert.is(vm.exitCode, 255);
  assert.match(vm.stderr, /CT 950 already exists/);
  expectOk(await createVm(rig, 1001), 'vm');
  const ct = await createCt(rig, 1001);
  assert.is(ct.exitCode, 255);
  assert.match(ct.stderr, /VM 1001 already exists/);
  const again = await createVm(rig, 1001);
  assert.match(again.stderr, /VM 1001 already exists/);
});

test('refusals: missing storage, storage without images, unknown option, bad values, bad boot order', async () => {
  const rig = await makeSim();
  const noStorage = await createVm(rig, 9000, '--scsi0', 'nowhere:8');
  assert.match(noStorage.stderr, /storage 'nowhere' does not exist/);
  // `local` holds iso, vztmpl and backup, not VM disks.
  const local = await createVm(rig, 9000, '--scsi0', 'local:8');
  assert.match(local.stderr, /does not support content-type 'images'/);
  const unknown = await createVm(rig, 9000, '--hostname', 'x');
  assert.match(unknown.stderr, /Unknown option: hostname/);
  const badMem = await createVm(rig, 9000, '--balloon', '-1');
  assert.match(badMem.stderr, /balloon: value must have a minimum value of 0/);
  const badNet = await rig.run('qm', 'create', '9000', '--net0', 'virtio,bridge=vmbr0,ip=dhcp');
  assert.match(badNet.stderr, /net0\.ip: property is not defined in schema/);
  const badSerial = await rig.run('qm', 'create', '9000', '--serial0', 'tcp');
  assert.match(badSerial.stderr, /serial0: value does not match the regex pattern/);
  const badBoot = await createVm(rig, 9000, '--boot', 'order=scsi0');
  assert.match(badBoot.stderr, /invalid bootorder: device 'scsi0' does not exist/);
  const badKeys = await rig.run('qm', 'create', '9000', '--sshkeys', 'ssh-ed25519 AAAA x');
  assert.match(badKeys.stderr, /sshkeys: invalid format - invalid urlencoded string/);
  // None of them left a VM behind.
  assert.match((await rig.run('qm', 'status', '9000')).stderr, /does not exist/);
  expectOk(
    await createVm(rig, 9000, '--sshkeys', encodeURIComponent('ssh-ed25519 AAAA x')),
    'urlencoded keys',
  );
});

test('resize grows only; a template cannot start, be resized or snapshotted', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 9000);
  expectOk(await rig.run('qm', 'resize', '9000', 'scsi0', '+1G'), 'grow');
  const shrink = await rig.run('qm', 'resize', '9000', 'scsi0', '2G');
  assert.is(shrink.exitCode, 255);
  assert.match(shrink.stderr, /shrinking disks is not supported/);
  const cdrom = await rig.run('qm', 'resize', '9000', 'ide2', '10G');
  assert.match(cdrom.stderr, /you can't resize a cdrom/);
  expectOk(await rig.run('qm', 'template', '9000'), 'template');
  const conf = (await rig.run('qm', 'config', '9000')).stdout;
  assert.match(conf, /^scsi0: quickOS-vm-disks:base-9000-disk-0,size=4608M$/m);
  assert.match(conf, /^template: 1$/m);
  const start = await rig.run('qm', 'start', '9000');
  assert.is(start.exitCode, 255);
  assert.match(start.stderr, /you can't start a vm if it's a template/);
  assert.match(
    (await rig.run('qm', 'snapshot', '9000', 'snapx')).stderr,
    /you can't take a snapshot if it's a template/,
  );
  assert.match((await rig.run('qm', 'template', '9000')).stderr, /template to a template/);
});

test('snapshots: rollback only to the newest on ZFS; rollback restores files and stops', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 1001);
  expectOk(await rig.run('qm', 'snapshot', '1001', 'snapa', '--description', 'first'), 'a');
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  expectOk(await rig.run('qm', 'guest', 'exec', '1001', '--', 'touch', '/root/after-a'), 'touch');
  expectOk(await rig.run('qm', 'snapshot', '1001', 'snapb'), 'b');
  const past = await rig.run('qm', 'rollback', '1001', 'snapa');
  assert.is(past.exitCode, 255);
  assert.match(past.stderr, /can't rollback, 'snapa' is not most recent snapshot/);
  const list = JSON.parse(
    (
      await rig.run(
        'pvesh',
        'get',
        '/nodes/localhost/qemu/1001/snapshot',
        '--output-format',
        'json',
      )
    ).stdout,
  ) as { name: string; parent?: string; running?: number }[];
  assert.equal(
    list.map((s) => [s.name, s.parent ?? null]),
    [
      ['snapa', null],
      ['snapb', 'snapa'],
      ['current', 'snapb'],
    ],
  );
  assert.is(list.find((s) => s.name === 'current')?.running, 1);
  expectOk(await rig.run('qm', 'delsnapshot', '1001', 'snapb'), 'del b');
  expectOk(await rig.run('qm', 'rollback', '1001', 'snapa'), 'rollback a');
  assert.match((await rig.run('qm', 'status', '1001')).stdout, /status: stopped/);
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  const probe = await rig.run('qm', 'guest', 'exec', '1001', '--', 'test', '-f', '/root/after-a');
  assert.match(probe.stdout, /"exitcode" : 1|"exitcode": 1/);
});

test('clone: full from a snapshot, linked only from a template, source locked meanwhile', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 9000);
  expectOk(await rig.run('qm', 'snapshot', '9000', 'clean'), 'snap');
  const linked = await rig.run('qm', 'clone', '9000', '1001', '--full', '0');
  assert.is(linked.exitCode, 255);
  assert.match(
    linked.stderr,
    /Linked clone feature is not supported for 'quickOS-vm-disks:vm-9000-disk-0' \(scsi0\)/,
  );
  expectOk(
    await rig.run(
      'qm',
      'clone',
      '9000',
      '1001',
      '--full',
      '1',
      '--snapname',
      'clean',
      '--name',
      'portainer',
    ),
    'full clone',
  );
  const conf = (await rig.run('qm', 'config', '1001')).stdout;
  assert.match(conf, /^scsi0: quickOS-vm-disks:vm-1001-disk-0,size=3584M$/m);
  assert.match(conf, /^ide2: quickOS-vm-disks:vm-1001-cloudinit,media=cdrom$/m);
  assert.match(conf, /^name: portainer$/m);
  assert.not.match(conf, /^parent:/m);
  const src = (await rig.run('qm', 'config', '9000')).stdout;
  assert.not.equal(/net0: (.*)/.exec(conf)?.[1], /net0: (.*)/.exec(src)?.[1], 'MAC regenerated');
  const onCt = await rig.run('qm', 'clone', '9000', '1001', '--full', '1');
  assert.match(onCt.stderr, /VM 1001 already exists/);
  // The source holds `lock: clone` while the clone's time passes.
  const slow = await makeSim({ durations: { clone: 300 }, scale: 1 });
  await bootableVm(slow, 9000);
  const signal = new AbortController().signal;
  const running = slow.sim.run(['qm', 'clone', '9000', '1002', '--full', '1'], {
    signal,
    targetKind: 'clone',
  });
  await new Promise((r) => setTimeout(r, 100));
  const during = await slow.run('qm', 'set', '9000', '--memory', '4096');
  assert.match(during.stderr, /VM 9000 is locked \(clone\)/);
  assert.match((await slow.run('qm', 'config', '1002')).stdout, /^lock: clone$/m);
  expectOk(await running, 'slow clone');
  expectOk(await slow.run('qm', 'set', '9000', '--memory', '4096'), 'after');
  // From a template, linked is the default.
  expectOk(await rig.run('qm', 'delsnapshot', '9000', 'clean'), 'del');
  expectOk(await rig.run('qm', 'template', '9000'), 'template');
  expectOk(await rig.run('qm', 'clone', '9000', '1003'), 'linked');
  assert.match(
    (await rig.run('qm', 'config', '1003')).stdout,
    /^scsi0: quickOS-vm-disks:base-9000-disk-0\/vm-1003-disk-0,size=3584M$/m,
  );
});

test('guest agent: answers only running, with agent on, after its boot time', async () => {
  const rig = await makeSim({ durations: { agent: 250 }, scale: 1 });
  await bootableVm(rig, 1001);
  assert.match((await rig.run('qm', 'agent', '1001', 'ping')).stderr, /VM 1001 is not running/);
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  const early = await rig.run('qm', 'agent', '1001', 'ping');
  assert.is(early.exitCode, 255);
  assert.match(early.stderr, /QEMU guest agent is not running/);
  await new Promise((r) => setTimeout(r, 300));
  expectOk(await rig.run('qm', 'agent', '1001', 'ping'), 'ping after boot');
  expectOk(await rig.run('qm', 'stop', '1001'), 'stop');
  expectOk(await rig.run('qm', 'set', '1001', '--delete', 'agent'), 'agent off');
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  await new Promise((r) => setTimeout(r, 300));
  assert.match(
    (await rig.run('qm', 'agent', '1001', 'ping')).stderr,
    /No QEMU guest agent configured/,
  );
});

test('guest agent: a fail fault on ["qm","agent"] makes it never answer', async () => {
  const rig = await makeSim({
    faults: [
      {
        match: ['qm', 'agent', '1001'],
        action: 'fail',
        message: 'QEMU guest agent is not running',
      },
    ],
  });
  await bootableVm(rig, 1001);
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  for (let i = 0; i < 3; i++) {
    const r = await rig.run('qm', 'agent', '1001', 'ping');
    assert.is(r.exitCode, 255);
    assert.match(r.stderr, /QEMU guest agent is not running/);
  }
});

test('guest exec runs scripts on the VM filesystem and reports their exit code', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 1001);
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  const write = (file: string, content: string) =>
    rig.run(
      'pvesh',
      'create',
      '/nodes/localhost/qemu/1001/agent/file-write',
      '--file',
      file,
      '--content',
      content,
    );
  expectOk(await rig.run('qm', 'guest', 'exec', '1001', '--', 'mkdir', '-p', '/opt/f'), 'mkdir');
  expectOk(await write('/opt/f/install.sh', '#!/bin/bash\nexit 0\n'), 'write');
  // Not executable: the agent's spawn fails with 126, as a real guest's would.
  const noX = await rig.run(
    'qm',
    'guest',
    'exec',
    '1001',
    '--',
    'env',
    '-C',
    '/opt/f',
    'PHX_ID=1001',
    '/opt/f/install.sh',
  );
  const status = JSON.parse(noX.stdout) as { exitcode: number; exited: number };
  assert.equal([noX.exitCode, status.exited, status.exitcode], [0, 1, 126]);
  expectOk(
    await rig.run('qm', 'guest', 'exec', '1001', '--', 'chmod', '+x', '/opt/f/install.sh'),
    'chmod',
  );
  // Asynchronous start, then exec-status.
  const started = JSON.parse(
    expectOk(
      await rig.run(
        'qm',
        'guest',
        'exec',
        '1001',
        '--synchronous',
        '0',
        '--',
        'env',
        '-C',
        '/opt/f',
        '/opt/f/install.sh',
      ),
      'async',
    ).stdout,
  ) as { pid: number };
  const st = JSON.parse(
    expectOk(await rig.run('qm', 'guest', 'exec-status', '1001', String(started.pid)), 'status')
      .stdout,
  ) as { exitcode: number; exited: number };
  assert.equal([st.exited, st.exitcode], [1, 0]);
  const missing = JSON.parse(
    (await rig.run('qm', 'guest', 'exec', '1001', '--', '/opt/f/nope.sh')).stdout,
  ) as {
    exitcode: number;
  };
  assert.is(missing.exitcode, 127);
  const both = await rig.run(
    'qm',
    'guest',
    'exec',
    '1001',
    '--synchronous',
    '0',
    '--timeout',
    '5',
    '--',
    'true',
  );
  assert.match(both.stderr, /synchronous: needs to be set for 'timeout'/);
  assert.match(
    (await rig.run('qm', 'guest', 'exec-status', '1001', '99999')).stderr,
    /Invalid parameter 'pid'/,
  );
});

test('file-write: 60 KiB content limit, base64 with encode 0, chunks joined by dd', async () => {
  const rig = await makeSim();
  await bootableVm(rig, 1001);
  expectOk(await rig.run('qm', 'start', '1001'), 'start');
  const path = '/nodes/localhost/qemu/1001/agent/file-write';
  const big = 'x'.repeat(61441);
  const tooBig = await rig.run('pvesh', 'create', path, '--file', '/root/big', '--content', big);
  assert.is(tooBig.exitCode, 255);
  assert.match(tooBig.stderr, /content: value may only be 61440 characters long/);
  const data = Buffer.alloc(100_000, 7);
  const chunk = 46_080;
  for (let off = 0; off < data.length; off += chunk) {
    const part = data.subarray(off, off + chunk).toString('base64');
    assert.ok(part.length <= 61440);
    expectOk(
      await rig.run(
        'pvesh',
        'create',
        path,
        '--file',
        '/root/part',
        '--content',
        part,
        '--encode',
        '0',
      ),
      'part',
    );
    expectOk(
      await rig.run(
        'qm',
        'guest',
        'exec',
        '1001',
        '--',
        'dd',
        'if=/root/part',
        'of=/root/all',
        'oflag=append',
        'conv=notrunc',
        'status=none',
      ),
      'dd',
    );
  }
  const back = JSON.parse(
    (await rig.run('qm', 'guest', 'exec', '1001', '--', 'base64', '-w0', '/root/all')).stdout,
  ) as { 'out-data': string };
  assert.ok(Buffer.from(back['out-data'], 'base64').equals(data));
  const noDir = await rig.run('pvesh', 'create', path, '--file', '/nope/x', '--content', 'y');
  assert.match(noDir.stderr, /No such file or directory/);
});

test('rollback past a newer snapshot is allowed where the disks are qcow2 on a dir storage', async () => {
  const rig = await makeSim();
  expectOk(await rig.run('zfs', 'create', 'quickOS/vm-files'), 'dataset');
  expectOk(
    await rig.run(
      'pvesm',
      'add',
      'dir',
      'vm-files',
      '--path',
      '/quickOS/vm-files',
      '--content',
      'images',
    ),
    'dir storage',
  );
  putImage(rig);
  expectOk(
    await createVm(
      rig,
      1005,
      '--scsi0',
      `vm-files:0,import-from=${IMAGE}`,
      '--ide2',
      'vm-files:cloudinit',
    ),
    'create',
  );
  expectOk(await rig.run('qm', 'snapshot', '1005', 'first'), 'first');
  expectOk(await rig.run('qm', 'snapshot', '1005', 'second'), 'second');
  expectOk(await rig.run('qm', 'rollback', '1005', 'first'), 'rollback past second');
  // A VM with one disk on ZFS is held to the ZFS rule.
  expectOk(await rig.run('qm', 'set', '1005', '--scsi1', `${POOL}:1`), 'zfs disk');
  expectOk(await rig.run('qm', 'snapshot', '1005', 'third'), 'third');
  const past = await rig.run('qm', 'rollback', '1005', 'first');
  assert.match(past.stderr, /'first' is not most recent snapshot/);
});

test.run();
