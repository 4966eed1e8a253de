// phx reconfigure ID through the real binary: every layer of that guest
// rebuilds, its clone source (up to date) does not, and afterwards the plan
// is clean again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, toBuild } from '../helpers/rig.ts';
import { builtRig, expectCode } from './helpers.ts';

test('reconfigure rebuilds exactly the guest’s own targets', async () => {
  const rig = await builtRig();
  try {
    const r = await rig.phx(['reconfigure', '953', '--json']);
    expectCode(r, 0, 'reconfigure 953');
    const json = JSON.parse(r.stdout) as Parameters<typeof built>[0];
    const own = json.targets
      .filter((t) => t.entry === '953')
      .map((t) => t.id)
      .sort();
    assert.ok(own.length >= 4, own.join(' '));
    assert.equal(built(json), own, 'every 953 target rebuilt, nothing else');
    for (const t of json.targets.filter((x) => x.entry !== '953'))
      assert.is(t.action, 'skipped', t.id);
    assert.ok(
      json.targets.some((t) => t.id === 'lxc/900/snapshot/final-form'),
      'the clone source is planned (and skipped)',
    );
    assert.ok(built(json).includes('lxc/953/clone'), 'rebuilt from its base');
    const plan = await rig.planJson();
    assert.equal(toBuild(plan.json), [], 'nothing left to build afterwards');
  } finally {
    rig.cleanup();
  }
});

test('reconfigure of a VM re-makes that VM only; an unknown id is refused before building anything', async () => {
  const rig = await builtRig(['1001']);
  try {
    const vm = await rig.phx(['reconfigure', '1001', '--json']);
    expectCode(vm, 0, 'reconfigure 1001');
    const rebuilt = built(JSON.parse(vm.stdout) as Parameters<typeof built>[0]);
    assert.ok(rebuilt.includes('vm/1001/clone'), rebuilt.join(' '));
    assert.ok(
      rebuilt.every((id) => id.startsWith('vm/1001/')),
      rebuilt.join(' '),
    );
    const unknown = await rig.phx(['reconfigure', '4711']);
    expectCode(unknown, 1, 'reconfigure 4711');
    assert.match(unknown.stderr, /4711 is not a CTID or VMID in the configs/);
  } finally {
    rig.cleanup();
  }
});

test.run();
