// `application_script: "X"` is the file `features/apps/X` (DESIGN §1); a bare
// file name, so an entry cannot point phx at a file elsewhere. What its
// manifest (`X.json`) consumes must be something this project builds.
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';
import { consumeProblem } from './features.ts';

export function checkApps(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const script = p.guest.applicationScript;
    if (script === undefined) continue;
    if (script.includes('/') || script === '.' || script === '..') {
      reportAt(
        ctx,
        p,
        ['application_script'],
        'app-script',
        `application_script must be a file name in ${ctx.featuresDisplay}/apps, not a path: "${script}"`,
      );
    } else if (!ctx.catalog.apps.has(script)) {
      reportAt(
        ctx,
        p,
        ['application_script'],
        'app-script',
        `application script ${ctx.featuresDisplay}/apps/${script} does not exist`,
      );
    }
    for (const target of ctx.catalog.appManifests.get(script)?.consumes ?? []) {
      const problem = consumeProblem(ctx, target);
      if (problem !== undefined) {
        reportAt(
          ctx,
          p,
          ['application_script'],
          'app-consumes',
          `application script ${script} consumes ${target}, but ${problem}`,
        );
      }
    }
  }
}
