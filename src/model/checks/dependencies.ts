// `dependencies` name CTs or VMs (one id space) and order starts; they must
// exist and must not go round in a circle, or nothing could start first.
import type { CheckContext } from './context.ts';
import { defined, find, reportAt } from './context.ts';
import { describeCycle, findCycles } from './cycles.ts';
import { didYouMean } from '../suggest.ts';

export function checkDependencies(ctx: CheckContext): void {
  const ids = [...ctx.byId.keys(), ...ctx.broken.keys()].map(String);
  for (const p of ctx.placed) {
    p.guest.dependencies.forEach((dep, i) => {
      if (!defined(ctx, dep)) {
        reportAt(
          ctx,
          p,
          ['dependencies', i],
          'unknown-dependency',
          `no CT or VM has id ${dep}${didYouMean(String(dep), ids)}`,
        );
      }
    });
  }
  const cycles = findCycles(
    ctx.placed.map((p) => p.guest.id),
    (id) => (find(ctx, id)?.guest.dependencies ?? []).filter((d) => ctx.byId.has(d)),
  );
  for (const cycle of cycles) {
    const first = find(ctx, cycle[0]!)!;
    const index = first.guest.dependencies.indexOf(cycle[1 % cycle.length]! as never);
    reportAt(
      ctx,
      first,
      ['dependencies', index],
      'dependency-cycle',
      `dependency cycle: ${describeCycle(cycle, 'depends on')}`,
    );
  }
}
