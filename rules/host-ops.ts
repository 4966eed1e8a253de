// The host operations a host rule runs, or undefined after a log line when
// the backend does not manage its host (lxc): the host is then the user's to
// set up, and its targets are recorded as done so they do not plan forever.
import type { HostOps } from '../src/backends/backend.ts';
import type { RuleContext } from './rule.ts';
import type { HostKind } from '../src/core/target-id.ts';

export function hostOpsOf(ctx: RuleContext<HostKind>): HostOps | undefined {
  const ops = ctx.backend.hostOps?.();
  if (ops === undefined)
    ctx.op.log(
      `the ${ctx.backend.kind} backend does not manage the host: ${ctx.target.id} left as it is`,
    );
  return ops;
}
