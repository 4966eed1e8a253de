// What `phx test` runs: each guest's `tests` entries (`{suite: [{name, type:
// "script", path}]}`, the script being features/tests/<path>) and its
// `health_check`, as the pseudo-suite `health_check`. Collected and checked
// before any backend call, so a missing script is a config error that points
// at the entry, not a failure halfway through a run.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import type { Guest, Project } from '../../model/model.ts';
import type { HealthCheckSpec } from '../../../rules/health-check.ts';
import type { Found } from './common.ts';

export type { HealthCheckSpec };

export type TestCase =
  | {
      readonly type: 'script';
      readonly guest: Guest;
      readonly suite: string;
      readonly name: string;
      /** Absolute local path of the script. */
      readonly script: string;
      readonly executable: boolean;
      readonly pointer: string;
    }
  | {
      readonly type: 'health_check';
      readonly guest: Guest;
      readonly suite: 'health_check';
      readonly name: string;
      readonly check: HealthCheckSpec;
      readonly pointer: string;
    };

export const HEALTH_SUITE = 'health_check';

/** A declared test that cannot run; reported only when the selection includes it. */
export interface TestProblem {
  readonly guest: Guest;
  readonly suite: string;
  readonly message: string;
}

interface RawTest {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly path?: unknown;
}

/** Every declared test and health check, and every problem with them (all at once). */
export function collectTests(
  project: Project,
  cwd: string,
): { cases: TestCase[]; problems: TestProblem[] } {
  const testsDir = join(project.featuresDir, 'tests');
  const cases: TestCase[] = [];
  const problems: TestProblem[] = [];
  const guests = [...project.guests.values()].sort((a, b) => a.id - b.id);
  for (const guest of guests) {
    const at = (pointer: string) => `${guest.source.file}: ${pointer}`;
    const problem = (suite: string, message: string) => problems.push({ guest, suite, message });
    const suites = guest.config.tests;
    if (suites !== null && typeof suites === 'object' && !Array.isArray(suites)) {
      for (const [suite, list] of Object.entries(suites as Record<string, unknown>)) {
        if (!Array.isArray(list)) continue; // the schema already refused it
        (list as RawTest[]).forEach((t, i) => {
          const pointer = `${guest.source.pointer}/tests/${suite}/${i}`;
          const name = typeof t.name === 'string' ? t.name : `#${i}`;
          if (t.type !== 'script') {
            problem(
              suite,
              `${at(`${pointer}/type`)}: test type ${JSON.stringify(t.type)} is not supported (only "script")`,
            );
            return;
          }
          const path = typeof t.path === 'string' ? t.path : '';
          const rel = normalize(path);
          if (path === '' || isAbsolute(path) || rel.startsWith('..')) {
            problem(
              suite,
              `${at(`${pointer}/path`)}: ${JSON.stringify(path)} must be a path inside ${relative(cwd, testsDir) || testsDir}/`,
            );
            return;
          }
          const script = join(testsDir, rel);
          if (!existsSync(script) || !statSync(script).isFile()) {
            problem(
              suite,
              `${at(`${pointer}/path`)}: test script ${relative(cwd, script)} does not exist`,
            );
            return;
          }
          cases.push({
            type: 'script',
            guest,
            suite,
            name,
            script,
            executable: isExecutable(script),
            pointer,
          });
        });
      }
    }
    const hc = guest.config.health_check as HealthCheckSpec | undefined;
    if (hc?.command !== undefined) {
      cases.push({
        type: 'health_check',
        guest,
        suite: HEALTH_SUITE,
        name: hc.command,
        check: hc,
        pointer: `${guest.source.pointer}/health_check`,
      });
    }
  }
  return { cases, problems };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `phx test` (all), `phx test 950` (one guest's), `phx test integration` (one suite across guests). */
export function testFilter(
  project: Project,
  found: { readonly cases: readonly TestCase[]; readonly problems: readonly TestProblem[] },
  selector: string | undefined,
): Found<(t: { readonly guest: Guest; readonly suite: string }) => boolean> {
  if (selector === undefined) return { ok: true, value: () => true };
  if (/^\d+$/.test(selector)) {
    const guest = [...project.guests.values()].find((g) => String(g.id) === selector);
    if (guest === undefined)
      return { ok: false, error: `${selector} is not a CTID or VMID in the configs` };
    return { ok: true, value: (t) => t.guest === guest };
  }
  const suites = [...new Set([...found.cases, ...found.problems].map((c) => c.suite))].sort();
  if (!suites.includes(selector)) {
    return {
      ok: false,
      error: `no test suite "${selector}" in the configs${suites.length > 0 ? ` (suites: ${suites.join(', ')})` : ''}`,
    };
  }
  return { ok: true, value: (t) => t.suite === selector };
}
