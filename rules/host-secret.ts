// A secret of the hypervisor config, resolved for a host rule at run time
// (`env:NAME`, `file:PATH`, or a literal): the value goes to the backend
// call and nowhere else; an unresolvable reference fails the target naming
// the reference, never a value.
import { OpError } from '../src/core/failure.ts';
import { describeUnresolved, resolveSecret } from '../src/model/resolve-secrets.ts';
import type { RuleContext } from './rule.ts';
import type { HostKind } from '../src/core/target-id.ts';

/** The value at `pointer` of the hypervisor config; undefined when absent or in `none`. */
export function hostSecret(
  ctx: RuleContext<HostKind>,
  pointer: string,
  none: readonly string[] = [],
): string | undefined {
  let value: unknown = ctx.project.host;
  for (const key of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value !== 'string' || value === '' || none.includes(value)) return undefined;
  const r = resolveSecret(value, { env: ctx.env, configDir: ctx.project.configDir });
  if (r.type === 'unresolved')
    throw new OpError({ type: 'rejected', reason: `${pointer}: ${describeUnresolved(r)}` });
  return String(r.value);
}
