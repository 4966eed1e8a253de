// The engine's promises, proved on the example configs through the real
// binary and the sim node: no-op rebuilds, settings-only edits, feature edits
// that rebuild exactly the layers above and the clones below, template
// rebuilds, start-order dependencies that never build anything.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, built, toBuild, type BuildJson } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

async function freshBuild(rig: Rig): Promise<BuildJson> {
  const r = await rig.buildJson(['--all']);
  assert.is(r.code, 0, r.stderr);
  return r.json;
}

function allOf(json: BuildJson, entries: string[]): string[] {
  return json.targets
    .filter((t) => entries.includes(t.entry))
    .map((t) => t.id)
    .sort();
}

const commandsOf = (json: BuildJson) =>
  json.targets.flatMap((t) => t.commands.map((c) => c.join(' ')));

test('a second build does nothing, and plan --detailed-exitcode says so', async () => {
  const rig = Rig.create();
  try {
    const first = await freshBuild(rig);
    assert.ok(built(first).length > 40, `first build built ${built(first).length}`);
    const second = await rig.buildJson(['--all']);
    assert.is(second.code, 0);
    assert.equal(built(second.json), []);
    const plan = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(plan.code, 0, plan.stdout);
    // And an edit makes --detailed-exitcode exit 2.
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].cores = 3));
    assert.is((await rig.phx(['plan', '--detailed-exitcode'])).code, 2);
  } finally {
    rig.cleanup();
  }
});

test('a memory_mb edit re-runs only settings, with pct set and no rebuild', async () => {
  const rig = Rig.create();
  try {
    await freshBuild(rig);
    let before = 0;
    rig.editJson(lxc, (d) => {
      before = d.lxc_configs['950'].memory_mb;
      d.lxc_configs['950'].memory_mb = 12288;
    });
    const plan = await rig.planJson();
    assert.equal(toBuild(plan.json), ['lxc/950/settings']);
    const { changes, ...reason } = plan.json.targets.find((t) => t.id === 'lxc/950/settings')!
      .reasons[0];
    assert.is(changes[0].path, 'memory_mb');
    assert.equal(reason, {
      kind: 'input-changed',
      input: 'config:/lxc_configs/950/memory_mb',
      old: before,
      new: 12288,
    });
    const r = await rig.buildJson(['--all']);
    assert.equal(built(r.json), ['lxc/950/settings']);
    assert.ok(
      commandsOf(r.json).some((c) => c.startsWith('pct set 950') && c.includes('--memory 12288')),
      commandsOf(r.json).join('\n'),
    );
  } finally {
    rig.cleanup();
  }
});

test('a feature edit rebuilds that layer onward and every clone downstream, nothing else', async () => {
  const rig = Rig.create();
  try {
    const first = await freshBuild(rig);
    rig.append('features/nvidia/install.sh', '\n# tuned\n');
    const r = await rig.buildJson(['--all', '--yes']);
    assert.is(r.code, 0, r.stderr);
    const expected = [
      'lxc/901/feature/nvidia',
      'lxc/901/settings',
      'lxc/901/snapshot/final-form',
      ...allOf(first, ['921', '950', '955']),
    ].sort();
    assert.equal(built(r.json), expected);
    const cmds = commandsOf(r.json);
    // 901 resumed from its clone layer's snapshot, it was not re-cloned.
    assert.ok(
      cmds.some((c) => /^pct rollback 901 phx-[0-9a-f]{12}$/.test(c)),
      cmds.join('\n'),
    );
    assert.not.ok(cmds.some((c) => c.startsWith('pct clone 900 901')));
    assert.ok(cmds.some((c) => c.startsWith('pct clone 901 921')));
  } finally {
    rig.cleanup();
  }
});

test('a template rebuild invalidates its clones', async () => {
  const rig = Rig.create();
  try {
    const first = await freshBuild(rig);
    rig.editJson(lxc, (d) => void (d.lxc_configs['900'].storage_size_gb = 24));
    const plan = await rig.planJson();
    const rebuilt = toBuild(plan.json);
    assert.ok(rebuilt.includes('lxc/900/create'));
    for (const clone of [
      'lxc/901/clone',
      'lxc/921/clone',
      'lxc/950/clone',
      'lxc/953/clone',
      'lxc/101/clone',
      'lxc/103/clone',
    ]) {
      assert.ok(rebuilt.includes(clone), `${clone} should rebuild`);
    }
    const r = await rig.buildJson(['--all', '--yes']);
    // Every container again, and of the host only its trust of the CA 103's
    // rebuilt app publishes (a guest's edit reads nothing else of it).
    const again = built(r.json);
    assert.equal(
      again.filter((id) => !id.startsWith('vm/')),
      built(first).filter((id) => id.startsWith('lxc/') || id === 'host/ca-trust/step-ca'),
    );
    // No VM stands on a container, but their trusted_ca layer reads 103's
    // root (artifact edge): from that layer up they rebuild, below it not.
    for (const vm of ['1001', '1002']) {
      assert.ok(again.includes(`vm/${vm}/feature/trusted_ca`), `${vm} trusted_ca`);
      for (const kept of ['clone', 'feature/base_setup'])
        assert.not.ok(again.includes(`vm/${vm}/${kept}`), `vm/${vm}/${kept} kept`);
    }
    assert.not.ok(again.some((id) => id.startsWith('vm/9000/')));
  } finally {
    rig.cleanup();
  }
});

test('dependencies never invalidate and never pull a guest into a build', async () => {
  const rig = Rig.create();
  try {
    await freshBuild(rig);
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].dependencies = ['103', '955']));
    assert.equal(toBuild((await rig.planJson()).json), []);
    // A fresh host: building 953 builds its clone chain (900) and nothing it depends on.
    const fresh = Rig.create();
    try {
      fresh.editJson(lxc, (d) => void (d.lxc_configs['953'].dependencies = ['103', '955']));
      const r = await fresh.buildJson(['953']);
      assert.is(r.code, 0, r.stderr);
      // "host": the storage 900's rootfs is on, with its dataset and pool (order edges).
      assert.equal([...new Set(r.json.targets.map((t) => t.entry))].sort(), ['900', '953', 'host']);
    } finally {
      fresh.cleanup();
    }
  } finally {
    rig.cleanup();
  }
});

test('phx build 901 builds 900 and 901 only', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['901']);
    assert.is(r.code, 0, r.stderr);
    assert.equal([...new Set(r.json.targets.map((t) => t.entry))].sort(), ['900', '901', 'host']);
    // Of the host, only what 900 and 901 stand on: their rootfs storage, its dataset and pool,
    // and the driver of 901's GPU.
    assert.equal(
      r.json.targets.filter((t) => t.entry === 'host').map((t) => t.id),
      [
        // 901 has a GPU: it waits for the host's driver.
        'host/nvidia-driver/nvidia',
        'host/zfs-pool/quickOS',
        'host/zfs-dataset/quickOS/lxc-disks',
        'host/storage/quickOS-lxc-disks',
      ],
    );
  } finally {
    rig.cleanup();
  }
});

test.run();
