// A recorded host target whose output was removed from the node by hand (a
// storage id `pvesm remove`d, a dataset destroyed) plans as a build with
// "is gone from the host", on the full planner and on the no-op fast path
// alike: the cache never vouches for what the host no longer holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { Rig, built, toBuild } from '../helpers/rig.ts';

interface SimHost {
  datasets: Record<string, Record<string, string>>;
  storages: Record<string, unknown>;
}

const hostFile = '.phoenix-sim/host.json';

/** What `pvesm remove ID` does to the node, done behind phx's back. */
function removeStorage(rig: Rig, id: string): void {
  const state = JSON.parse(readFileSync(rig.path(hostFile), 'utf8')) as SimHost;
  assert.ok(state.storages[id] !== undefined, `${id} was built`);
  const storages = Object.fromEntries(Object.entries(state.storages).filter(([k]) => k !== id));
  writeFileSync(rig.path(hostFile), JSON.stringify({ ...state, storages }));
}

test('a storage id removed by hand plans as a build of that storage only, and the build puts it back', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all', '--quiet'])).code, 0);
    // The no-op fast path has recorded its summary: it must notice too.
    const quiet = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(quiet.code, 0, quiet.stdout + quiet.stderr);

    removeStorage(rig, 'quickOS-lxc-disks');
    const fast = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(fast.code, 2, fast.stdout + fast.stderr);
    assert.match(fast.stdout, /host\/storage\/quickOS-lxc-disks/);
    assert.match(fast.stdout, /is gone from the host/);

    const plan = await rig.planJson();
    assert.equal(toBuild(plan.json), ['host/storage/quickOS-lxc-disks']);
    const reasons = plan.json.targets.find((t) => t.id === 'host/storage/quickOS-lxc-disks')!
      .reasons as { kind: string }[];
    assert.equal(
      reasons.map((r) => r.kind),
      ['output-missing'],
    );

    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(built(r.json), ['host/storage/quickOS-lxc-disks']);
    const again = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('plan --offline trusts the records: it asks the host nothing', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all', '--quiet'])).code, 0);
    removeStorage(rig, 'quickOS-lxc-disks');
    const offline = await rig.phx(['plan', '--offline', '--detailed-exitcode']);
    assert.is(offline.code, 0, offline.stdout + offline.stderr);
  } finally {
    rig.cleanup();
  }
});

test.run();
