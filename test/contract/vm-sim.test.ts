// The shared backend contract for VM guests: the proxmox backend on the
// simulated node, with `qm` and the guest agent instead of `pct` (issue 11).
// A VM is created from a disk image (vmOps: stageImage, createVm) rather
// than Backend.create; everything after that is the same contract the
// containers pass. The sim cannot run guest programs (runsGuestPrograms
// false), but every command line and agent call is accepted or refused by
// the node as Proxmox would.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { Guest } from '../../src/model/model.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { buildStorages } from '../helpers/sim-storage.ts';
import { registerBackendContract, type ContractHarness } from './backend-contract.ts';
import { makeGuest, type GuestOptions } from './guest-factory.ts';

const storage = { dataset: 'quickOS/contract-vms', id: 'contract-vm-disks' };

function vmFor(id: number, opts: GuestOptions = {}): Guest {
  const base = makeGuest(id, {
    ...opts,
    network: opts.network ?? { bridge: 'vmbr0', ip: `10.254.1.${id % 200}/24` },
    config: { storage_pool: storage.id, disk_size_gb: 8, ...opts.config },
  });
  return {
    ...base,
    kind: 'vm',
    storagePool: storage.id,
    storageSizeGb: 8,
    source: { file: 'test', pointer: `/vms/${id}` },
  };
}

async function harness(): Promise<ContractHarness> {
  const work = await mkdtemp(join(tmpdir(), 'phx-contract-vm-'));
  const runner = new SimRunner({ dir: join(work, 'sim'), durations: {}, scale: 0, faults: [] });
  const signal = new AbortController().signal;
  await buildStorages((argv) => runner.run(argv, { signal }), [storage]);
  const image = join(work, 'cloud.img');
  const bytes = Buffer.from('QFI\xfb contract stand-in image\n');
  await writeFile(image, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const backend = new ProxmoxBackend({ runner, kind: 'sim' });
  const ops = backend.vmOps();
  return {
    backend,
    guest: vmFor,
    ids: [9990, 9991],
    runsGuestPrograms: false,
    create: async (guest, ctx) => {
      const nodeImage = await ops.stageImage({ localPath: image, sha256 }, ctx);
      await ops.createVm(guest, nodeImage, ctx);
    },
    cleanup: () => rm(work, { recursive: true, force: true }),
  };
}

registerBackendContract('sim (VM guests through qm and the guest agent)', harness).run();
