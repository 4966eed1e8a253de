// A process that takes a cache lock, for the lock tests (run with tsx).
//   contend DIR LOG HOLD_MS: print "ready", wait for "go" on stdin, take the
//     lock (waiting), append "enter PID" to LOG, hold HOLD_MS, append
//     "leave PID", release.
//   hold DIR: take the lock, print "held", keep it until stdin closes.
//   squat DIR: bind the lock's name as a process that is not phx would
//     (no identity file), print "held", keep it until stdin closes.
// lock-procs.ts bundles this file with esbuild so that a worker starts in a
// few tens of ms (tsx takes a second or more per process on a loaded
// machine). PHX_LOCK_MODULE names another (compiled) lock module to run the
// same contest against: how the old unlink-and-retry lock was measured.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

import * as lock from '../../src/cache/lock.ts';

const mod =
  process.env.PHX_LOCK_MODULE === undefined
    ? lock
    : ((await import(pathToFileURL(process.env.PHX_LOCK_MODULE).href)) as typeof lock);

const [mode, dir, log, holdMs] = process.argv.slice(2);
if (dir === undefined)
  throw new Error('usage: lock-worker.ts contend|hold|squat DIR [LOG HOLD_MS]');
const lines = createInterface({ input: process.stdin });
const stdinClosed = new Promise<void>((res) => lines.once('close', res));
const signal = new AbortController().signal;

async function take(): Promise<() => void> {
  const r = await mod.acquireCacheLock(dir!, {
    wait: true,
    signal,
    onWait: () => undefined,
    command: `lock-worker ${mode ?? ''}`,
  });
  if (!r.ok) throw new Error(`lock not taken: ${r.reason}`);
  return r.release;
}

if (mode === 'contend') {
  process.stdout.write('ready\n');
  await new Promise<void>((res) =>
    lines.once('line', () => {
      res();
    }),
  );
  const release = await take();
  appendFileSync(log!, `enter ${String(process.pid)}\n`);
  await sleep(Number(holdMs));
  appendFileSync(log!, `leave ${String(process.pid)}\n`);
  release();
  lines.close();
} else if (mode === 'hold') {
  const release = await take();
  process.stdout.write('held\n');
  await stdinClosed;
  release();
} else if (mode === 'squat') {
  const server = createServer();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen('\0' + mod.lockName(dir), res);
  });
  process.stdout.write('held\n');
  await stdinClosed;
  server.close();
} else throw new Error(`unknown mode ${String(mode)}`);
