// A plan says what a re-created guest keeps next to what it destroys: a
// service guest with a zfs volume, an upstream edit re-clones it, and `plan`
// and `plan --json` name the volume the rebuild carries over (with its live
// volume id), while a bind mount (a host path) is not listed. The refusal
// without consent says so too.
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';
import { keptVolumes } from '../../src/backends/kept-volumes.ts';
import type { GuestId } from '../../src/core/ids.ts';

const ID = 953;
const POOL = 'fastData-shared-bulk-data';
const clone = `lxc/${ID}/clone`;

interface Row {
  id: string;
  action: string;
  destroys?: string[];
  keeps?: string[];
  refused?: string;
}

test('keptVolumes: owned storage volumes, mpN then unusedN; no bind mount, no foreign volume', () => {
  const kept = keptVolumes(801 as GuestId, {
    unused0: 'store:subvol-801-disk-3',
    mp1: '/srv/host-data,mp=/data',
    mp0: 'store:subvol-801-disk-1,mp=/models,size=50G',
    mp2: 'store:subvol-900-disk-2,mp=/shared',
    rootfs: 'store:subvol-801-disk-0,size=8G',
    memory: '2048',
  });
  assert.equal(kept, ['mp0 (store:subvol-801-disk-1)', 'unused0 (store:subvol-801-disk-3)']);
});

test('plan and plan --json show what a re-clone keeps beside what it destroys', async () => {
  const rig = Rig.create();
  try {
    rig.editJson('configs/phoenix_lxc_configs.json', (doc: any) => {
      const keep = { '900': doc.lxc_configs['900'], [String(ID)]: doc.lxc_configs[String(ID)] };
      delete keep[String(ID)].dependencies;
      keep[String(ID)].zfs_volumes = [
        { name: 'models', pool: POOL, size_gb: 50, mount_point: '/vllm_models' },
      ];
      doc.lxc_configs = keep;
    });
    rmSync(rig.path('configs/phoenix_vm_configs.json'));
    rmSync(rig.path('configs/phoenix_stacks_config.json'));
    const first = await rig.phx(['build', String(ID)], { env: {} });
    assert.is(first.code, 0, first.stderr);
    const quiet = await rig.phx(['plan', '--json', String(ID)]);
    const before = (JSON.parse(quiet.stdout) as { targets: Row[] }).targets;
    assert.ok(
      before.every((r) => r.keeps === undefined),
      'nothing re-created, nothing to keep: no keeps',
    );

    // Upstream edit: 900's template snapshot is renamed, so 953 is re-cloned.
    rig.editJson('configs/phoenix_lxc_configs.json', (doc: any) => {
      doc.lxc_configs['900'].template_snapshot_name = 'final-form-2';
    });
    const text = await rig.phx(['plan', String(ID)]);
    const volume = new RegExp(`keeps mp0 \\(${POOL}:subvol-${ID}-disk-\\d+\\)`);
    const line = text.stdout.split('\n').find((l) => l.includes('destroys:'));
    assert.ok(line !== undefined, text.stdout);
    assert.match(line, /destroys: rootfs, snapshot:phx-/);
    assert.match(line, volume);

    const json = await rig.phx(['plan', '--json', String(ID)]);
    const rows = (JSON.parse(json.stdout) as { targets: Row[] }).targets;
    const row = rows.find((r) => r.id === clone);
    assert.ok(row, json.stdout);
    assert.ok(row.destroys?.includes('rootfs'), JSON.stringify(row));
    assert.is(row.keeps?.length, 1, JSON.stringify(row));
    assert.match(row.keeps![0]!, new RegExp(`^mp0 \\(${POOL}:subvol-${ID}-disk-\\d+\\)$`));
    assert.ok(
      rows.filter((r) => r.id !== clone).every((r) => r.keeps === undefined),
      'only the re-creating target keeps',
    );

    // Without consent the build refuses, and its message names what survives.
    const build = await rig.phx(['build', String(ID)]);
    assert.is(build.code, 1, build.stderr);
    assert.match(build.stdout + build.stderr, volume);
  } finally {
    rig.cleanup();
  }
});

test.run();
