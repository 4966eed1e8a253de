// The scheduler alone, with jobs the test completes by hand: pools, -j,
// critical-path order, fail-fast, keep-going, interruption.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { schedule, type Job } from '../../src/engine/scheduler.ts';

interface Gate {
  started: string[];
  release: (id: string, fail?: boolean) => void;
  run: (job: Job) => Promise<void>;
  settled: () => Promise<void>;
}

function gate(): Gate {
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const started: string[] = [];
  let onStart: (() => void) | undefined;
  return {
    started,
    release(id, fail) {
      const w = waiting.get(id);
      if (!w) throw new Error(`${id} is not running`);
      waiting.delete(id);
      if (fail) w.reject(new Error(`${id} failed`));
      else w.resolve();
    },
    run(job) {
      started.push(job.id);
      onStart?.();
      return new Promise((resolve, reject) => waiting.set(job.id, { resolve, reject }));
    },
    settled: () => new Promise((r) => setImmediate(() => setImmediate(r))),
  };
}

const job = (id: string, after: string[] = [], pools: string[] = [], estimateMs = 1): Job => ({
  id,
  after,
  pools,
  estimateMs,
});

test('never runs two jobs of one pool at once, and respects -j', async () => {
  const g = gate();
  const jobs = [job('a', [], ['gpu:0']), job('b', [], ['gpu:0']), job('c'), job('d')];
  const done = schedule(jobs, {
    parallelism: 2,
    keepGoing: false,
    signal: new AbortController().signal,
    poolSize: () => 1,
    run: g.run,
  });
  await g.settled();
  assert.is(g.started.length, 2);
  assert.ok(!(g.started.includes('a') && g.started.includes('b')), 'a and b share gpu:0');
  for (const id of [...g.started]) g.release(id);
  await g.settled();
  assert.is(g.started.length, 4);
  for (const id of g.started.slice(2)) g.release(id);
  const outcomes = await done;
  assert.equal(
    [...outcomes.values()].map((o) => o.type),
    ['built', 'built', 'built', 'built'],
  );
});

test('starts the job on the longest remaining path first', async () => {
  const g = gate();
  // short: one 1 ms job; long: a 10 ms job followed by a 10 ms job.
  const jobs = [job('short', [], [], 1), job('long1', [], [], 10), job('long2', ['long1'], [], 10)];
  const done = schedule(jobs, {
    parallelism: 1,
    keepGoing: false,
    signal: new AbortController().signal,
    poolSize: () => 1,
    run: g.run,
  });
  await g.settled();
  assert.equal(g.started, ['long1']);
  g.release('long1');
  await g.settled();
  assert.equal(g.started, ['long1', 'long2']);
  g.release('long2');
  await g.settled();
  g.release('short');
  await done;
});

test('fail-fast lets running jobs finish and starts nothing new', async () => {
  const g = gate();
  const jobs = [job('a'), job('b'), job('c', ['a']), job('d')];
  const done = schedule(jobs, {
    parallelism: 2,
    keepGoing: false,
    signal: new AbortController().signal,
    poolSize: () => 1,
    run: g.run,
  });
  await g.settled();
  assert.equal(g.started, ['a', 'b']);
  g.release('a', true);
  await g.settled();
  assert.equal(g.started, ['a', 'b'], 'nothing new after a failure');
  g.release('b');
  const outcomes = await done;
  assert.is(outcomes.get('a')!.type, 'failed');
  assert.is(outcomes.get('b')!.type, 'built');
  assert.equal(outcomes.get('c'), { type: 'cancelled', reason: 'failure-upstream' });
  assert.equal(outcomes.get('d'), { type: 'cancelled', reason: 'stopped' });
});

test('keep-going builds every branch that does not depend on the failure', async () => {
  const g = gate();
  const jobs = [job('a'), job('c', ['a']), job('e', ['c']), job('d')];
  const done = schedule(jobs, {
    parallelism: 1,
    keepGoing: true,
    signal: new AbortController().signal,
    poolSize: () => 1,
    run: g.run,
  });
  await g.settled();
  const first = g.started[0]!;
  g.release(first, first === 'a');
  await g.settled();
  const second = g.started[1];
  if (second) g.release(second, second === 'a');
  const outcomes = await done;
  assert.is(outcomes.get('a')!.type, 'failed');
  assert.is(outcomes.get('d')!.type, 'built');
  assert.is(outcomes.get('c')!.type, 'cancelled');
  assert.is(outcomes.get('e')!.type, 'cancelled');
});

test('each job runs once even with many consumers', async () => {
  const runs = new Map<string, number>();
  const jobs = [job('root'), ...Array.from({ length: 20 }, (_, i) => job(`leaf${i}`, ['root']))];
  await schedule(jobs, {
    parallelism: 8,
    keepGoing: false,
    signal: new AbortController().signal,
    poolSize: () => 1,
    run: (j) => {
      runs.set(j.id, (runs.get(j.id) ?? 0) + 1);
      return Promise.resolve();
    },
  });
  assert.is(runs.size, 21);
  assert.ok([...runs.values()].every((n) => n === 1));
});

test('an abort stops new work and marks the rest interrupted', async () => {
  const g = gate();
  const controller = new AbortController();
  const jobs = [job('a'), job('b', ['a'])];
  const done = schedule(jobs, {
    parallelism: 1,
    keepGoing: false,
    signal: controller.signal,
    poolSize: () => 1,
    run: g.run,
  });
  await g.settled();
  controller.abort();
  g.release('a', true);
  const outcomes = await done;
  assert.equal(outcomes.get('a'), { type: 'cancelled', reason: 'interrupted' });
  assert.equal(outcomes.get('b'), { type: 'cancelled', reason: 'failure-upstream' });
});

test.run();
