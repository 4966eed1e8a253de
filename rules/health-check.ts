// A guest's health_check, as the build's `check` target (check.ts) and
// `phx test` both run it: the command split into argv words (no shell), a
// program shipped in features/checks/ pushed and run from its copy, retried
// `retries` times `interval` seconds apart.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Backend, type OpContext } from '../src/backends/backend.ts';
import { OpError } from '../src/core/failure.ts';
import type { Guest } from '../src/model/model.ts';
import { splitWords } from '../src/model/command-words.ts';

export interface HealthCheckSpec {
  readonly command: string;
  /** Numbers, or numeric strings as the real configs write them. */
  readonly retries?: number | string;
  readonly interval?: number | string;
}

export async function runHealthCheck(
  backend: Backend,
  guest: Guest,
  check: HealthCheckSpec,
  featuresDir: string,
  remoteDir: string,
  op: OpContext,
): Promise<void> {
  const words = splitWords(check.command);
  if (!words.ok)
    throw new OpError({ type: 'rejected', reason: `health_check.command: ${words.error}` });
  const [program, ...args] = words.value as [string, ...string[]];
  const checksDir = join(featuresDir, 'checks');
  const script = basename(program);
  let cwd = '/';
  let argv = words.value;
  if (existsSync(join(checksDir, script))) {
    cwd = remoteDir;
    await backend.push(guest, checksDir, cwd, op);
    argv = [`./${script}`, ...args];
  }
  const attempts = Math.max(1, Number(check.retries ?? 0) + 1);
  for (let attempt = 1; ; attempt++) {
    try {
      await backend.exec(guest, { cwd, argv, env: { PHX_ID: String(guest.id) } }, op);
      return;
    } catch (e) {
      if (!(e instanceof OpError) || e.failure.type !== 'command-failed' || attempt >= attempts)
        throw e;
      op.log(
        `health check failed (attempt ${attempt}/${attempts}), retrying in ${check.interval ?? 0}s`,
      );
      await sleep(Number(check.interval ?? 0) * 1000, undefined, { signal: op.signal });
    }
  }
}
