// Who holds a cache lock, and what a lock file left behind means: a file
// naming pid 1 or a live `sleep` is not a lock (the kernel's socket name is),
// so phx takes over at once; a live phx holding the lock is named in the
// busy answer; a process that is not phx squatting the lock's name is
// reported as such within seconds, never waited on forever.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireCacheLock, type LockResult } from '../../src/cache/lock.ts';
import { processStart, readIdentity } from '../../src/cache/lock-holder.ts';
import { startWorker } from './lock-procs.ts';

const dirs: string[] = [];
test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'phx-lock-holder-'));
  dirs.push(d);
  return d;
}

function take(dir: string, wait = false, signal = new AbortController().signal) {
  const waited: number[] = [];
  const result = acquireCacheLock(dir, {
    wait,
    signal,
    onWait: (h) => waited.push(h.pid),
    command: 'phx test-suite',
  });
  return { result, waited };
}

function expectTaken(r: LockResult): () => void {
  if (!r.ok) throw new Error(`lock not taken: ${JSON.stringify(r)}`);
  return r.release;
}

test('a lock file naming pid 1 (alive, not phx) is taken over at once and replaced', async () => {
  for (const content of [
    '1\n',
    JSON.stringify({ pid: 1, start: '0', token: 'x', command: 'phx build' }),
  ]) {
    const dir = tempDir();
    writeFileSync(join(dir, 'build.lock'), content);
    const release = expectTaken(await take(dir).result);
    const id = readIdentity(join(dir, 'build.lock'));
    assert.is(id?.pid, process.pid, 'the file now names this process');
    assert.is(id?.start, processStart(process.pid));
    assert.is(id?.command, 'phx test-suite');
    release();
    assert.not.ok(existsSync(join(dir, 'build.lock')), 'release removes its own file');
    release(); // twice is harmless
  }
});

test('a lock file naming a live sleep process (pid reused) is taken over at once', async () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const pid = sleeper.pid!;
    const dir = tempDir();
    // What a phx killed long ago wrote, if its pid now belongs to `sleep`.
    writeFileSync(
      join(dir, 'build.lock'),
      JSON.stringify({ pid, start: '1', token: 'old', command: 'phx build --all' }),
    );
    const release = expectTaken(await take(dir).result);
    release();
    writeFileSync(join(dir, 'build.lock'), String(pid)); // the pre-identity format
    expectTaken(await take(dir).result)();
  } finally {
    sleeper.kill();
  }
});

test('a live phx holding the lock: busy under no-wait, named by pid and command', async () => {
  const dir = tempDir();
  const holder = startWorker(['hold', dir]);
  try {
    assert.is(await holder.first, 'held');
    const r = await take(dir).result;
    assert.equal(r, {
      ok: false,
      reason: 'busy',
      holder: { type: 'phx', pid: holder.pid, command: 'lock-worker hold' },
    });
  } finally {
    holder.child.stdin!.end();
  }
  assert.is((await holder.exit).code, 0);
  // Released: free again, and the holder's file is gone with it.
  assert.not.ok(existsSync(join(dir, 'build.lock')));
  expectTaken(await take(dir).result)();
});

test('waiting for a phx holder: told once, and cancellable', async () => {
  const dir = tempDir();
  const holder = startWorker(['hold', dir]);
  try {
    assert.is(await holder.first, 'held');
    const abort = new AbortController();
    const t = take(dir, true, abort.signal);
    const timer = setInterval(() => {
      if (t.waited.length > 0) abort.abort();
    }, 10);
    const r = await t.result;
    clearInterval(timer);
    assert.equal(t.waited, [holder.pid]);
    assert.equal(r, { ok: false, reason: 'cancelled' });
  } finally {
    holder.child.stdin!.end();
  }
  await holder.exit;
});

test('a process that is not phx holding the lock name is reported, not waited for', async () => {
  const dir = tempDir();
  // With a leftover file naming pid 1 too: nothing believable names a phx.
  writeFileSync(join(dir, 'build.lock'), '1\n');
  const squatter = startWorker(['squat', dir]);
  try {
    assert.is(await squatter.first, 'held');
    const started = Date.now();
    const t = take(dir, true);
    const r = await t.result;
    assert.ok(!r.ok && r.reason === 'foreign', JSON.stringify(r));
    assert.is(r.holder.pid, squatter.pid, 'the kernel names the squatter');
    assert.match(r.holder.command, /lock-worker\.mjs squat/);
    assert.equal(t.waited, [], 'never reported as a phx to wait for');
    assert.ok(Date.now() - started < 20_000, 'reported within seconds');
    assert.is(readFileSync(join(dir, 'build.lock'), 'utf8'), '1\n', 'not ours: left alone');
  } finally {
    squatter.child.stdin!.end();
  }
  await squatter.exit;
  expectTaken(await take(dir).result)();
});

test('one process taking the lock twice is a bug, not a deadlock', async () => {
  const dir = tempDir();
  const release = expectTaken(await take(dir).result);
  try {
    await take(dir, true).result.then(
      () => {
        assert.unreachable('should have thrown');
      },
      (e: unknown) => {
        assert.match(String(e), /taken twice by one process/);
      },
    );
  } finally {
    release();
  }
});

test.run();
