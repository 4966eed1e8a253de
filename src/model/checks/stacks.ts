// `docker_stacks` names stacks of phoenix_stacks_config.json, in one of its
// environments (`production` when the entry gave a bare name).
import { didYouMean } from '../suggest.ts';
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';

export function checkStacks(ctx: CheckContext): void {
  const names = [...ctx.stacks.keys()];
  for (const p of ctx.placed) {
    p.guest.dockerStacks.forEach((ref, i) => {
      const stack = ctx.stacks.get(ref.name);
      if (stack === undefined) {
        reportAt(
          ctx,
          p,
          ['docker_stacks', i],
          'unknown-stack',
          `unknown docker stack "${ref.name}"${didYouMean(ref.name, names)}`,
        );
      } else if (!stack.environments.includes(ref.environment)) {
        reportAt(
          ctx,
          p,
          ['docker_stacks', i],
          'unknown-stack',
          `docker stack ${ref.name} has no environment "${ref.environment}"${didYouMean(ref.environment, stack.environments)}`,
        );
      }
    });
  }
}
