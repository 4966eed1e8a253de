// A VM build sequence through the proxmox backend on the sim node, as the VM
// rules run it: stage the image, create the template VM, settings, start,
// wait for the agent, push, exec, snapshot, clone, settings of the clone,
// rollback, firewall. Shared by the backend test and the API cross-check,
// which reads every argv the runner was really given.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpContext } from '../../src/backends/backend.ts';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { CommandRunner, RunOptions } from '../../src/backends/runner.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { guestTargetId, type TargetKind } from '../../src/core/target-id.ts';
import type { Guest } from '../../src/model/model.ts';
import { SimRunner, type SimOptions } from '../../src/sim/runner.ts';
import { buildStorages } from '../helpers/sim-storage.ts';

export const POOL = 'quickOS-vm-disks';

/** A VM entry as the model normalises one (phoenix_vm_configs.json keys in `config`). */
export function makeVm(
  id: number,
  config: Record<string, unknown> = {},
  over: Partial<Guest> = {},
): Guest {
  const name = typeof config.name === 'string' ? config.name : `vm${id}`;
  return {
    kind: 'vm',
    id: id as GuestId,
    name,
    isTemplate: false,
    enableLifecycleSnapshots: false,
    storagePool: POOL,
    unprivileged: false,
    memoryMb: 2048,
    cores: 2,
    startAtBoot: false,
    gpus: [],
    features: [],
    dependencies: [],
    dockerStacks: [],
    config: { network_bridge: 'vmbr0', ...config },
    source: { file: 'test', pointer: `/vms/${id}` },
    ...over,
  };
}

export interface VmCtx extends OpContext {
  readonly lines: string[];
  readonly commands: string[][];
}

export function vmCtx(id: number, kind: TargetKind = 'feature', signal?: AbortSignal): VmCtx {
  const lines: string[] = [];
  return {
    target: guestTargetId('vm', id as GuestId, kind),
    targetKind: kind,
    log: (line) => lines.push(line),
    commands: [],
    signal: signal ?? new AbortController().signal,
    owner: `phx:owner=test-${id}`,
    lines,
  };
}

/** A CommandRunner that keeps every argv it is given (unredacted), around the sim's. */
export class RecordingRunner implements CommandRunner {
  readonly argvs: string[][] = [];
  constructor(readonly inner: SimRunner) {}
  describe(): string {
    return this.inner.describe();
  }
  run(argv: readonly string[], opts: RunOptions) {
    this.argvs.push([...argv]);
    return this.inner.run(argv, opts);
  }
  readFile(path: string, opts: RunOptions) {
    return this.inner.readFile(path, opts);
  }
  writeFile(path: string, content: string, opts: RunOptions) {
    return this.inner.writeFile(path, content, opts);
  }
  stage(localDir: string) {
    return this.inner.stage(localDir);
  }
  unstage() {
    return this.inner.unstage();
  }
  close() {
    return this.inner.close();
  }
}

export interface VmRig {
  readonly dir: string;
  readonly sim: SimRunner;
  readonly runner: RecordingRunner;
  readonly backend: ProxmoxBackend;
  /** A local image file and its sha256. */
  readonly image: { localPath: string; sha256: string };
  readonly work: string;
}

export async function vmRig(options: Partial<SimOptions> = {}): Promise<VmRig> {
  const work = await mkdtemp(join(tmpdir(), 'phx-vm-'));
  const dir = join(work, 'sim');
  const sim = new SimRunner({ dir, durations: {}, scale: 0, faults: [], ...options });
  const signal = new AbortController().signal;
  await buildStorages((argv) => sim.run(argv, { signal }));
  const runner = new RecordingRunner(sim);
  const localPath = join(work, 'noble-server-cloudimg-amd64.img');
  const bytes = Buffer.from('QFI\xfb a small stand-in for a cloud image\n');
  writeFileSync(localPath, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    dir,
    sim,
    runner,
    backend: new ProxmoxBackend({ runner, kind: 'sim' }),
    image: { localPath, sha256 },
    work,
  };
}

/** A feature folder: an executable install.sh and a file larger than one file-write. */
export function featureDir(work: string): string {
  const dir = join(work, 'feature');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'install.sh'), '#!/usr/bin/env bash\nset -euo pipefail\necho ok\n', {
    mode: 0o755,
  });
  writeFileSync(join(dir, 'lib', 'big.bin'), Buffer.alloc(120_000, 0x41));
  return dir;
}

export const template = makeVm(9000, {
  name: 'ubuntu-2404-cloud-template',
  network_config: { ip: 'dhcp', nameserver: '10.0.0.13' },
  user_config: { username: 'phoenix_user' },
});

export const clone = makeVm(
  1001,
  {
    name: 'Portainer',
    network_config: { ip: '10.0.0.111/24', gw: '10.0.0.1', nameserver: '10.0.0.13' },
    user_config: { username: 'phoenix_user', ssh_keys: ['ssh-ed25519 AAAAC3Nz phx@test'] },
  },
  {
    name: 'Portainer',
    cloneFrom: 9000 as GuestId,
    memoryMb: 8192,
    cores: 4,
    storageSizeGb: 32,
    startAtBoot: true,
    bootOrder: 4,
    bootDelay: 2,
    firewall: {
      enabled: true,
      rules: [{ type: 'out', action: 'ACCEPT', dest: '10.0.0.153', proto: 'tcp', port: '443' }],
    },
  },
);

/** The whole sequence; returns the contexts by step for assertions. */
export async function runSequence(rig: VmRig): Promise<Record<string, VmCtx>> {
  const b = rig.backend;
  const ops = b.vmOps();
  const steps: Record<string, VmCtx> = {};
  const step = (name: string, id: number, kind: TargetKind) => (steps[name] = vmCtx(id, kind));
  const nodeImage = await ops.stageImage(rig.image, step('stage', 9000, 'create'));
  await ops.createVm(template, nodeImage, step('create', 9000, 'create'));
  await b.applySettings(template, step('settings', 9000, 'settings'));
  await b.start(template, step('start', 9000, 'feature'));
  await ops.waitForAgent(template, 5000, step('agent', 9000, 'feature'));
  const push = step('push', 9000, 'feature');
  await b.push(template, featureDir(rig.work), '/var/lib/phx/features/base', push);
  await b.pushFile(template, '{"vmid": 9000}\n', '/var/lib/phx/ctx/entry.json', push);
  await b.exec(
    template,
    { cwd: '/var/lib/phx/features/base', argv: ['./install.sh'], env: { PHX_ID: '9000' } },
    step('exec', 9000, 'feature'),
  );
  await b.stop(template, step('stop', 9000, 'snapshot'));
  await b.snapshot(
    template,
    'initial_clean_state',
    'phx layer',
    step('snapshot', 9000, 'snapshot'),
  );
  await b.clone(9000 as GuestId, 'initial_clean_state', clone, step('clone', 1001, 'clone'));
  await b.applySettings(clone, step('clone-settings', 1001, 'settings'));
  await b.snapshot(clone, 'phx-settings', 'settings', step('clone-snapshot', 1001, 'snapshot'));
  await b.start(clone, step('clone-start', 1001, 'feature'));
  await ops.waitForAgent(clone, 5000, step('clone-agent', 1001, 'feature'));
  await b.rollback(clone, 'phx-settings', step('rollback', 1001, 'feature'));
  await b.writeFirewall(clone, step('firewall', 1001, 'firewall'));
  return steps;
}
