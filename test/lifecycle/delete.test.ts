// phx delete through the real binary: refused while a declared clone exists
// on the host, done with --force (guest destroyed, records dropped), and
// allowed once the clones are gone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtRig, expectCode, simRun } from './helpers.ts';
import { toBuild } from '../helpers/rig.ts';

test('delete refuses while clones exist on the host; --force destroys it and forgets its records', async () => {
  const rig = await builtRig(['103']); // 103 is a clone of 900
  try {
    const refused = await rig.phx(['delete', '900']);
    expectCode(refused, 1, 'delete 900');
    assert.match(
      refused.stderr,
      /^phx: refusing to delete 900: its clone 103 \(Step-CA\) exists on the host; delete it first, or use --force$/m,
    );
    assert.is(
      (await simRun(rig, 'pct', 'status', '900')).exitCode,
      0,
      'still there after the refusal',
    );

    const forced = await rig.phx(['delete', '900', '--force']);
    expectCode(forced, 0, 'delete 900 --force');
    assert.match(
      forced.stdout,
      /^deleted 900 Template-Base; forgot 4 build record\(s\) \(clones left on the host: 103\)$/m,
    );
    const gone = await simRun(rig, 'pct', 'status', '900');
    assert.is.not(gone.exitCode, 0);
    assert.match(gone.stderr, /does not exist/);
    // The records are gone too: the next plan builds 900 from scratch.
    const plan = await rig.planJson(['900']);
    const p900 = plan.json.targets.filter((t) => t.entry === '900');
    assert.ok(p900.length > 0);
    for (const t of p900)
      assert.equal(
        t.reasons.map((r: { kind: string }) => r.kind),
        ['never-built'],
        t.id,
      );
    assert.ok(toBuild(plan.json).includes('lxc/900/create'));
  } finally {
    rig.cleanup();
  }
});

test('once its clones are deleted, a template deletes without --force', async () => {
  const rig = await builtRig(['103']);
  try {
    expectCode(await rig.phx(['delete', '103']), 0, 'delete 103');
    const r = await rig.phx(['delete', '900']);
    expectCode(r, 0, 'delete 900');
    assert.match(r.stdout, /^deleted 900 Template-Base; forgot \d+ build record\(s\)$/m);
    const again = await rig.phx(['delete', '900']);
    expectCode(again, 0, 'delete of a missing guest');
    assert.match(again.stdout, /^not on the host: 900 Template-Base; forgot 0 build record\(s\)$/m);
  } finally {
    rig.cleanup();
  }
});

test('a VM is deleted as a container is: refused while its clones exist, then its records forgotten', async () => {
  const rig = await builtRig(['1002']);
  try {
    const template = await rig.phx(['delete', '9000']);
    expectCode(template, 1, 'delete 9000');
    assert.match(
      template.stderr,
      /refusing to delete 9000: its clones? 1002 \(Dr-Phoenix\) exists? on the host/,
    );
    const clone = await rig.phx(['delete', '1002']);
    expectCode(clone, 0, 'delete 1002');
    assert.match(clone.stdout, /^deleted 1002 Dr-Phoenix; forgot \d+ build record\(s\)$/m);
    assert.ok(
      rig
        .journal()
        .some((e: { argv?: string[] }) => e.argv?.slice(0, 3).join(' ') === 'qm destroy 1002'),
      'qm destroy ran',
    );
    const plan = await rig.planJson(['1002']);
    assert.ok(toBuild(plan.json).includes('vm/1002/clone'));
    expectCode(await rig.phx(['delete', '31337']), 1, 'delete 31337');
  } finally {
    rig.cleanup();
  }
});

test.run();
