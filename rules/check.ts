// `check`: the entry's health_check, run inside the guest after its last
// layer (health-check.ts, shared with `phx test`).
import type { Rule } from './rule.ts';
import { runHealthCheck, type HealthCheckSpec } from './health-check.ts';
import { ensureRunning, runDirName } from './guest-ops.ts';

export const rule: Rule<'check'> = {
  kind: 'check',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const check = ctx.target.guest.config['health_check'] as Partial<HealthCheckSpec> | undefined;
    if (check?.command === undefined) return '';
    await ensureRunning(ctx);
    const remoteDir = `/var/lib/phx/run/${runDirName(ctx.target.id)}`;
    await runHealthCheck(
      ctx.backend,
      ctx.target.guest,
      { ...check, command: check.command },
      ctx.project.featuresDir,
      remoteDir,
      ctx.op,
    );
    return '';
  },
};
