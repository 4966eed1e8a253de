// Unknown ids get the nearest target or guest id as a suggestion, and exit 1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';

const rig = Rig.create();

test('explain lxc/950/ap suggests lxc/950/app', async () => {
  const r = await rig.phx(['explain', 'lxc/950/ap']);
  assert.is(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /lxc\/950\/ap is neither an id nor a target id \(did you mean "lxc\/950\/app"\?\)/,
  );
});

test('a well-formed target id that does not exist gets the nearest one', async () => {
  const r = await rig.phx(['plan', 'lxc/921/feature/vlm']);
  assert.is(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /no target lxc\/921\/feature\/vlm in this project \(did you mean "lxc\/921\/feature\/vllm"\?\)/,
  );
});

test('a guest id one digit off is suggested; a far one is not', async () => {
  const near = await rig.phx(['build', '9533']);
  assert.is(near.code, 1);
  assert.match(near.stderr, /9533 is not a CTID or VMID in the configs \(did you mean "953"\?\)/);
  const far = await rig.phx(['build', '123456']);
  assert.is(far.code, 1);
  assert.match(far.stderr, /123456 is not a CTID or VMID in the configs\n/);
  assert.equal(rig.journal(), [], 'nothing ran on the node');
});

test.after(() => {
  rig.cleanup();
});

test.run();
