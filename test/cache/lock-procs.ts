// Starting lock-worker.ts processes from a test, and reading what they logged.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const source = join(dirname(fileURLToPath(import.meta.url)), 'lock-worker.ts');
let bundled: string | undefined;

/** lock-worker.ts and the lock module as one plain .mjs, built once per test file. */
function workerScript(): string {
  if (bundled !== undefined) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'phx-lock-worker-'));
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  const out = join(dir, 'lock-worker.mjs');
  buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  bundled = out;
  return out;
}

export interface Worker {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the first stdout line ("ready" or "held"). */
  readonly first: Promise<string>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startWorker(args: readonly string[], env: NodeJS.ProcessEnv = {}): Worker {
  const child = spawn(process.execPath, [workerScript(), ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const first = new Promise<string>((res, rej) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) res(out.slice(0, nl));
    });
    child.once('close', () => {
      rej(new Error(`worker exited before its first line:\n${stderr}`));
    });
  });
  first.catch(() => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (res) =>
      child.once('close', (code, signal) => {
        res({ code, signal, stderr });
      }),
  );
  if (child.pid === undefined) throw new Error('worker did not start');
  return { child, pid: child.pid, first, exit };
}

/** A pid that belonged to a process which has exited (so nobody holds it now, barring reuse). */
export function deadPid(): number {
  return spawnSync('true').pid;
}

/**
 * Critical sections from a log of "enter PID"/"leave PID" lines: each enter
 * must be followed by the leave of the same pid before any other line.
 * Returns the overlaps found (empty when the lock held) and the sections.
 */
export function overlaps(log: string): { sections: number; overlaps: string[] } {
  const lines = log.split('\n').filter((l) => l !== '');
  const found: string[] = [];
  let inside: string | undefined;
  let sections = 0;
  for (const [i, line] of lines.entries()) {
    const [what, pid] = line.split(' ');
    if (what === 'enter') {
      if (inside !== undefined)
        found.push(`line ${String(i + 1)}: ${pid ?? '?'} entered while ${inside} held`);
      inside = pid;
      sections++;
    } else if (what === 'leave') {
      if (inside !== pid)
        found.push(`line ${String(i + 1)}: ${pid ?? '?'} left while ${inside ?? 'nobody'} held`);
      inside = undefined;
    } else found.push(`line ${String(i + 1)}: ${line}`);
  }
  return { sections, overlaps: found };
}
