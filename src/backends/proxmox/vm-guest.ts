// The proxmox backend's guest operations for VMs (`guest.kind === 'vm'`):
// `qm` instead of `pct`, exec and files through the guest agent
// (qm-agent.ts), settings reconciled against /etc/pve/qemu-server/<id>.conf
// (vm-settings.ts), and the VmOps of a template build: stage the image,
// create the VM, wait for its agent. ProxmoxBackend dispatches here; the
// command lines come from qm-args.ts, so local, SSH and sim run the same.
import { copyFile, link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Guest } from '../../model/model.ts';
import type { Result } from '../../core/result.ts';
import { OpError } from '../../core/failure.ts';
import { isSafeAbsPath } from '../../model/pve/formats.ts';
import type {
  ExecRequest,
  GuestState,
  OpContext,
  SettingDrift,
  VmImage,
  VmOps,
} from '../backend.ts';
import { recordWrite } from '../host-write.ts';
import { spawnArgv } from '../local-runner.ts';
import type { CommandRunner, RunOptions, RunResult } from '../runner.ts';
import { parseConf } from './conf-file.ts';
import { type LockWait, unlockedConf } from './conf-lock.ts';
import { firewallFile } from './firewall-file.ts';
import { checkRemoteDir, checkSnapshotName } from './guest-args.ts';
import { isMissingGuest, isRunningStatus } from './inspect.ts';
import { AGENT_DIR, agentRun, agentWriteFile, type AgentChannel } from './qm-agent.ts';
import * as qm from './qm-args.ts';
import { confDescription } from './volume-args.ts';
import { BOOT_DISK, desiredVmSettings, reconcileVm } from './vm-settings.ts';

export const vmConfPath = (id: number): string => `/etc/pve/qemu-server/${id}.conf`;
const firewallPath = (id: number): string => `/etc/pve/firewall/${id}.fw`;

export interface VmHost {
  readonly runner: CommandRunner;
  readonly node: string;
  readonly lockWait: LockWait;
  /** A recorded, logged command; non-zero exit is 'command-failed' unless tolerated. */
  run(argv: string[], ctx: OpContext, tolerate?: (r: RunResult) => boolean): Promise<RunResult>;
  /** Replace a host file whole; failures as OpError. */
  writeHostFile(path: string, content: string, opts: RunOptions): Promise<void>;
}

function unwrap<T>(r: Result<T, string>): T {
  if (!r.ok) throw new OpError({ type: 'rejected', reason: r.error });
  return r.value;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new OpError({ type: 'cancelled' });
}

/** `--description phx:owner=…`: a VM phx makes carries its mark from its first moment. */
const ownerArgs = (ctx: OpContext): string[] =>
  ctx.owner === undefined ? [] : ['--description', ctx.owner];

export class VmGuestOps implements VmOps {
  /** The agent channel: commands recorded (file content redacted), their JSON not logged. */
  private readonly channel: AgentChannel;

  constructor(private readonly host: VmHost) {
    this.channel = {
      node: host.node,
      query: async (argv, ctx) => {
        throwIfCancelled(ctx.signal);
        ctx.commands.push(qm.recordedArgv(argv));
        return this.runOnce(argv, ctx);
      },
    };
  }

  /** One command, unrecorded and unlogged; an abort becomes OpError 'cancelled'. */
  private async runOnce(argv: readonly string[], ctx: OpContext): Promise<RunResult> {
    throwIfCancelled(ctx.signal);
    let r: RunResult;
    try {
      r = await this.host.runner.run(argv, this.opts(ctx));
    } catch (e) {
      throwIfCancelled(ctx.signal);
      throw e;
    }
    throwIfCancelled(ctx.signal);
    return r;
  }

  private opts(ctx: OpContext): RunOptions {
    return { signal: ctx.signal, target: ctx.target, targetKind: ctx.targetKind };
  }

  async readConf(id: number, signal: AbortSignal): Promise<string> {
    const text = await this.host.runner.readFile(vmConfPath(id), { signal });
    if (text === undefined)
      throw new OpError({
        type: 'rejected',
        reason: `VM ${id} does not exist (no ${vmConfPath(id)})`,
      });
    return text;
  }

  /** Live settings and the description, from one read of the config (inspect with settings). */
  async confState(
    id: number,
    signal: AbortSignal,
  ): Promise<Pick<GuestState, 'settings' | 'description'>> {
    const text = await this.readConf(id, signal);
    return {
      settings: Object.fromEntries(parseConf(text).options),
      description: confDescription(text),
    };
  }

  async settingsDrift(guest: Guest, signal: AbortSignal): Promise<SettingDrift[]> {
    const desired = unwrap(desiredVmSettings(guest));
    const conf = parseConf(await this.readConf(guest.id, signal));
    const plan = reconcileVm(desired, conf);
    const out: SettingDrift[] = [];
    for (const [key, value] of plan.set)
      out.push({ key, live: conf.options.get(key) ?? null, declared: value });
    for (const key of plan.delete)
      out.push({ key, live: conf.options.get(key) ?? null, declared: null });
    if (plan.resizeGb !== undefined)
      out.push({ key: `${BOOT_DISK} size`, live: 'smaller', declared: `${plan.resizeGb}G` });
    return out;
  }

  async applySettings(guest: Guest, ctx: OpContext): Promise<void> {
    const desired = unwrap(desiredVmSettings(guest));
    const conf = parseConf(await this.readConf(guest.id, ctx.signal));
    const plan = reconcileVm(desired, conf);
    for (const note of plan.notes) ctx.log(`VM ${guest.id}: ${note}`);
    const set = qm.vmSetArgv(guest.id, plan.set, plan.delete);
    if (set !== undefined) await this.host.run(set, ctx);
    if (plan.resizeGb !== undefined)
      await this.host.run(qm.vmResizeArgv(guest.id, plan.resizeGb), ctx);
    if (plan.cloudinit) await this.host.run(qm.cloudinitUpdateArgv(guest.id), ctx);
  }

  async clone(source: number, snapshot: string, guest: Guest, ctx: OpContext): Promise<void> {
    const snap = unwrap(checkSnapshotName(snapshot));
    await this.host.run([...qm.vmCloneArgv(source, snap, guest), ...ownerArgs(ctx)], ctx);
  }

  async setDescription(guest: Guest, description: string, ctx: OpContext): Promise<void> {
    await this.host.run(qm.vmDescriptionArgv(guest.id, description), ctx);
  }

  async exec(guest: Guest, req: ExecRequest, ctx: OpContext): Promise<void> {
    await agentRun(this.channel, guest.id, unwrap(qm.agentProgram(req)), ctx);
  }

  async pushFile(guest: Guest, content: string, remotePath: string, ctx: OpContext): Promise<void> {
    if (!isSafeAbsPath(remotePath) || remotePath.endsWith('/'))
      throw new OpError({
        type: 'rejected',
        reason: `remote file "${remotePath}" is not a plain absolute file path`,
      });
    await agentRun(this.channel, guest.id, ['mkdir', '-p', posix.dirname(remotePath)], ctx);
    await agentWriteFile(this.channel, guest.id, remotePath, Buffer.from(content), ctx);
  }

  /** A folder into the VM: one tar archive (modes kept, owned by root) written in chunks, unpacked there. */
  async push(guest: Guest, localDir: string, remoteDir: string, ctx: OpContext): Promise<void> {
    const dir = unwrap(checkRemoteDir(remoteDir));
    const archive = await packTar(localDir, ctx.signal);
    const id = guest.id;
    const tar = posix.join(AGENT_DIR, 'push.tar');
    await agentRun(this.channel, id, ['mkdir', '-p', AGENT_DIR], ctx);
    await agentWriteFile(this.channel, id, tar, archive, ctx);
    await agentRun(this.channel, id, ['rm', '-rf', dir], ctx);
    await agentRun(this.channel, id, ['mkdir', '-p', dir], ctx);
    await agentRun(this.channel, id, ['tar', '-xf', tar, '-C', dir], ctx);
    await agentRun(this.channel, id, ['rm', '-f', tar], ctx);
  }

  /** A folder out of the VM: archived there, read back as base64 from the agent's output, unpacked here. */
  async pull(guest: Guest, remoteDir: string, localDir: string, ctx: OpContext): Promise<void> {
    const dir = unwrap(checkRemoteDir(remoteDir));
    const id = guest.id;
    const tar = posix.join(AGENT_DIR, 'pull.tar');
    await agentRun(this.channel, id, ['mkdir', '-p', dir, AGENT_DIR], ctx);
    await agentRun(this.channel, id, ['tar', '-C', dir, '-cf', tar, '.'], ctx);
    const read = await agentRun(this.channel, id, ['base64', '-w0', tar], ctx, true);
    await agentRun(this.channel, id, ['rm', '-f', tar], ctx);
    await unpackTar(Buffer.from(read.out.trim(), 'base64'), localDir, ctx.signal);
  }

  async snapshot(guest: Guest, name: string, description: string, ctx: OpContext): Promise<void> {
    await this.host.run(
      qm.vmSnapshotArgv(guest.id, unwrap(checkSnapshotName(name)), description),
      ctx,
    );
  }

  async deleteSnapshot(guest: Guest, name: string, ctx: OpContext): Promise<void> {
    await this.host.run(qm.vmDelsnapshotArgv(guest.id, unwrap(checkSnapshotName(name))), ctx);
  }

  async rollback(guest: Guest, name: string, ctx: OpContext): Promise<void> {
    await this.host.run(qm.vmRollbackArgv(guest.id, unwrap(checkSnapshotName(name))), ctx);
  }

  private async status(guest: Guest, ctx: OpContext): Promise<'running' | 'stopped' | 'missing'> {
    const r = await this.host.run(qm.vmStatusArgv(guest.id), ctx, (x) =>
      isMissingGuest(x.stderr + x.stdout),
    );
    if (r.exitCode !== 0) return 'missing';
    return isRunningStatus(r.stdout) ? 'running' : 'stopped';
  }

  async start(guest: Guest, ctx: OpContext): Promise<void> {
    const s = await this.status(guest, ctx);
    if (s === 'missing')
      throw new OpError({ type: 'rejected', reason: `VM ${guest.id} does not exist` });
    if (s === 'stopped') await this.host.run(qm.vmStartArgv(guest.id), ctx);
  }

  async stop(guest: Guest, ctx: OpContext): Promise<void> {
    if ((await this.status(guest, ctx)) === 'running')
      await this.host.run(qm.vmStopArgv(guest.id), ctx);
  }

  async destroy(guest: Guest, ctx: OpContext): Promise<void> {
    const s = await this.status(guest, ctx);
    if (s === 'missing') return;
    if (s === 'running') await this.host.run(qm.vmStopArgv(guest.id), ctx);
    await this.host.run(qm.vmDestroyArgv(guest.id), ctx);
  }

  async writeFirewall(guest: Guest, ctx: OpContext): Promise<void> {
    const file = firewallFile(guest.firewall);
    const text = unwrap(file.ok ? file : { ok: false, error: `VM ${guest.id}: ${file.error}` });
    const path = firewallPath(guest.id);
    recordWrite(ctx, path);
    const opts = this.opts(ctx);
    // The .fw file is part of the guest: written once its config holds no lock.
    await unlockedConf(
      guest.id,
      path,
      () => this.host.runner.readFile(vmConfPath(guest.id), opts),
      this.host.lockWait,
      ctx.signal,
    );
    throwIfCancelled(ctx.signal);
    await this.host.writeHostFile(path, text, opts);
    ctx.log(`VM ${guest.id}: wrote ${path}`);
  }

  // VmOps

  async stageImage(image: VmImage, ctx: OpContext): Promise<string> {
    if (!qm.isSha256(image.sha256))
      throw new OpError({ type: 'rejected', reason: `"${image.sha256}" is not a sha256 in hex` });
    const dest = qm.imagePath(image.sha256);
    const has = await this.host.run(['sha256sum', dest], ctx, () => true);
    if (has.exitCode === 0 && has.stdout.startsWith(image.sha256)) {
      ctx.log(`image ${basename(image.localPath)} already on the node as ${dest}`);
      return dest;
    }
    // Only the image travels: a folder of its own, so staging over SSH copies nothing else.
    const tmp = await mkdtemp(join(tmpdir(), 'phx-image-'));
    try {
      const name = `${image.sha256}.img`;
      await link(image.localPath, join(tmp, name)).catch(() =>
        copyFile(image.localPath, join(tmp, name)),
      );
      const hostDir = await this.host.runner.stage(tmp, this.opts(ctx));
      try {
        const partial = `${dest}.partial`;
        await this.host.run(['mkdir', '-p', qm.IMAGE_STORE], ctx);
        await this.host.run(['cp', '--', posix.join(hostDir, name), partial], ctx);
        await this.host.run(['mv', '--', partial, dest], ctx);
      } finally {
        await this.host.runner.unstage(hostDir, this.opts(ctx));
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const check = await this.host.run(['sha256sum', dest], ctx);
    if (!check.stdout.startsWith(image.sha256))
      throw new OpError({
        type: 'rejected',
        reason: `the image copied to the node as ${dest} does not have the sha256 ${image.sha256}`,
      });
    return dest;
  }

  async createVm(guest: Guest, nodeImage: string, ctx: OpContext): Promise<void> {
    await this.host.run([...unwrap(qm.vmCreateArgv(guest, nodeImage)), ...ownerArgs(ctx)], ctx);
  }

  async waitForAgent(guest: Guest, timeoutMs: number, ctx: OpContext): Promise<void> {
    const start = Date.now();
    const argv = qm.agentPingArgv(guest.id);
    // Recorded once: a long wait would otherwise fill the record with pings.
    ctx.commands.push(argv);
    let pings = 0;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      const r = await this.runOnce(argv, ctx);
      pings++;
      if (r.exitCode === 0) {
        ctx.log(`VM ${guest.id}: guest agent answered after ${pings} ping(s)`);
        return;
      }
      const waitedMs = Date.now() - start;
      if (waitedMs >= timeoutMs) {
        ctx.log(`VM ${guest.id}: guest agent did not answer ${pings} ping(s): ${r.stderr.trim()}`);
        throw new OpError({ type: 'agent-timeout', vm: guest.id, waitedMs });
      }
      try {
        await sleep(Math.min(wait, timeoutMs - waitedMs), undefined, { signal: ctx.signal });
      } catch {
        throw new OpError({ type: 'cancelled' });
      }
    }
  }
}

/** Pack a local folder as a tar archive: modes kept, owner root, no shell. */
async function packTar(localDir: string, signal: AbortSignal): Promise<Buffer> {
  const tmp = await mkdtemp(join(tmpdir(), 'phx-vm-push-'));
  try {
    const file = join(tmp, 'push.tar');
    const argv = [
      'tar',
      '-cf',
      file,
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-C',
      localDir,
      '.',
    ];
    const r = await spawnArgv(argv, { signal });
    if (r.exitCode !== 0)
      throw new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
    return await readFile(file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Unpack a tar archive into a fresh local folder (as the CT pull does). */
async function unpackTar(data: Buffer, localDir: string, signal: AbortSignal): Promise<void> {
  await rm(localDir, { recursive: true, force: true });
  await mkdir(localDir, { recursive: true });
  const tmp = await mkdtemp(join(tmpdir(), 'phx-vm-pull-'));
  try {
    const file = join(tmp, 'pull.tar');
    await writeFile(file, data);
    const argv = ['tar', '-xf', file, '-C', localDir, '--no-same-owner'];
    const r = await spawnArgv(argv, { signal });
    if (r.exitCode !== 0)
      throw new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
