// `present` of the host-service rules: whether the host still has what the
// recorded target made (rule.ts), asked read-only by a live plan. Undefined
// when the backend does not manage its host.
import type { HostServiceKind } from '../src/core/host-service-kinds.ts';
import type { PresenceContext } from './rule.ts';

export function servicePresence(
  kind: HostServiceKind,
): (name: string, ctx: PresenceContext) => Promise<boolean | undefined> {
  return async (name, ctx) => {
    const ops = ctx.backend.hostOps?.();
    return ops === undefined ? undefined : ops.servicePresent(kind, name, ctx.op);
  };
}
