// Issue 10: the host's ZFS pools, datasets and storage ids as targets,
// through the real CLI on the sim node (test/helpers/rig.ts). The sim starts
// with the example configs' pools (node.ts defaultPools) and no datasets or
// storage ids but Proxmox's own `local`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Rig, built, repoRoot, toBuild } from '../helpers/rig.ts';

const host = 'configs/phoenix_hypervisor_config.json';
const lxc = 'configs/phoenix_lxc_configs.json';

interface Dataset {
  name: string;
  pool: string;
  properties?: unknown;
  proxmox_storage_type?: string;
  proxmox_content_type?: string;
}

interface HostDoc {
  zfs: { pools: { name: string; raid_level: string; disks: string[] }[]; datasets: Dataset[] };
}

interface LxcDoc {
  lxc_configs: Record<string, Record<string, unknown>>;
}

interface SimHost {
  datasets: Record<string, Record<string, string>>;
  storages: Record<string, { type: string; target: string; content: string }>;
}

const simHost = (rig: Rig): SimHost =>
  JSON.parse(readFileSync(rig.path('.phoenix-sim/host.json'), 'utf8')) as SimHost;

test('plan --all lists the host targets first; build --all brings up host and containers; the next plan is a no-op', async () => {
  const rig = Rig.create();
  try {
    const plan = await rig.planJson();
    const ids = plan.json.targets.map((t) => t.id);
    const firstGuest = ids.findIndex((id) => !id.startsWith('host/'));
    assert.ok(firstGuest > 0, 'host targets come first');
    // All but the host's trust of the CA, which waits for 103's app (host-setup.ts).
    assert.ok(
      ids
        .slice(firstGuest)
        .every((id) => !id.startsWith('host/') || id === 'host/ca-trust/step-ca'),
      ids.join(' '),
    );
    const hostIds = ids.slice(0, firstGuest);
    assert.ok(hostIds.includes('host/zfs-pool/quickOS'));
    assert.ok(hostIds.includes('host/zfs-dataset/quickOS/lxc-disks'));
    assert.ok(hostIds.includes('host/storage/quickOS-lxc-disks'));
    // A pool before its datasets, a dataset before its storage.
    assert.ok(
      hostIds.indexOf('host/zfs-pool/quickOS') <
        hostIds.indexOf('host/zfs-dataset/quickOS/lxc-disks'),
    );
    assert.ok(
      hostIds.indexOf('host/zfs-dataset/quickOS/lxc-disks') <
        hostIds.indexOf('host/storage/quickOS-lxc-disks'),
    );

    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr);
    const done = built(r.json);
    for (const id of hostIds) assert.ok(done.includes(id), `${id} built`);
    const pool = r.json.targets.find((t) => t.id === 'host/zfs-pool/quickOS')!;
    // The pool existed on the node: adopted, no zpool create.
    assert.equal(pool.commands, [['zpool', 'list', '-H', '-o', 'name', 'quickOS']]);
    const sim = simHost(rig);
    assert.equal(sim.storages['quickOS-lxc-disks'], {
      type: 'zfspool',
      target: 'quickOS/lxc-disks',
      content: 'images,rootdir',
    });
    assert.is(sim.datasets['quickOS/lxc-disks']!.recordsize, '16K');

    const again = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Nothing to build/);
  } finally {
    rig.cleanup();
  }
});

test("editing one dataset's properties re-applies only that dataset", async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all', '--quiet'])).code, 0);
    rig.editJson(host, (d: HostDoc) => {
      const ds = d.zfs.datasets.find((x) => x.name === 'lxc-disks')!;
      ds.properties = 'recordsize=16K,compression=zstd,sync=standard,quota=600G';
    });
    const plan = await rig.planJson();
    assert.equal(toBuild(plan.json), ['host/zfs-dataset/quickOS/lxc-disks']);
    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(built(r.json), ['host/zfs-dataset/quickOS/lxc-disks']);
    const t = r.json.targets.find((x) => x.id === 'host/zfs-dataset/quickOS/lxc-disks')!;
    assert.equal(t.commands.at(-1), [
      'zfs',
      'set',
      'recordsize=16K',
      'compression=zstd',
      'sync=standard',
      'quota=600G',
      'phx:managed=compression,quota,recordsize,sync',
      'quickOS/lxc-disks',
    ]);
    assert.is(simHost(rig).datasets['quickOS/lxc-disks']!.compression, 'zstd');
  } finally {
    rig.cleanup();
  }
});

test('a new storage that a new container mounts: the storage (on its dataset) builds, then the container', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '953', '--quiet'])).code, 0);
    rig.editJson(host, (d: HostDoc) => {
      d.zfs.datasets.push({
        name: 'scratch',
        pool: 'fastData',
        properties: { recordsize: '1M' },
        proxmox_storage_type: 'zfspool',
        proxmox_content_type: 'images,rootdir',
      });
    });
    rig.editJson(lxc, (d: LxcDoc) => {
      const base = d.lxc_configs['900']!;
      const entry: Record<string, unknown> = {
        ...base,
        name: 'scratch',
        storage_pool: 'fastData-scratch',
        network_config: { ...(base.network_config as object), ip: '10.0.0.199/24' },
        mac_address: '52:54:00:AA:BB:F9',
      };
      delete entry.template_snapshot_name;
      d.lxc_configs['960'] = entry;
    });
    const r = await rig.buildJson(['960']);
    assert.is(r.code, 0, r.stderr);
    const order = r.json.targets.filter((t) => t.action === 'built').map((t) => t.id);
    const at = (id: string) => order.indexOf(id);
    assert.ok(at('host/zfs-dataset/fastData/scratch') >= 0, order.join(' '));
    assert.ok(at('host/zfs-dataset/fastData/scratch') < at('host/storage/fastData-scratch'));
    assert.ok(at('host/storage/fastData-scratch') < at('lxc/960/create'), order.join(' '));
    const create = r.json.targets.find((t) => t.id === 'lxc/960/create')!;
    assert.ok(create.commands.some((c) => c.some((w) => w.startsWith('fastData-scratch:'))));
  } finally {
    rig.cleanup();
  }
});

test('a plan that would create a pool is refused without --allow-destructive, saying why; with it the pool is made', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(host, (d: HostDoc) => {
      d.zfs.pools.push({ name: 'tank', raid_level: 'mirror', disks: ['/dev/sdx', '/dev/sdy'] });
      d.zfs.datasets.push({
        name: 'data',
        pool: 'tank',
        properties: 'compression=lz4',
        proxmox_storage_type: 'dir',
        proxmox_content_type: 'backup',
      });
    });
    const plan = await rig.phx(['plan', 'host/storage/tank-data']);
    assert.match(plan.stdout, /host\/zfs-pool\/tank/);
    assert.match(
      plan.stdout,
      /destroys: disk:\/dev\/sdx, disk:\/dev\/sdy, unless pool tank exists/,
    );
    const refused = await rig.phx(['build', 'host/storage/tank-data']);
    assert.is(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout + refused.stderr,
      /creating pool tank destroys what its disks hold \(\/dev\/sdx, \/dev\/sdy\); re-run with --allow-destructive tank/,
    );
    assert.not.ok(
      existsSync(rig.path('.phoenix-sim/host.json')) &&
        Object.hasOwn(simHost(rig).storages, 'tank-data'),
    );
    const allowed = await rig.buildJson(['host/storage/tank-data', '--allow-destructive', 'tank']);
    assert.is(allowed.code, 0, allowed.stderr);
    const pool = allowed.json.targets.find((t) => t.id === 'host/zfs-pool/tank')!;
    assert.equal(pool.commands.at(-1), [
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
      '/dev/sdx',
      '/dev/sdy',
    ]);
    assert.equal(simHost(rig).storages['tank-data'], {
      type: 'dir',
      target: '/tank/data',
      content: 'backup',
    });
  } finally {
    rig.cleanup();
  }
});

test('the sim refuses a container on a storage that was never built', () => {
  const rig = Rig.create();
  try {
    const sim = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx-sim.js'), ...args], {
        cwd: rig.dir,
        env: rig.env(),
        encoding: 'utf8',
      });
    const create = sim(
      'pct',
      'create',
      '970',
      'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
      '--storage',
      'quickOS-shared-prod-data',
      '--rootfs',
      'quickOS-shared-prod-data:8',
    );
    assert.is.not(create.status, 0);
    assert.match(create.stderr, "storage 'quickOS-shared-prod-data' does not exist");
  } finally {
    rig.cleanup();
  }
});

test.run();
