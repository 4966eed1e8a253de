// Many processes started at once against one cache never hold its lock
// together, whatever lock file an earlier, killed run left behind; and a
// holder killed with SIGKILL frees the lock without anyone cleaning up.
// Each round: PROCS workers load, report ready, and are all released by one
// "go"; each appends "enter"/"leave" lines around its critical section, and
// the log must show no two sections overlapping.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deadPid, overlaps, startWorker } from './lock-procs.ts';

const ROUNDS = Number(process.env.PHX_LOCK_ROUNDS ?? 5);
const PROCS = Number(process.env.PHX_LOCK_PROCS ?? 20);
const HOLD_MS = 5;

const dirs: string[] = [];
test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'phx-lock-race-'));
  dirs.push(d);
  return d;
}

/** The lock files a killed run may leave: today's identity, the old bare pid, garbage. */
function staleLock(round: number): string {
  const pid = deadPid();
  switch (round % 3) {
    case 0:
      return JSON.stringify({ pid, start: '1', token: 'dead', command: 'phx build' });
    case 1:
      return String(pid);
    default:
      return '{"pid": ';
  }
}

test(`${String(PROCS)} processes started at once, ${String(ROUNDS)} rounds: never two holders`, async () => {
  let survived = 0;
  const failures: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cache = tempDir();
    const log = join(cache, 'sections.log');
    writeFileSync(log, '');
    writeFileSync(join(cache, 'build.lock'), staleLock(round));
    const workers = Array.from({ length: PROCS }, () =>
      startWorker(['contend', cache, log, String(HOLD_MS)]),
    );
    for (const w of workers) assert.is(await w.first, 'ready');
    for (const w of workers) w.child.stdin!.write('go\n');
    const problems: string[] = [];
    for (const w of workers) {
      const e = await w.exit;
      if (e.code !== 0)
        problems.push(
          `worker ${String(w.pid)} exit ${String(e.code)}: ${e.stderr.split('\n').find((l) => /Error/.test(l)) ?? e.stderr}`,
        );
    }
    const { sections, overlaps: bad } = overlaps(readFileSync(log, 'utf8'));
    if (sections !== PROCS) problems.push(`${String(sections)} of ${String(PROCS)} entered`);
    problems.push(...bad);
    if (problems.length === 0) survived++;
    else failures.push(`round ${String(round + 1)}: ${problems.slice(0, 3).join('; ')}`);
  }
  process.stdout.write(
    `lock race: ${String(ROUNDS)} rounds of ${String(PROCS)} processes; tried ${String(ROUNDS)}, survived ${String(survived)}\n`,
  );
  assert.equal(failures, [], 'no round may see two holders');
});

test('a holder killed with SIGKILL frees the lock for a waiting process', async () => {
  const cache = tempDir();
  const log = join(cache, 'sections.log');
  writeFileSync(log, '');
  const holder = startWorker(['hold', cache]);
  assert.is(await holder.first, 'held');
  const waiter = startWorker(['contend', cache, log, '0']);
  assert.is(await waiter.first, 'ready');
  waiter.child.stdin!.write('go\n');
  // The waiter cannot enter while the holder lives: its lock is still held.
  await new Promise((r) => setTimeout(r, 300));
  assert.is(readFileSync(log, 'utf8'), '', 'no entry while the holder lives');
  holder.child.kill('SIGKILL');
  const h = await holder.exit;
  assert.is(h.signal, 'SIGKILL');
  const w = await waiter.exit;
  assert.is(w.code, 0, w.stderr);
  assert.is(
    readFileSync(log, 'utf8'),
    `enter ${String(waiter.pid)}\nleave ${String(waiter.pid)}\n`,
  );
});

test.run();
