// Item 8.6: only phx's own layer snapshots are ever deleted. A resume that
// would have to roll back past a snapshot phx did not make stops for that
// guest with a message naming it, and the snapshot stays (the sim node
// models ZFS, which rolls back only to the newest snapshot).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isPhxLayerSnapshot } from '../../rules/snapshot-ownership.ts';
import { builtRig, expectCode, simRun } from '../lifecycle/helpers.ts';

const fp = 'a1b2c3d4e5f60718';

test('a phx layer snapshot carries both marks: name and description', () => {
  const own = { name: 'phx-a1b2c3d4e5f6', description: `phx:${fp} lxc/103/feature/base_setup` };
  assert.ok(isPhxLayerSnapshot(own));
  assert.not.ok(isPhxLayerSnapshot({ name: 'userkeep', description: own.description }));
  assert.not.ok(isPhxLayerSnapshot({ name: 'phx-a1b2c3d4e5f6', description: 'before upgrade' }));
  assert.not.ok(isPhxLayerSnapshot({ name: 'phx-before-upgr', description: own.description }));
  assert.not.ok(
    isPhxLayerSnapshot({
      name: 'phx-ffffffffffff',
      description: `phx:${fp} lxc/103/feature/base_setup`,
    }),
    'the description names another fingerprint',
  );
});

async function snapshotsOf(rig: Parameters<typeof simRun>[0], id: number): Promise<string> {
  const r = await simRun(rig, 'pct', 'listsnapshot', String(id));
  assert.is(r.exitCode, 0, r.stderr);
  return r.stdout;
}

test('a resume past a hand-made snapshot stops for that guest and keeps the snapshot', async () => {
  const rig = await builtRig(['103', '953']);
  try {
    const made = await simRun(rig, 'pct', 'snapshot', '103', 'userkeep', '--description', 'mine');
    assert.is(made.exitCode, 0, made.stderr);
    // A phx-looking name without phx's description is not phx's either.
    const lookalike = await simRun(rig, 'pct', 'snapshot', '953', 'phx-0123456789ab');
    assert.is(lookalike.exitCode, 0, lookalike.stderr);
    const before103 = await snapshotsOf(rig, 103);
    // step_ca is 103's last feature and nginx 953's: each resumes from the layer below.
    rig.append('features/step_ca/install.sh', '\n# edited\n');
    rig.append('features/nginx/install.sh', '\n# edited\n');
    const r = await rig.buildJson(['103', '953', '--keep-going']);
    expectCode(r, 1, 'build 103 953');
    const failed = r.json.targets.filter((t) => t.action === 'failed').map((t) => t.id);
    assert.equal(failed.sort(), ['lxc/103/settings', 'lxc/953/settings']);
    const err103 = (r.json.targets.find((t) => t.id === 'lxc/103/settings') as { error?: string })
      .error;
    assert.match(err103 ?? '', /CT 103: cannot resume from phx-[0-9a-f]{12}: snapshot 'userkeep'/);
    assert.match(err103 ?? '', /phx never deletes a snapshot it did not make/);
    assert.match(err103 ?? '', /pct delsnapshot 103 userkeep/);
    const deleted = r.json.targets.flatMap((t) =>
      t.commands.filter((c) => c[0] === 'pct' && c[1] === 'delsnapshot'),
    );
    for (const c of deleted) assert.match(c[3] ?? '', /^phx-[0-9a-f]{12}$/);
    assert.not.ok(
      deleted.some((c) => c[3] === 'userkeep' || c[3] === 'phx-0123456789ab'),
      JSON.stringify(deleted),
    );
    const after103 = await snapshotsOf(rig, 103);
    assert.match(after103, /userkeep/);
    assert.match(await snapshotsOf(rig, 953), /phx-0123456789ab/);
    assert.ok(before103.includes('userkeep'));
  } finally {
    rig.cleanup();
  }
});

test('with the hand-made snapshot gone, the same build resumes and succeeds', async () => {
  const rig = await builtRig(['103']);
  try {
    assert.is((await simRun(rig, 'pct', 'snapshot', '103', 'userkeep')).exitCode, 0);
    rig.append('features/step_ca/install.sh', '\n# edited\n');
    expectCode(await rig.phx(['build', '103']), 1, 'blocked by userkeep');
    // What the message tells the user to do.
    assert.is((await simRun(rig, 'pct', 'delsnapshot', '103', 'userkeep')).exitCode, 0);
    const r = await rig.buildJson(['103']);
    expectCode(r, 0, 'build 103 after delsnapshot');
    assert.ok(
      r.json.targets.some((t) => t.id === 'lxc/103/feature/step_ca' && t.action === 'built'),
    );
  } finally {
    rig.cleanup();
  }
});

test.run();
