// Issue 10, items 3 and 5: the proxmox backend's host operations (zpool,
// zfs, pvesm as argv) against the sim node, which refuses what a real node
// refuses and keeps what was built: a storage on a missing dataset, a
// dataset on a missing pool, a pool on a disk another pool holds, and a
// container on a storage never added.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { OpContext } from '../../src/backends/backend.ts';
import type { HostOps } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { makeSim, TEMPLATE } from '../sim/sim-helpers.ts';

function ctx(): OpContext {
  return {
    target: 'host/zfs-pool/tank' as TargetId,
    targetKind: 'create',
    log: () => undefined,
    commands: [],
    signal: new AbortController().signal,
  };
}

async function rig() {
  const s = await makeSim({ pools: {}, bare: true });
  const host = new ProxmoxBackend({ runner: s.sim, kind: 'sim' }).hostOps();
  return { ...s, host };
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    return (e as OpError).message;
  }
  assert.unreachable('expected the sim node to refuse');
  return '';
}

const tank = { name: 'tank', layout: 'mirror', disks: ['/dev/sdb', '/dev/sdc'] };
const data = { path: 'tank/data', properties: { recordsize: '16K', compression: 'lz4' } };
const store = {
  id: 'tank-data',
  type: 'zfspool' as const,
  target: 'tank/data',
  content: 'images,rootdir',
};

async function buildAll(host: HostOps): Promise<void> {
  await host.createPool(tank, ctx());
  await host.createDataset(data, ctx());
  await host.addStorage(store, ctx());
}

test('an empty node lists nothing; zfs list names pools and datasets once built', async () => {
  const r = await rig();
  assert.is((await r.run('zfs', 'list', '-H', '-o', 'name')).stdout, '');
  await buildAll(r.host);
  assert.is((await r.run('zfs', 'list', '-H', '-o', 'name')).stdout, 'tank\ntank/data\n');
  assert.is((await r.run('zpool', 'list', '-H', '-o', 'name')).stdout, 'tank\n');
});

test('pool → dataset → storage: built in order, each seen as existing afterwards', async () => {
  const { host } = await rig();
  assert.is(await host.poolExists('tank', ctx()), false);
  assert.is(await host.datasetExists('tank/data', ctx()), false);
  assert.is(await host.storageExists('tank-data', ctx()), false);
  const c = ctx();
  await host.createPool(tank, c);
  assert.equal(c.commands, [
    [
      'zpool',
      'create',
      '-o',
      'autotrim=on',
      '-O',
      'compression=lz4',
      '-O',
      'atime=off',
      'tank',
      'mirror',
      '/dev/sdb',
      '/dev/sdc',
    ],
  ]);
  await host.createDataset(data, ctx());
  await host.addStorage(store, ctx());
  assert.is(await host.poolExists('tank', ctx()), true);
  assert.is(await host.datasetExists('tank/data', ctx()), true);
  assert.is(await host.storageExists('tank-data', ctx()), true);
  const set = ctx();
  await host.setProperties({ path: 'tank/data', properties: { quota: '10G' } }, set);
  // The two properties phx set at creation and no longer declares are inherited again.
  assert.equal(set.commands, [
    ['zfs', 'get', '-H', '-o', 'value', 'phx:managed', 'tank/data'],
    ['zfs', 'inherit', 'compression', 'tank/data'],
    ['zfs', 'inherit', 'recordsize', 'tank/data'],
    ['zfs', 'set', 'quota=10G', 'phx:managed=quota', 'tank/data'],
  ]);
});

test('the sim refuses a dataset on a missing pool, a storage on a missing dataset, a second pool on a held disk', async () => {
  const { host } = await rig();
  assert.match(await failure(host.createDataset(data, ctx())), "no such pool 'tank'");
  assert.match(
    await failure(host.addStorage(store, ctx())),
    "cannot open 'tank/data': dataset does not exist",
  );
  await host.createPool(tank, ctx());
  assert.match(
    await failure(host.createPool({ name: 'other', layout: 'single', disks: ['/dev/sdc'] }, ctx())),
    "/dev/sdc is part of active pool 'tank'",
  );
  assert.match(await failure(host.createPool(tank, ctx())), 'pool already exists');
  assert.match(
    await failure(host.addStorage({ ...store, type: 'dir', target: '/tank/data' }, ctx())),
    "directory '/tank/data' does not exist",
  );
  assert.match(await failure(host.setStorage(store, ctx())), "storage 'tank-data' does not exist");
});

test('a container on a storage never added is refused; once pvesm added it, pct create accepts it', async () => {
  const r = await rig();
  const host = r.host;
  const create = () =>
    r.run(
      'pct',
      'create',
      '990',
      TEMPLATE,
      '--hostname',
      'a',
      '--storage',
      'tank-data',
      '--rootfs',
      'tank-data:4',
    );
  const refused = await create();
  assert.is.not(refused.exitCode, 0);
  assert.match(refused.stderr, "storage 'tank-data' does not exist");
  await buildAll(host);
  const accepted = await create();
  assert.is(accepted.exitCode, 0, accepted.stderr);
});

test('what was built persists in the sim state folder: a new runner on it sees it', async () => {
  const first = await rig();
  await buildAll(first.host);
  const again = new ProxmoxBackend({
    runner: new SimRunner(first.sim.options),
    kind: 'sim',
  }).hostOps();
  assert.is(await again.storageExists('tank-data', ctx()), true);
  assert.is(await again.datasetExists('tank/data', ctx()), true);
});

test.run();
