// What runs inside a guest: the `health_check` command, split into argv by
// the same function the `check` target uses, and the `tests` scripts, whose
// paths must stay inside features/tests/. A bad one would otherwise fail the
// build after the guest was created, or `phx test` after it started.
import { isAbsolute, normalize } from 'node:path';
import { commandProblem } from '../command-words.ts';
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';

/** A test script's path: relative to features/tests/, never leaving it. */
export function testPathProblem(path: string): string | undefined {
  const rel = normalize(path);
  if (path === '' || isAbsolute(path) || rel === '..' || rel.startsWith('../') || rel === '.')
    return `${JSON.stringify(path)} must be a file path inside features/tests/ (relative, no "..")`;
  if (/[\0\r\n]/.test(path)) return `${JSON.stringify(path)} holds a control character`;
  return undefined;
}

export function checkCommands(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const hc = p.guest.config['health_check'];
    const command =
      hc !== null && typeof hc === 'object'
        ? (hc as Record<string, unknown>)['command']
        : undefined;
    if (typeof command === 'string') {
      const problem = commandProblem(command);
      if (problem !== undefined)
        reportAt(ctx, p, ['health_check', 'command'], 'bad-command', `health check: ${problem}`);
    }
    const suites = p.guest.config['tests'];
    if (suites === null || typeof suites !== 'object' || Array.isArray(suites)) continue;
    for (const [suite, list] of Object.entries(suites as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      list.forEach((t: unknown, i) => {
        const test = (t ?? {}) as Record<string, unknown>;
        if (test['type'] !== 'script')
          reportAt(
            ctx,
            p,
            ['tests', suite, i, 'type'],
            'bad-test',
            `test type ${JSON.stringify(test['type'])} is not supported (only "script")`,
          );
        const path = test['path'];
        const problem = typeof path === 'string' ? testPathProblem(path) : undefined;
        if (problem !== undefined)
          reportAt(ctx, p, ['tests', suite, i, 'path'], 'bad-test', problem);
      });
    }
  }
}
