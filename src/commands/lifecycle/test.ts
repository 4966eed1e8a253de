// `phx test [SUITE|ID]`: run the selected tests inside their guests and
// report pass/fail for each; exit 1 if any fails. A script test pushes its
// folder (features/tests/<dir>/) into the guest and runs the script there; a
// health check runs exactly as the build's `check` target runs it.
import { basename, dirname } from 'node:path';
import type { Backend } from '../../backends/backend.ts';
import { inspectGuests } from '../../engine/planning.ts';
import { prepare } from '../prepare.ts';
import type { Guest } from '../../model/model.ts';
import { lockCacheFor } from '../cache-lock.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { failureText, lifecycleOp, vmNote, withBackend } from './common.ts';
import { runHealthCheck } from '../../../rules/health-check.ts';
import { collectTests, testFilter, type TestCase } from './test-cases.ts';

export interface TestArgs {
  readonly selector?: string;
}

interface Outcome {
  readonly test: TestCase;
  readonly result: 'pass' | 'fail';
  readonly error?: string;
}

/** A function, not `signal.aborted` inline: the flag changes across awaits, which narrowing cannot see. */
const cancelled = (ctx: CommandContext): boolean => ctx.signal.aborted;

/** One path segment inside the guest for a test's folder. */
const segment = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export async function run(ctx: CommandContext, args: TestArgs): Promise<number> {
  // Config errors (a missing script) are found before any backend is opened.
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const { project } = prepared.value;
  const found = collectTests(project, ctx.cwd);
  const filter = testFilter(project, found, args.selector);
  if (!filter.ok) {
    ctx.io.err(`phx: ${filter.error}\n`);
    return ExitCode.usage;
  }
  const problems = found.problems.filter(filter.value);
  if (problems.length > 0) {
    for (const p of problems) ctx.io.err(`${p.message}\n`);
    return ExitCode.error;
  }
  const selected = found.cases.filter(filter.value);
  const vms = [...new Set(selected.filter((c) => c.guest.kind === 'vm').map((c) => c.guest))];
  const note = vmNote(vms);
  if (note !== undefined && !ctx.globals.quiet) ctx.io.err(note + '\n');
  const cases = selected.filter((c) => c.guest.kind === 'lxc');
  if (cases.length === 0) {
    if (!ctx.globals.quiet)
      ctx.io.err(
        `phx: no tests${args.selector === undefined ? '' : ` for ${args.selector}`} in the configs\n`,
      );
    if (ctx.globals.json)
      ctx.io.out(
        JSON.stringify({ version: 1, tests: [], summary: { passed: 0, failed: 0 } }, null, 2) +
          '\n',
      );
    return ExitCode.ok;
  }
  return withBackend(
    ctx,
    async (again, backend) => {
      // Tests push folders into guests and may start them: the host is written, so the lock is taken.
      const lock = await lockCacheFor(ctx, again.paths.cacheDir);
      if (!lock.ok) return lock.exitCode;
      try {
        return await runCases(ctx, backend, cases, again.project.featuresDir);
      } finally {
        lock.release();
      }
    },
    prepared.value,
  );
}

async function runCases(
  ctx: CommandContext,
  backend: Backend,
  cases: readonly TestCase[],
  featuresDir: string,
): Promise<number> {
  const guests = [...new Set(cases.map((c) => c.guest))];
  const live = await inspectGuests(backend, guests, ctx.signal);
  const outcomes: Outcome[] = [];
  const started = new Set<Guest>();
  for (const test of cases) {
    if (cancelled(ctx)) return ExitCode.interrupted;
    const state = live.get(String(test.guest.id));
    let outcome: Outcome;
    if (state?.exists !== true) {
      outcome = {
        test,
        result: 'fail',
        error: `CT ${test.guest.id} is not on the host (phx build ${test.guest.id} creates it)`,
      };
    } else {
      try {
        if (!state.running && !started.has(test.guest)) {
          await backend.start(test.guest, lifecycleOp(ctx, test.guest, 'check'));
          started.add(test.guest);
        }
        await runOne(ctx, backend, test, featuresDir);
        outcome = { test, result: 'pass' };
      } catch (e) {
        if (cancelled(ctx)) return ExitCode.interrupted;
        outcome = { test, result: 'fail', error: failureText(e) };
      }
    }
    outcomes.push(outcome);
    if (!ctx.globals.json && !ctx.globals.quiet) ctx.io.out(outcomeLine(outcome));
  }
  for (const g of started)
    if (!ctx.globals.quiet && !ctx.globals.json)
      ctx.io.err(`phx: started ${g.id} to test it; it is left running\n`);
  const failed = outcomes.filter((o) => o.result === 'fail').length;
  const passed = outcomes.length - failed;
  if (ctx.globals.json) {
    const tests = outcomes.map((o) => ({
      guest: o.test.guest.id,
      suite: o.test.suite,
      name: o.test.name,
      result: o.result,
      ...(o.error === undefined ? {} : { error: o.error }),
    }));
    ctx.io.out(JSON.stringify({ version: 1, tests, summary: { passed, failed } }, null, 2) + '\n');
  } else if (ctx.globals.quiet) {
    for (const o of outcomes) if (o.result === 'fail') ctx.io.out(outcomeLine(o));
  } else ctx.io.out(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? ExitCode.error : ExitCode.ok;
}

function outcomeLine(o: Outcome): string {
  const what = `${o.test.guest.id} ${o.test.suite}/${o.test.name}`;
  return o.result === 'pass' ? `PASS ${what}\n` : `FAIL ${what}: ${o.error ?? ''}\n`;
}

async function runOne(
  ctx: CommandContext,
  backend: Backend,
  test: TestCase,
  featuresDir: string,
): Promise<void> {
  const guest = test.guest;
  const op = lifecycleOp(ctx, guest, 'check');
  if (test.type === 'health_check') {
    await runHealthCheck(
      backend,
      guest,
      test.check,
      featuresDir,
      `/var/lib/phx/test/${guest.id}_health_check`,
      op,
    );
    return;
  }
  const remoteDir = `/var/lib/phx/test/${guest.id}_${segment(test.suite)}_${segment(test.name)}`;
  await backend.push(guest, dirname(test.script), remoteDir, op);
  const script = basename(test.script);
  // A script without its executable bit still runs: its folder is ours, not the guest's PATH.
  const argv = test.executable ? [`./${script}`] : ['sh', `./${script}`];
  await backend.exec(
    guest,
    { cwd: remoteDir, argv, env: { PHX_ID: String(guest.id), PHX_TEST_SUITE: test.suite } },
    op,
  );
}
