// Shared by the lifecycle tests: a rig built once per test file, and direct
// access to its sim node (to change the "host" behind phx's back).
import * as assert from 'uvu/assert';
import type { RunResult } from '../../src/backends/runner.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { Rig, type PhxResult } from '../helpers/rig.ts';

export async function builtRig(
  args: readonly string[] = ['--all'],
  edit?: (rig: Rig) => void,
): Promise<Rig> {
  const rig = Rig.create();
  edit?.(rig);
  const r = await rig.phx(['build', ...args]);
  if (r.code !== 0)
    throw new Error(`phx build ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
  return rig;
}

/** Run one command line on the rig's sim node, as an admin at the host's shell would. */
export async function simRun(rig: Rig, ...argv: string[]): Promise<RunResult> {
  const sim = new SimRunner({ dir: rig.path('.phoenix-sim'), durations: {}, scale: 0, faults: [] });
  return sim.run(argv, { signal: new AbortController().signal });
}

export function expectCode(r: PhxResult, code: number, what: string): void {
  assert.is(r.code, code, `${what}: exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** `pct <verb> <id>` lines the sim journalled, in order, after `from` entries. */
export function journalled(rig: Rig, verb: string, from = 0): string[] {
  return rig
    .journal()
    .slice(from)
    .filter(
      (e: { op: string; argv?: string[] }) =>
        e.op === 'run' && (e.argv?.[0] === 'pct' || e.argv?.[0] === 'qm') && e.argv[1] === verb,
    )
    .map((e: { argv: string[] }) => e.argv[2]!);
}

/** Snapshot names of a CT on the rig's sim node, oldest first, as `pvesh` lists them. */
export async function simSnapshots(rig: Rig, id: string): Promise<string[]> {
  const r = await simRun(
    rig,
    'pvesh',
    'get',
    `/nodes/localhost/lxc/${id}/snapshot`,
    '--output-format',
    'json',
  );
  return (JSON.parse(r.stdout) as { name: string }[]).map((s) => s.name);
}
