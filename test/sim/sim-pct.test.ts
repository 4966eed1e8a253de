// pct subcommands on the sim node: what a real node accepts, and each rejection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCt, expectOk, makeSim, TEMPLATE } from './sim-helpers.ts';

test('create, config, set, resize, start, status, list, destroy', async () => {
  const rig = await makeSim();
  expectOk(
    await createCt(
      rig,
      950,
      '--features',
      'nesting=1,keyctl=1',
      '--startup',
      'order=2,up=30',
      '--onboot',
      '1',
    ),
    'create',
  );
  const conf = expectOk(await rig.run('pct', 'config', '950'), 'config').stdout;
  assert.match(conf, /^hostname: ct950$/m);
  assert.match(conf, /^memory: 2048$/m);
  assert.match(conf, /^rootfs: quickOS-lxc-disks:subvol-950-disk-0,size=16G$/m);
  assert.match(conf, /^features: nesting=1,keyctl=1$/m);
  assert.match(conf, /^unprivileged: 1$/m);
  expectOk(
    await rig.run(
      'pct',
      'set',
      '950',
      '--memory',
      '4096',
      '--mp0',
      'quickOS-lxc-disks:10,mp=/data',
      '--delete',
      'onboot',
    ),
    'set',
  );
  const after = (await rig.run('pct', 'config', '950')).stdout;
  assert.match(after, /^memory: 4096$/m);
  assert.match(after, /^mp0: quickOS-lxc-disks:subvol-950-disk-1,mp=\/data,size=10G$/m);
  assert.not.match(after, /^onboot:/m);
  expectOk(await rig.run('pct', 'resize', '950', 'rootfs', '20G'), 'resize');
  expectOk(await rig.run('pct', 'resize', '950', 'rootfs', '+4G'), 'resize +');
  expectOk(await rig.run('pct', 'resize', '950', 'rootfs', '24G'), 'resize to same size');
  assert.match((await rig.run('pct', 'config', '950')).stdout, /size=24G/);
  assert.is((await rig.run('pct', 'status', '950')).stdout, 'status: stopped\n');
  expectOk(await rig.run('pct', 'start', '950'), 'start');
  assert.is((await rig.run('pct', 'status', '950')).stdout, 'status: running\n');
  assert.match((await rig.run('pct', 'list')).stdout, /950\s+running\s+ct950/);
  const d = await rig.run('pct', 'destroy', '950');
  assert.is(d.exitCode, 255);
  assert.is(d.stderr, 'CT 950 is running - destroy failed\n');
  expectOk(await rig.run('pct', 'stop', '950'), 'stop');
  expectOk(await rig.run('pct', 'destroy', '950', '--purge'), 'destroy');
  assert.is(
    (await rig.run('pct', 'status', '950')).stderr,
    "Configuration file 'nodes/localhost/lxc/950.conf' does not exist\n",
  );
});

const rejections: [string, string[], RegExp][] = [
  ['unknown subcommand', ['pct', 'frobnicate', '950'], /^ERROR: unknown command 'pct frobnicate'/],
  [
    'unknown option',
    ['pct', 'create', '950', TEMPLATE, '--cpus', '2'],
    /^Unknown option: cpus\n400 unable to parse option\npct create <vmid> <ostemplate> \[OPTIONS\]/,
  ],
  [
    'vmid below 100',
    ['pct', 'create', '99', TEMPLATE],
    /^400 Parameter verification failed\.\nvmid: value must have a minimum value of 100/,
  ],
  [
    'vmid not a number',
    ['pct', 'status', 'abc'],
    /vmid: type check \('integer'\) failed - got 'abc'/,
  ],
  [
    'memory below 16',
    ['pct', 'create', '950', TEMPLATE, '--memory', '8'],
    /memory: value must have a minimum value of 16/,
  ],
  [
    'cores above 8192',
    ['pct', 'create', '950', TEMPLATE, '--cores', '9000'],
    /cores: value must have a maximum value of 8192/,
  ],
  [
    'negative swap',
    ['pct', 'create', '950', TEMPLATE, '--swap', '-1'],
    /swap: value must have a minimum value of 0/,
  ],
  [
    'bad hostname',
    ['pct', 'create', '950', TEMPLATE, '--hostname', 'bad_name!'],
    /hostname: invalid format - value does not look like a valid DNS name/,
  ],
  [
    'bad storage id',
    ['pct', 'create', '950', TEMPLATE, '--storage', '9bad'],
    /storage: invalid format - storage ID '9bad' contains illegal characters/,
  ],
  [
    'unknown storage',
    ['pct', 'create', '950', TEMPLATE, '--storage', 'tank'],
    /unable to create CT 950 - storage 'tank' does not exist/,
  ],
  [
    'unknown rootfs storage',
    ['pct', 'create', '950', TEMPLATE, '--rootfs', 'tank:8'],
    /rootfs: storage 'tank' does not exist/,
  ],
  [
    'net0 unknown key',
    ['pct', 'create', '950', TEMPLATE, '--net0', 'name=eth0,typo=1'],
    /net0\.typo: property is not defined in schema/,
  ],
  [
    'net0 missing name',
    ['pct', 'create', '950', TEMPLATE, '--net0', 'bridge=vmbr0'],
    /net0\.name: property is missing and it is not optional/,
  ],
  [
    'net0 bad ip',
    ['pct', 'create', '950', TEMPLATE, '--net0', 'name=eth0,ip=10.0.0.300/24'],
    /net0\.ip: invalid format - invalid IPv4 configuration/,
  ],
  [
    'net0 bad mac',
    ['pct', 'create', '950', TEMPLATE, '--net0', 'name=eth0,hwaddr=01:00:00:00:00:01'],
    /net0\.hwaddr: invalid format - value does not look like a valid unicast MAC address/,
  ],
  [
    'features unknown',
    ['pct', 'create', '950', TEMPLATE, '--features', 'nesting=1,gpu=1'],
    /features\.gpu: property is not defined in schema/,
  ],
  [
    'startup malformed',
    ['pct', 'create', '950', TEMPLATE, '--startup', 'order=x'],
    /startup\.order: type check \('integer'\) failed - got 'x'/,
  ],
  [
    'mp without mp=',
    ['pct', 'create', '950', TEMPLATE, '--mp0', 'local-zfs:8'],
    /mp0\.mp: property is missing and it is not optional/,
  ],
  [
    'mp relative path',
    ['pct', 'create', '950', TEMPLATE, '--mp0', 'local-zfs:8,mp=data'],
    /mp0\.mp: invalid format - mount point path 'data' must be absolute/,
  ],
  [
    'unprivileged not boolean',
    ['pct', 'create', '950', TEMPLATE, '--unprivileged', '2'],
    /unprivileged: type check \('boolean'\) failed - got '2'/,
  ],
  [
    'ostype enum',
    ['pct', 'create', '950', TEMPLATE, '--ostype', 'windows'],
    /ostype: value 'windows' does not have a value in the enumeration/,
  ],
  ['missing ostemplate', ['pct', 'create', '950'], /^400 not enough arguments\npct create/],
  ['too many arguments', ['pct', 'status', '950', '951'], /^400 too many arguments/],
  [
    'snapname format',
    ['pct', 'snapshot', '950', '1-bad'],
    /snapname: invalid format - invalid configuration ID '1-bad'/,
  ],
  [
    'snapname too long',
    ['pct', 'snapshot', '950', `a${'b'.repeat(40)}`],
    /snapname: value may only be 40 characters long/,
  ],
  ['resize bad disk', ['pct', 'resize', '950', 'sda', '10G'], /disk: value does not match/],
  [
    'config of missing CT',
    ['pct', 'config', '951'],
    /^Configuration file 'nodes\/localhost\/lxc\/951\.conf' does not exist/,
  ],
  ['start missing CT', ['pct', 'start', '951'], /does not exist/],
  ['unmodelled tool', ['wipefs', '-a', '/dev/sdx'], /command not found on the sim node/],
];

for (const [name, argv, expected] of rejections) {
  test(`rejects: ${name}`, async () => {
    const rig = await makeSim();
    const r = await rig.run(...argv);
    assert.not.equal(r.exitCode, 0, `${argv.join(' ')} was accepted`);
    assert.match(r.stderr, expected);
  });
}

test('rejects on an existing CT: duplicate create, shrink, missing disk, unprivileged change, double start, stop when stopped', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  const dup = await createCt(rig, 950);
  assert.is(dup.stderr, "unable to create CT 950 - CT 950 already exists on node 'localhost'\n");
  assert.is(
    (await rig.run('pct', 'resize', '950', 'rootfs', '8G')).stderr,
    'unable to shrink disk size\n',
  );
  assert.is(
    (await rig.run('pct', 'resize', '950', 'mp3', '8G')).stderr,
    "disk 'mp3' does not exist\n",
  );
  assert.is(
    (await rig.run('pct', 'set', '950', '--unprivileged', '0')).stderr,
    "unable to modify read-only option: 'unprivileged'\n",
  );
  expectOk(await rig.run('pct', 'set', '950', '--unprivileged', '1'), 'set unprivileged unchanged');
  assert.is((await rig.run('pct', 'stop', '950')).stderr, 'CT 950 not running\n');
  expectOk(await rig.run('pct', 'start', '950'), 'start');
  assert.is((await rig.run('pct', 'start', '950')).stderr, 'CT 950 already running\n');
  const d = await rig.run('pct', 'set', '950', '--delete', 'rootfs');
  assert.is(d.stderr, "unable to delete required option 'rootfs'\n");
});

test('set --delete of a storage mount point keeps the volume as unusedN', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--mp0', 'quickOS-lxc-disks:4,mp=/srv/data'), 'create');
  expectOk(await rig.run('pct', 'set', '950', '--delete', 'mp0'), 'delete mp0');
  assert.match(
    (await rig.run('pct', 'config', '950')).stdout,
    /^unused0: quickOS-lxc-disks:subvol-950-disk-1$/m,
  );
});

test('boolean options may stand alone, and --opt=value works', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--onboot', '--cores=4'), 'create');
  const conf = (await rig.run('pct', 'config', '950')).stdout;
  assert.match(conf, /^onboot: 1$/m);
  assert.match(conf, /^cores: 4$/m);
});

test.run();
