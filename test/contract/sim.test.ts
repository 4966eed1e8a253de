// The shared backend contract for the sim backend (the proxmox backend on the
// in-process simulated node) and for the proxmox backend whose command lines
// run as real processes against the simulated node. The sim cannot run guest
// programs, so the contract's in-guest shell checks prove less here than on
// lxc; every command line and host-file write is still accepted or refused by
// the node as Proxmox would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { registerBackendContract, type ContractHarness } from './backend-contract.ts';
import { makeGuest, type GuestOptions } from './guest-factory.ts';
import { ProcessSimRunner } from './process-sim-runner.ts';
import { buildStorages } from '../helpers/sim-storage.ts';

/** The storage the contract's guests live on, built on the node by each harness. */
const storage = { dataset: 'quickOS/contract', id: 'contract-disks' };

const template = '/var/lib/vz/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst';

function guestFor(id: number, opts: GuestOptions = {}) {
  const base = makeGuest(id, {
    ...opts,
    ...(opts.cloneFrom === undefined ? { template } : {}),
    network: opts.network ?? { bridge: 'vmbr0', ip: `10.254.0.${id % 200}/24` },
    config: { storage_pool: storage.id, storage_size_gb: 8, ...opts.config },
  });
  return { ...base, storagePool: storage.id, storageSizeGb: 8 };
}

async function harness(kind: 'sim' | 'proxmox'): Promise<ContractHarness> {
  const work = await mkdtemp(join(tmpdir(), `phx-contract-${kind}-`));
  const simDir = join(work, 'sim');
  // The node has only the storages built on it (issue 10): build the guests' one first.
  const seed = new SimRunner({ dir: simDir, durations: {}, scale: 0, faults: [] });
  const signal = new AbortController().signal;
  await buildStorages((argv) => seed.run(argv, { signal }), [storage]);
  const runner =
    kind === 'sim'
      ? new SimRunner({ dir: simDir, durations: {}, scale: 0, faults: [] })
      : new ProcessSimRunner(simDir, join(work, 'bin'));
  return {
    backend: new ProxmoxBackend({ runner, kind }),
    guest: guestFor,
    runsGuestPrograms: false,
    cleanup: () => rm(work, { recursive: true, force: true }),
  };
}

registerBackendContract('sim', () => harness('sim')).run();
registerBackendContract('proxmox (pct as processes on the sim node)', () =>
  harness('proxmox'),
).run();
