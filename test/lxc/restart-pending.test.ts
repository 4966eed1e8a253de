// restartPending on real containers: LXC reads its config only at start, so
// a settings change applied to a running container waits for a restart, and
// the backend names the changed keys until the container restarts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Guest } from '../../src/model/model.ts';
import { opContext } from '../contract/op-context.ts';
import { lxcMissing, makeLxcHarness, type LxcHarness } from './lxc-harness.ts';

const test = suite('lxc restartPending');
let h: LxcHarness;
const signal = new AbortController().signal;
const net = { bridge: 'phxtest7', ip: '10.254.0.71/24', mac: '52:54:00:fe:07:71' };
let small: Guest;
let big: Guest;

test.before(async () => {
  h = await makeLxcHarness('phxtest7');
  small = h.guest(971, { memoryMb: 128, cores: 1, network: net });
  big = h.guest(971, { memoryMb: 256, cores: 1, network: net });
});
test.after(async () => {
  await h.cleanup();
});

test('stopped or just started: nothing pending', async () => {
  await h.backend.create(small, opContext(small.id, 'create'));
  await h.backend.applySettings(small, opContext(small.id, 'settings'));
  assert.equal(await h.backend.restartPending(small, signal), [], 'stopped');
  await h.backend.start(small, opContext(small.id));
  assert.equal(await h.backend.restartPending(small, signal), [], 'started with this config');
});

test('a change applied while running is pending until the restart', async () => {
  await h.backend.applySettings(big, opContext(big.id, 'settings'));
  const pending = await h.backend.restartPending(big, signal);
  assert.ok(pending.length > 0, 'the memory change waits');
  assert.ok(
    pending.every((k) => k.includes('memory')),
    `only the memory key: ${pending.join(', ')}`,
  );
  await h.backend.stop(big, opContext(big.id));
  assert.equal(await h.backend.restartPending(big, signal), [], 'stopped: nothing to restart');
  await h.backend.start(big, opContext(big.id));
  assert.equal(await h.backend.restartPending(big, signal), [], 'restarted: taken');
});

test('applying the same settings again leaves nothing pending', async () => {
  await h.backend.applySettings(big, opContext(big.id, 'settings'));
  assert.equal(await h.backend.restartPending(big, signal), []);
});

if (lxcMissing() === undefined) test.run();
