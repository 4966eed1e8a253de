// Whether the host still holds what its recorded targets made: a pool,
// dataset or storage id removed by hand reads as an output gone, as a
// guest's missing snapshot does, so the cache never vouches for what the
// host no longer has (DESIGN §8). Asked by live plans only, read-only.
import type { Backend, OpContext } from '../backends/backend.ts';
import type { TargetId } from '../core/target-id.ts';
import { isHostKind, parseTargetId } from '../core/target-id.ts';
import { ruleFor, type RuleRegistry } from '../../rules/rule.ts';

/** Queries at once: enough to hide an SSH round trip, few enough for one node. */
const PRESENCE_CONCURRENCY = 4;

/** The host targets among `ids` (recorded ones) whose output the host no longer has. */
export async function missingHostOutputs(
  ids: Iterable<TargetId>,
  rules: RuleRegistry,
  backend: Backend,
  signal: AbortSignal,
): Promise<Set<TargetId>> {
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(PRESENCE_CONCURRENCY);
  const missing = new Set<TargetId>();
  const jobs: Promise<void>[] = [];
  for (const id of ids) {
    const parsed = parseTargetId(id);
    if (parsed === undefined || parsed.guest !== undefined || !isHostKind(parsed.kind)) continue;
    const rule = ruleFor(rules, parsed.kind);
    if (rule.present === undefined) continue;
    const op: OpContext = {
      target: id,
      targetKind: parsed.kind,
      // A plan prints no command output; a query's lines have nowhere to go.
      log: () => undefined,
      commands: [],
      signal,
    };
    jobs.push(
      limit(async () => {
        if ((await rule.present?.(parsed.name, { backend, op })) === false) missing.add(id);
      }),
    );
  }
  await Promise.all(jobs);
  return missing;
}
