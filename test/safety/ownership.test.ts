// phx never destroys what is not its own (DESIGN §8), on the sim through the
// real binary: a hand-made CT survives `build --all` with a full cache and an
// empty one; a lost cache is re-derived from the host, not read as "nothing";
// a guest built the bash way is taken over with `phx adopt`; a service guest
// is re-cloned only with consent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { Rig } from '../helpers/rig.ts';
import { expectCode, simRun, simSnapshots } from '../lifecycle/helpers.ts';
import { buildStorages } from '../helpers/sim-storage.ts';

/** The node as the bash setup left it: its storage ids made (the sim has only what was built). */
const bashStorages = (rig: Rig) => buildStorages((argv) => simRun(rig, ...argv));

const template = '/fastData/shared-iso/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst';

async function handMade(rig: Rig, id: string): Promise<void> {
  await bashStorages(rig);
  const made = await simRun(
    rig,
    'pct',
    'create',
    id,
    template,
    '--hostname',
    'handmade',
    '--storage',
    'quickOS-lxc-disks',
    '--rootfs',
    'quickOS-lxc-disks:8',
  );
  assert.is(made.exitCode, 0, made.stderr);
  const snap = await simRun(rig, 'pct', 'snapshot', id, 'my-backup');
  assert.is(snap.exitCode, 0, snap.stderr);
}

function destroyed(rig: Rig, id: string): boolean {
  return rig
    .journal()
    .some((e: { op: string; argv?: string[] }) => e.argv?.[1] === 'destroy' && e.argv[2] === id);
}

test('a hand-made CT survives build --all, with a full cache and an empty one', async () => {
  const rig = Rig.create();
  try {
    await handMade(rig, '102');
    const plan = await rig.phx(['plan', '102']);
    assert.match(plan.stdout, /! +lxc\/102\/clone/);
    assert.match(plan.stdout, /phx did not make it .*phx adopt 102/);
    const first = await rig.phx(['build', '--all']);
    expectCode(first, 1, 'build --all with a foreign 102');
    assert.match(
      first.stderr,
      /refused .*\n {2}lxc\/102\/clone \(\+\d+ more\): guest 102 exists and phx did not make it/,
    );
    // Everything independent of 102 was built.
    expectCode(await rig.phx(['plan', '--detailed-exitcode', '953']), 0, 'plan 953');
    rmSync(rig.path('.phoenix-cache'), { recursive: true, force: true });
    const second = await rig.phx(['build', '--all']);
    expectCode(second, 1, 'build --all with an empty cache');
    assert.match(second.stderr, /re-derived them from the snapshot descriptions/);
    assert.not.ok(destroyed(rig, '102'), 'pct destroy 102 was run');
    assert.ok((await simSnapshots(rig, '102')).includes('my-backup'));
    // The re-derived records make the rest a no-op: nothing of ours was rebuilt.
    const plan2 = await rig.planJson(['953']);
    assert.is(
      plan2.json.summary.build,
      0,
      JSON.stringify(plan2.json.targets.filter((t) => t.action === 'build')),
    );
  } finally {
    rig.cleanup();
  }
});

test('a guest made by another workspace is foreign too', async () => {
  const a = Rig.create();
  try {
    expectCode(await a.phx(['build', '900', '--quiet']), 0, 'build 900');
    rmSync(a.path('.phx-workspace'));
    rmSync(a.path('.phoenix-cache'), { recursive: true, force: true });
    const r = await a.phx(['build', '900']);
    expectCode(r, 1, 'build 900 from another workspace');
    assert.match(r.stderr, /belongs to another phx workspace/);
    assert.not.ok(destroyed(a, '900'));
  } finally {
    a.cleanup();
  }
});

test('phx adopt takes over a guest built the bash way; what matches plans a no-op', async () => {
  const rig = Rig.create();
  try {
    // As the bash lxc-manager did: pct create with the entry's name and storage.
    await bashStorages(rig);
    const made = await simRun(
      rig,
      'pct',
      'create',
      '900',
      template,
      '--hostname',
      'Template-Base',
      '--storage',
      'quickOS-lxc-disks',
      '--rootfs',
      'quickOS-lxc-disks:16',
      '--unprivileged',
      '1',
    );
    assert.is(made.exitCode, 0, made.stderr);
    expectCode(await rig.phx(['build', '900', '--quiet']), 1, 'build before adopt');
    assert.not.ok(destroyed(rig, '900'));
    const adopt = await rig.phx(['adopt', '900']);
    expectCode(adopt, 0, 'adopt 900');
    assert.match(adopt.stderr, /adopted 900: marked as this workspace's; recorded 2 target\(s\)/);
    const plan = await rig.planJson(['900']);
    const building = plan.json.targets.filter((t) => t.action === 'build').map((t) => t.id);
    // The layers match as they stand; settings that drifted and the never-taken
    // template snapshot are what remains.
    assert.not.ok(building.includes('lxc/900/create'), building.join(' '));
    assert.not.ok(building.includes('lxc/900/feature/base_setup'), building.join(' '));
    expectCode(await rig.phx(['build', '900', '--quiet']), 0, 'build after adopt');
    assert.not.ok(destroyed(rig, '900'));
    expectCode(await rig.phx(['plan', '900', '--detailed-exitcode']), 0, 'no-op after');
  } finally {
    rig.cleanup();
  }
});

test('a template snapshot the bash scripts took is kept: the build stops there and names it', async () => {
  const rig = Rig.create();
  try {
    await bashStorages(rig);
    const made = await simRun(
      rig,
      'pct',
      'create',
      '900',
      template,
      '--hostname',
      'Template-Base',
      '--storage',
      'quickOS-lxc-disks',
      '--rootfs',
      'quickOS-lxc-disks:16',
      '--unprivileged',
      '1',
    );
    assert.is(made.exitCode, 0, made.stderr);
    assert.is((await simRun(rig, 'pct', 'snapshot', '900', 'final-form')).exitCode, 0);
    expectCode(await rig.phx(['adopt', '900']), 0, 'adopt 900');
    const r = await rig.phx(['build', '900']);
    expectCode(r, 1, 'build 900 over a foreign final-form');
    assert.match(r.stderr, /already has a snapshot 'final-form' that phx did not take/);
    assert.ok((await simSnapshots(rig, '900')).includes('final-form'));
    const deleted = rig
      .journal()
      .some(
        (e: { argv?: string[] }) => e.argv?.[1] === 'delsnapshot' && e.argv[3] === 'final-form',
      );
    assert.not.ok(deleted, 'final-form was deleted');
  } finally {
    rig.cleanup();
  }
});

test('an upstream edit under a service guest destroys nothing without consent', async () => {
  const rig = Rig.create();
  try {
    expectCode(await rig.phx(['build', '--all', '--quiet']), 0, 'build --all');
    rig.append('features/base_setup/install.sh', '# edit\n');
    const plan = await rig.planJson();
    const clone = plan.json.targets.find((t) => t.id === 'lxc/953/clone') as unknown as {
      destroys: string[];
      refused: string;
    };
    assert.ok(clone.destroys.includes('rootfs'), JSON.stringify(clone));
    assert.match(clone.refused, /--replace 953/);
    const text = await rig.phx(['plan']);
    assert.match(text.stdout, /-\/\+ +lxc\/900\/create|~ +lxc\/900/);
    const before = rig.journal().length;
    const r = await rig.phx(['build', '--all']);
    expectCode(r, 1, 'build without consent');
    const destroys = rig
      .journal()
      .slice(before)
      .filter((e: any) => e.argv?.[1] === 'destroy')
      .map((e: any) => e.argv[2]);
    for (const service of ['953', '103', '101', '102'])
      assert.not.ok(destroys.includes(service), `${service} destroyed`);
    assert.match(r.stderr, /--replace 953 or --yes/);
    const typo = await rig.phx(['build', '--all', '--replace', '95']);
    expectCode(typo, 1, 'a --replace id that is no guest');
    assert.match(typo.stderr, /--replace 95: not a CTID or VMID in the configs/);
    // Templates rebuilt freely meanwhile.
    const p2 = await rig.planJson(['900']);
    assert.is(p2.json.summary.build, 0);
    // --replace consents for one guest: 953 is re-cloned, the other services still wait.
    const mark = rig.journal().length;
    const one = await rig.phx(['build', '--all', '--quiet', '--replace', '953']);
    expectCode(one, 1, 'build with --replace 953');
    const now = rig
      .journal()
      .slice(mark)
      .filter((e: any) => e.argv?.[1] === 'destroy')
      .map((e: any) => e.argv[2]);
    assert.ok(now.includes('953'), now.join(' '));
    for (const service of ['103', '101', '102', '950', '955']) assert.not.ok(now.includes(service));
    expectCode(await rig.phx(['build', '--all', '--quiet', '--yes']), 0, 'build --yes');
    expectCode(await rig.phx(['plan', '--detailed-exitcode']), 0, 'no-op after');
  } finally {
    rig.cleanup();
  }
});

test.run();
