// A dataset's properties are reconciled, not only set: a property phx set
// and the config then drops goes back to inherited (`zfs inherit`), while a
// property someone set by hand is left as it is (phx never undoes what is
// not its own). phx lists what it set in the dataset's `phx:managed`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { Rig, built } from '../helpers/rig.ts';

const host = 'configs/phoenix_hypervisor_config.json';
const dataset = 'quickOS/lxc-disks';

interface HostDoc {
  zfs: { datasets: { name: string; properties?: unknown }[] };
}

type SimHost = { datasets: Record<string, Record<string, string>> };

const simHost = (rig: Rig): SimHost =>
  JSON.parse(readFileSync(rig.path('.phoenix-sim/host.json'), 'utf8')) as SimHost;

test('a property dropped from the config is inherited again; one set by hand stays', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['setup', '--quiet'])).code, 0);
    const made = simHost(rig).datasets[dataset]!;
    assert.is(made['quota'], '600G');
    assert.is(made['phx:managed'], 'compression,quota,recordsize,sync');

    // Someone sets atime by hand on the node.
    const state = simHost(rig);
    state.datasets[dataset]!['atime'] = 'off';
    writeFileSync(rig.path('.phoenix-sim/host.json'), JSON.stringify(state));

    rig.editJson(host, (d: HostDoc) => {
      d.zfs.datasets.find((x) => x.name === 'lxc-disks')!.properties =
        'recordsize=16K,compression=lz4,sync=standard';
    });
    const r = await rig.buildJson(['host']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(built(r.json), [`host/zfs-dataset/${dataset}`]);
    const commands = r.json.targets.find((t) => t.id === `host/zfs-dataset/${dataset}`)!.commands;
    assert.ok(
      commands.some((c) => c.join(' ') === `zfs inherit quota ${dataset}`),
      JSON.stringify(commands),
    );
    assert.not.ok(commands.some((c) => c[1] === 'inherit' && c[2] !== 'quota'));
    const after = simHost(rig).datasets[dataset]!;
    assert.is(after['quota'], undefined);
    assert.is(after['atime'], 'off');
    assert.is(after['phx:managed'], 'compression,recordsize,sync');
  } finally {
    rig.cleanup();
  }
});

test('a misspelt property is refused by validation, naming its place, before anything reaches the host', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(host, (d: HostDoc) => {
      d.zfs.datasets.find((x) => x.name === 'lxc-disks')!.properties =
        'recordsize=16K,compresion=lz4';
    });
    const r = await rig.phx(['setup']);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /phoenix_hypervisor_config\.json:\d+:\d+: error: \/zfs\/datasets\/\d+\/properties: invalid property 'compresion' \(did you mean "compression"\?\)/,
    );
    assert.equal(rig.journal(), []);
  } finally {
    rig.cleanup();
  }
});

test.run();
