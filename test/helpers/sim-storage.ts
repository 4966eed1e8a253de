// Storage ids on the sim node, built the way phx's host targets build them
// (zfs create, then pvesm add): the sim accepts no storage it did not see
// made (issue 10), so tests that drive `pct` directly build theirs first.
import type { RunResult } from '../../src/backends/runner.ts';

export interface SimStorage {
  /** `pool/dataset`, on a pool the node has (node.ts defaultPools). */
  readonly dataset: string;
  readonly id: string;
}

/** The example configs' storage ids (configs/phoenix_hypervisor_config.json). */
export const exampleStorages: readonly SimStorage[] = [
  { dataset: 'quickOS/lxc-disks', id: 'quickOS-lxc-disks' },
  { dataset: 'quickOS/vm-disks', id: 'quickOS-vm-disks' },
  { dataset: 'fastData/shared-bulk-data', id: 'fastData-shared-bulk-data' },
];

/** Build each storage (a zfspool storage on its dataset); throws on the first refusal. */
export async function buildStorages(
  run: (argv: string[]) => Promise<RunResult>,
  storages: readonly SimStorage[] = exampleStorages,
): Promise<void> {
  for (const s of storages) {
    for (const argv of [
      ['zfs', 'create', '-o', `mountpoint=/${s.dataset}`, s.dataset],
      ['pvesm', 'add', 'zfspool', s.id, '--pool', s.dataset, '--content', 'images,rootdir'],
    ]) {
      const r = await run(argv);
      if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
    }
  }
}
