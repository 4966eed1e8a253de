// Shared set-up for the sim tests: a SimRunner on a fresh temp state folder.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions, RunResult } from '../../src/backends/runner.ts';
import { SimRunner, type SimOptions } from '../../src/sim/runner.ts';
import { buildStorages } from '../helpers/sim-storage.ts';

export interface SimRig {
  readonly dir: string;
  readonly sim: SimRunner;
  run(...argv: string[]): Promise<RunResult>;
  runWith(opts: Partial<RunOptions>, ...argv: string[]): Promise<RunResult>;
}

export const TEMPLATE = 'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst';

const temps: string[] = [];
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A temp folder removed when the test process exits. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * A sim node on a fresh state folder. The node has no storage but Proxmox's
 * `local` until one is built: unless `bare`, the example configs' storage
 * ids are built first, with the commands phx's host targets run
 * (test/helpers/sim-storage.ts), so a test can create CTs on them.
 */
export async function makeSim(
  extra: Partial<SimOptions> & { readonly bare?: boolean } = {},
): Promise<SimRig> {
  const { bare, ...options } = extra;
  const dir = await tempDir('phx-sim-');
  const sim = new SimRunner({ dir, durations: {}, scale: 0, faults: [], ...options });
  const signal = new AbortController().signal;
  if (bare !== true) await buildStorages((argv) => sim.run(argv, { signal }));
  return {
    dir,
    sim,
    run: (...argv) => sim.run(argv, { signal }),
    runWith: (opts, ...argv) => sim.run(argv, { signal, ...opts }),
  };
}

/** A CT as phx's proxmox backend creates one. */
export async function createCt(rig: SimRig, id: number, ...extra: string[]): Promise<RunResult> {
  return rig.run(
    'pct',
    'create',
    String(id),
    TEMPLATE,
    '--hostname',
    `ct${id}`,
    '--memory',
    '2048',
    '--cores',
    '2',
    '--storage',
    'quickOS-lxc-disks',
    '--rootfs',
    'quickOS-lxc-disks:16',
    '--net0',
    'name=eth0,bridge=vmbr0,ip=10.0.0.200/24,gw=10.0.0.1',
    '--unprivileged',
    '1',
    ...extra,
  );
}

export function expectOk(r: RunResult, what: string): RunResult {
  if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr}`);
  return r;
}
