// Snapshots, rollback (ZFS: newest only), clone, and the pvesh views of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCt, expectOk, makeSim } from './sim-helpers.ts';

test('snapshot, duplicate rejected, listsnapshot and pvesh show the chain', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  expectOk(
    await rig.run(
      'pct',
      'snapshot',
      '950',
      'phx-aaaaaaaaaaaa',
      '--description',
      'phx:aaaa lxc/950/create',
    ),
    'snap 1',
  );
  expectOk(await rig.run('pct', 'snapshot', '950', 'final-form'), 'snap 2');
  assert.is(
    (await rig.run('pct', 'snapshot', '950', 'final-form')).stderr,
    "snapshot name 'final-form' already used\n",
  );
  const tree = (await rig.run('pct', 'listsnapshot', '950')).stdout;
  assert.match(
    tree,
    /`-> phx-aaaaaaaaaaaa[^\n]*phx:aaaa lxc\/950\/create\n\s+`-> final-form[^\n]*\n\s+`-> current\s+You are here!/,
  );
  const json = JSON.parse(
    (await rig.run('pvesh', 'get', '/nodes/localhost/lxc/950/snapshot', '--output-format', 'json'))
      .stdout,
  ) as Record<string, unknown>[];
  assert.is(json.length, 3);
  assert.equal(json[0], {
    name: 'phx-aaaaaaaaaaaa',
    description: 'phx:aaaa lxc/950/create',
    snaptime: json[0]!.snaptime,
  });
  assert.is(json[1]!.parent, 'phx-aaaaaaaaaaaa');
  assert.equal(json[2], {
    name: 'current',
    description: 'You are here!',
    running: 0,
    parent: 'final-form',
  });
  assert.match((await rig.run('pct', 'config', '950')).stdout, /^parent: final-form$/m);
});

test('rollback only to the most recent snapshot; restores config; delsnapshot re-parents', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  expectOk(await rig.run('pct', 'snapshot', '950', 'layer1'), 'snap');
  expectOk(await rig.run('pct', 'set', '950', '--memory', '8192'), 'set');
  expectOk(await rig.run('pct', 'snapshot', '950', 'layer2'), 'snap');
  expectOk(await rig.run('pct', 'set', '950', '--memory', '1024'), 'set');
  const bad = await rig.run('pct', 'rollback', '950', 'layer1');
  assert.is(bad.exitCode, 255);
  assert.is(bad.stderr, "can't rollback, 'layer1' is not most recent snapshot\n");
  assert.is(
    (await rig.run('pct', 'rollback', '950', 'nope')).stderr,
    "snapshot 'nope' does not exist\n",
  );
  expectOk(await rig.run('pct', 'rollback', '950', 'layer2'), 'rollback newest');
  assert.match((await rig.run('pct', 'config', '950')).stdout, /^memory: 8192$/m);
  expectOk(await rig.run('pct', 'delsnapshot', '950', 'layer2'), 'delsnapshot');
  assert.is(
    (await rig.run('pct', 'delsnapshot', '950', 'layer2')).stderr,
    "snapshot 'layer2' does not exist\n",
  );
  assert.match((await rig.run('pct', 'config', '950')).stdout, /^parent: layer1$/m);
  expectOk(await rig.run('pct', 'rollback', '950', 'layer1'), 'rollback to layer1, now newest');
  assert.match((await rig.run('pct', 'config', '950')).stdout, /^memory: 2048$/m);
});

test('rollback stops a running CT unless --start', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--start', '1'), 'create');
  expectOk(await rig.run('pct', 'snapshot', '950', 's1'), 'snap');
  expectOk(await rig.run('pct', 'rollback', '950', 's1'), 'rollback');
  assert.is((await rig.run('pct', 'status', '950')).stdout, 'status: stopped\n');
  expectOk(await rig.run('pct', 'rollback', '950', 's1', '--start', '1'), 'rollback --start');
  assert.is((await rig.run('pct', 'status', '950')).stdout, 'status: running\n');
});

test('clone from a snapshot: config copied, volumes new, hostname set; rejections', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 900, '--mp0', 'quickOS-lxc-disks:4,mp=/srv'), 'create');
  expectOk(await rig.run('pct', 'snapshot', '900', 'final-form'), 'snap');
  expectOk(await rig.run('pct', 'set', '900', '--memory', '999'), 'set after snapshot');
  expectOk(
    await rig.run(
      'pct',
      'clone',
      '900',
      '950',
      '--snapname',
      'final-form',
      '--hostname',
      'clone950',
      '--storage',
      'quickOS-lxc-disks',
      '--full',
      '1',
    ),
    'clone',
  );
  const conf = (await rig.run('pct', 'config', '950')).stdout;
  assert.match(conf, /^hostname: clone950$/m);
  assert.match(conf, /^memory: 2048$/m);
  assert.match(conf, /^rootfs: quickOS-lxc-disks:subvol-950-disk-0,size=16G$/m);
  assert.match(conf, /^mp0: quickOS-lxc-disks:subvol-950-disk-1,mp=\/srv,size=4G$/m);
  assert.not.match(conf, /^parent:/m);
  assert.is(
    (await rig.run('pct', 'clone', '900', '951', '--snapname', 'missing')).stderr,
    "snapshot 'missing' does not exist\n",
  );
  assert.is(
    (await rig.run('pct', 'clone', '901', '951', '--snapname', 'final-form')).stderr,
    "Configuration file 'nodes/localhost/lxc/901.conf' does not exist\n",
  );
  assert.is(
    (await rig.run('pct', 'clone', '900', '950', '--snapname', 'final-form')).stderr,
    "CT 950 already exists on node 'localhost'\n",
  );
  assert.is(
    (await rig.run('pct', 'clone', '900', '951', '--storage', 'tank')).stderr,
    "storage 'tank' does not exist\n",
  );
  assert.is(
    (await rig.run('pct', 'clone', '900', '951', '--full', '0')).stderr,
    'clone_image only works on base images\n',
  );
  // The failed clones left no lock behind on the source.
  assert.not.match((await rig.run('pct', 'config', '900')).stdout, /^lock:/m);
  // Proxmox allows destroying a full-clone source.
  expectOk(await rig.run('pct', 'destroy', '900'), 'destroy source');
});

test('pvesh lists CTs; unknown node and unmodelled paths rejected', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  const list = JSON.parse(
    (await rig.run('pvesh', 'get', '/nodes/localhost/lxc', '--output-format=json')).stdout,
  ) as Record<string, unknown>[];
  assert.is(list.length, 1);
  assert.is(list[0]!.vmid, 950);
  assert.is(list[0]!.name, 'ct950');
  assert.is(list[0]!.status, 'stopped');
  assert.match(
    (await rig.run('pvesh', 'get', '/nodes/other/lxc', '--output-format', 'json')).stderr,
    /hostname lookup 'other' failed/,
  );
  assert.is(
    (await rig.run('pvesh', 'get', '/cluster/resources', '--output-format', 'json')).exitCode,
    255,
  );
});

test.run();
