// Every command that writes the host or the cache takes the cache lock,
// through the real binary: with the lock held by another process, each exits
// 3 under --no-wait having touched nothing; `phx stop` without --no-wait
// waits and stops the guest only once the holder lets go; a lock held by a
// process that is not phx ends the command with its pid, not a wait.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';
import { expectCode, journalled } from '../lifecycle/helpers.ts';
import { startWorker, type Worker } from './lock-procs.ts';

let rig: Rig;
test.before(async () => {
  rig = Rig.create();
  // One small guest on the sim: enough for stop/start to have something to do.
  expectCode(await rig.phx(['build', '103']), 0, 'build 103');
});
test.after(() => {
  rig.cleanup();
});

async function holding(mode: 'hold' | 'squat'): Promise<Worker> {
  const w = startWorker([mode, rig.path('.phoenix-cache')]);
  assert.is(await w.first, 'held');
  return w;
}

async function letGo(w: Worker): Promise<void> {
  w.child.stdin!.end();
  await w.exit;
}

test('with the lock held, every writing verb exits 3 under --no-wait and touches nothing', async () => {
  const holder = await holding('hold');
  try {
    for (const args of [
      ['stop', '103'],
      ['start', '103'],
      ['restart', '103'],
      ['stop', '--all'],
      ['delete', '103'],
      ['reconfigure', '103'],
      ['test', '103'],
      ['build', '103'],
    ]) {
      const from = rig.journal().length;
      const r = await rig.phx(['--no-wait', ...args]);
      expectCode(r, 3, args.join(' '));
      assert.match(
        r.stderr,
        new RegExp(`in use by another phx \\(pid ${String(holder.pid)}\\): lock-worker hold`),
        args.join(' '),
      );
      assert.equal(
        rig
          .journal()
          .slice(from)
          .filter((e: { op: string }) => e.op !== 'readFile'),
        [],
        `${args.join(' ')}: nothing done on the host`,
      );
    }
  } finally {
    await letGo(holder);
  }
});

test('phx stop waits for the holder, then stops the guest', async () => {
  const holder = await holding('hold');
  let released = false;
  try {
    const from = rig.journal().length;
    const stop = rig.spawn(['stop', '103']);
    let err = '';
    stop.child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await rig.waitFor(
      () => err.includes(`waiting for another phx (pid ${String(holder.pid)})`),
      'stop to wait for the lock',
    );
    assert.equal(journalled(rig, 'stop', from), [], 'nothing stopped while the lock is held');
    await letGo(holder);
    released = true;
    const r = await stop.done;
    expectCode(r, 0, 'stop 103');
    assert.match(r.stdout, /^stopped 103 /m);
    assert.equal(journalled(rig, 'stop', from), ['103']);
  } finally {
    if (!released) await letGo(holder);
  }
});

test('a lock held by a process that is not phx: exit 3 naming its pid, no wait', async () => {
  const squatter = await holding('squat');
  try {
    const r = await rig.phx(['start', '103']);
    expectCode(r, 3, 'start 103');
    assert.match(
      r.stderr,
      new RegExp(
        `held by pid ${String(squatter.pid)} \\(.*lock-worker\\.mjs squat.*\\), which is not phx`,
      ),
    );
  } finally {
    await letGo(squatter);
  }
  expectCode(await rig.phx(['start', '103']), 0, 'start 103 once the squatter is gone');
});

test.run();
