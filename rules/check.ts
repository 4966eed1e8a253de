// `check`: the entry's health_check, run inside the guest after its last
// layer, retried `retries` times `interval` seconds apart. A command whose
// script is shipped in features/checks/ runs from the pushed copy.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Rule } from '../src/engine/rule.ts';
import { OpError } from '../src/backends/backend.ts';
import { splitWords } from '../src/engine/words.ts';
import { ensureRunning, runDirName } from './guest-ops.ts';

interface HealthCheck {
  command?: string;
  retries?: number;
  interval?: number;
}

export const rule: Rule = {
  kind: 'check',
  source: import.meta.url,
  async run(ctx) {
    const check = (ctx.target.guest.config['health_check'] ?? {}) as HealthCheck;
    if (!check.command) return '';
    const guest = ctx.target.guest;
    await ensureRunning(ctx);
    const words = splitWords(check.command);
    if (!words.ok)
      throw new OpError({ type: 'rejected', reason: `health_check.command: ${words.error}` });
    const checksDir = join(ctx.project.featuresDir, 'checks');
    const [program, ...args] = words.value as [string, ...string[]];
    const script = basename(program);
    let cwd = '/';
    let argv = words.value;
    if (existsSync(join(checksDir, script))) {
      cwd = `/var/lib/phx/run/${runDirName(ctx.target.id)}`;
      await ctx.backend.push(guest, checksDir, cwd, ctx.op);
      argv = [`./${script}`, ...args];
    }
    const attempts = Math.max(1, (check.retries ?? 0) + 1);
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.backend.exec(guest, { cwd, argv, env: { PHX_ID: String(guest.id) } }, ctx.op);
        return '';
      } catch (e) {
        if (!(e instanceof OpError) || e.failure.type !== 'command-failed' || attempt >= attempts)
          throw e;
        ctx.op.log(
          `health check failed (attempt ${attempt}/${attempts}), retrying in ${check.interval ?? 0}s`,
        );
        await sleep((check.interval ?? 0) * 1000, undefined, { signal: ctx.op.signal });
      }
    }
  },
};
