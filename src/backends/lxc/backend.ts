// The lxc backend (DESIGN §5): guest operations on a plain Linux host with
// the lxc-* tools, real containers named by their CTID. The rootfs is a `dir`
// backing store under <lxcpath>/<id>/, so snapshots and clones are full
// copies (LXC's snapshot clones need overlayfs/btrfs/zfs/lvm backing, and
// DESIGN §2 asks for full clones anyway).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { recordWrite } from '../host-write.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Guest } from '../../model/model.ts';
import type { GuestId, GuestKind } from '../../core/ids.ts';
import {
  type Backend,
  type ExecRequest,
  type GuestState,
  type OpContext,
  type SettingDrift,
} from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import { detectCgroups, type CgroupCaps } from './cgroups.ts';
import { baseConfig, managedSettings, withManagedBlock } from './config-file.ts';
import { firewallRecord, NOT_ENFORCED } from './firewall.ts';
import { LxcPaths } from './paths.ts';
import { checkTarball, extractTarball, pullDir, pushDir, pushFile } from './rootfs.ts';
import { queryContext, runCommand } from './run.ts';
import { desiredLxcSettings } from './settings.ts';
import {
  badSnapshotText,
  commentText,
  listSnapshots,
  runLxcSnapshot,
  type LxcSnapshot,
} from './snapshots.ts';
import { checkBridge } from './bridge.ts';
import { processStartMs } from './process-start.ts';
import { settingsChanged } from './settings-changed.ts';

export interface LxcBackendOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Where containers live; default env PHX_LXC_PATH, else /var/lib/lxc. */
  readonly lxcPath?: string;
}

const COMMON_CONF = '/usr/share/lxc/config/common.conf';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** cd into the working directory, then run the argv as given: no value is ever shell text. */
const CD_EXEC = 'cd -- "$1" || exit 126; shift; exec "$@"';
const START_TIMEOUT_S = '10';
const STOP_TIMEOUT_S = '10';

export class LxcBackend implements Backend {
  readonly kind = 'lxc' as const;
  private readonly paths: LxcPaths;
  private caps: CgroupCaps | undefined;

  constructor(opts: LxcBackendOptions) {
    this.paths = new LxcPaths(opts.lxcPath ?? opts.env.PHX_LXC_PATH ?? '/var/lib/lxc');
  }

  describe(): string {
    return `backend: lxc (${this.paths.lxcPath})`;
  }

  /** `tool -P <lxcpath> -n <id> …`: every lxc-* call names the store explicitly. */
  private lxc(tool: string, id: GuestId, ...rest: string[]): string[] {
    return [tool, '-P', this.paths.lxcPath, '-n', this.paths.name(id), ...rest];
  }

  private exists(id: GuestId): boolean {
    return existsSync(this.paths.config(id));
  }

  private requireGuest(guest: { kind: GuestKind; id: GuestId }): void {
    if (guest.kind !== 'lxc') {
      throw new OpError({
        type: 'rejected',
        reason: `VM ${guest.id}: the lxc backend runs containers only`,
      });
    }
    if (!this.exists(guest.id)) {
      throw new OpError({
        type: 'rejected',
        reason: `CT ${guest.id} does not exist (no ${this.paths.config(guest.id)})`,
      });
    }
  }

  private async isRunning(id: GuestId, ctx: OpContext): Promise<boolean> {
    const r = await runCommand(this.lxc('lxc-info', id, '-s'), ctx, { quiet: true });
    return /State:\s+RUNNING/.test(r.stdout);
  }

  private async snapshotNamed(id: GuestId, name: string): Promise<LxcSnapshot> {
    const snap = (await listSnapshots(this.paths.snaps(id))).find((s) => s.name === name);
    if (snap === undefined)
      throw new OpError({ type: 'rejected', reason: `CT ${id} has no snapshot "${name}"` });
    return snap;
  }

  async inspect(
    guests: readonly { kind: GuestKind; id: GuestId }[],
    signal: AbortSignal,
  ): Promise<Map<GuestId, GuestState>> {
    const out = new Map<GuestId, GuestState>();
    for (const g of guests) {
      if (g.kind !== 'lxc' || !this.exists(g.id)) {
        out.set(g.id, { exists: false, running: false, snapshots: [], settings: {} });
        continue;
      }
      // The one query per guest; snapshots and settings are local files.
      const running = await this.isRunning(g.id, queryContext(signal));
      const snapshots = (await listSnapshots(this.paths.snaps(g.id))).map(
        ({ name, description }) => ({ name, description }),
      );
      const settings = managedSettings(await readFile(this.paths.config(g.id), 'utf8'));
      const description = await readFile(this.descriptionFile(g.id), 'utf8').catch(() => '');
      out.set(g.id, { exists: true, running, snapshots, settings, description });
    }
    return out;
  }

  async create(guest: Guest, ctx: OpContext): Promise<void> {
    if (guest.kind !== 'lxc')
      throw new OpError({
        type: 'rejected',
        reason: `VM ${guest.id}: the lxc backend runs containers only`,
      });
    if (this.exists(guest.id))
      throw new OpError({
        type: 'rejected',
        reason: `CT ${guest.id} already exists in ${this.paths.lxcPath}`,
      });
    const tarball = await checkTarball(guest.template);
    const dir = this.paths.dir(guest.id);
    await mkdir(this.paths.lxcPath, { recursive: true });
    await rm(dir, { recursive: true, force: true }); // a half-made earlier attempt has no config
    await mkdir(this.paths.rootfs(guest.id), { recursive: true });
    try {
      await extractTarball(tarball, this.paths.rootfs(guest.id), ctx);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    const common = existsSync(COMMON_CONF) ? COMMON_CONF : undefined;
    await writeFile(
      this.paths.config(guest.id),
      baseConfig({
        id: this.paths.name(guest.id),
        rootfs: this.paths.rootfs(guest.id),
        commonConf: common,
      }),
    );
    await this.markOwner(guest.id, ctx);
    if (guest.storagePool !== undefined || guest.storageSizeGb !== undefined)
      ctx.log(
        'lxc backend: storage_pool/storage_size_gb not applied (dir backing store under the lxc path, no size limit)',
      );
  }

  async clone(source: GuestId, snapshot: string, guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest({ kind: 'lxc', id: source });
    if (this.exists(guest.id))
      throw new OpError({
        type: 'rejected',
        reason: `CT ${guest.id} already exists in ${this.paths.lxcPath}`,
      });
    const snap = await this.snapshotNamed(source, snapshot);
    // Restoring a snapshot under a new name is a full copy of that snapshot's rootfs and config.
    await runLxcSnapshot(
      this.lxc('lxc-snapshot', source, '-r', snap.lxcName, '-N', this.paths.name(guest.id)),
      this.paths.config(source),
      ctx,
    );
    await this.markOwner(guest.id, ctx);
  }

  /**
   * LXC keeps no description: phx's owner mark lives in a file beside the
   * container's config, where only this backend looks.
   */
  private descriptionFile(id: GuestId): string {
    return join(this.paths.dir(id), 'phx-description');
  }

  private async markOwner(id: GuestId, ctx: OpContext): Promise<void> {
    if (ctx.owner !== undefined) await writeFile(this.descriptionFile(id), ctx.owner + '\n');
  }

  async setDescription(guest: Guest, description: string, _ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    await writeFile(this.descriptionFile(guest.id), description + '\n');
  }

  async applySettings(guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    this.caps ??= detectCgroups();
    const desired = desiredLxcSettings(guest, this.caps);
    if (!desired.ok)
      throw new OpError({ type: 'rejected', reason: `CT ${guest.id}: ${desired.error}` });
    for (const bridge of desired.value.bridges) await checkBridge(bridge, ctx);
    for (const note of desired.value.notes) ctx.log(`lxc backend: ${note}`);
    const file = this.paths.config(guest.id);
    const before = await readFile(file, 'utf8');
    const after = withManagedBlock(before, desired.value.lines);
    if (after === before) return;
    // Replace, never half-write: LXC reads this file on every start and attach.
    recordWrite(ctx, file);
    await writeFile(`${file}.phx-tmp`, after);
    await rename(`${file}.phx-tmp`, file);
  }

  async settingsDrift(guest: Guest, _signal: AbortSignal): Promise<SettingDrift[]> {
    this.requireGuest(guest);
    this.caps ??= detectCgroups();
    const desired = desiredLxcSettings(guest, this.caps);
    if (!desired.ok)
      throw new OpError({ type: 'rejected', reason: `CT ${guest.id}: ${desired.error}` });
    const text = await readFile(this.paths.config(guest.id), 'utf8');
    const live = managedSettings(text);
    const declared = managedSettings(withManagedBlock(text, desired.value.lines));
    const out: SettingDrift[] = [];
    for (const key of [...new Set([...Object.keys(live), ...Object.keys(declared)])].sort()) {
      if (live[key] !== declared[key])
        out.push({ key, live: live[key] ?? null, declared: declared[key] ?? null });
    }
    return out;
  }

  async push(guest: Guest, localDir: string, remoteDir: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    await pushDir(this.paths.rootfs(guest.id), localDir, remoteDir, ctx);
  }

  async pushFile(guest: Guest, content: string, remotePath: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    await pushFile(this.paths.rootfs(guest.id), content, remotePath, ctx);
  }

  async pull(guest: Guest, remoteDir: string, localDir: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    await pullDir(this.paths.rootfs(guest.id), remoteDir, localDir, ctx);
  }

  async exec(guest: Guest, req: ExecRequest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    const env: Record<string, string> = { PATH: DEFAULT_PATH, HOME: '/root', ...req.env };
    const bad = Object.entries(env).find(
      ([k, v]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || v.includes('\0'),
    );
    if (bad !== undefined)
      throw new OpError({
        type: 'rejected',
        reason: `environment variable ${JSON.stringify(bad[0])} is not NAME=value`,
      });
    if (req.argv.length === 0)
      throw new OpError({ type: 'rejected', reason: 'exec needs a command' });
    if (!(await this.isRunning(guest.id, ctx)))
      throw new OpError({ type: 'rejected', reason: `CT ${guest.id} is not running` });
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
    await runCommand(
      [
        ...this.lxc('lxc-attach', guest.id, '--clear-env', ...envArgs),
        '--',
        '/bin/sh',
        '-c',
        CD_EXEC,
        'phx-exec',
        req.cwd,
        ...req.argv,
      ],
      ctx,
    );
  }

  async snapshot(guest: Guest, name: string, description: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    const bad = badSnapshotText(name, description);
    if (bad !== undefined) throw new OpError({ type: 'rejected', reason: bad });
    if ((await listSnapshots(this.paths.snaps(guest.id))).some((s) => s.name === name))
      throw new OpError({
        type: 'rejected',
        reason: `CT ${guest.id} already has a snapshot "${name}"`,
      });
    // LXC copies a dir rootfs only while the container is stopped; put it back as it was.
    const wasRunning = await this.isRunning(guest.id, ctx);
    if (wasRunning) {
      ctx.log(
        `lxc backend: stopping CT ${guest.id} for the snapshot (LXC snapshots a dir rootfs only when stopped)`,
      );
      await this.stop(guest, ctx);
    }
    const tmp = await mkdtemp(join(tmpdir(), 'phx-lxc-'));
    try {
      const comment = join(tmp, 'comment');
      await writeFile(comment, commentText(name, description));
      await runLxcSnapshot(
        this.lxc('lxc-snapshot', guest.id, '-c', comment),
        this.paths.config(guest.id),
        ctx,
      );
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    if (wasRunning) await this.start(guest, ctx);
  }

  async deleteSnapshot(guest: Guest, name: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    const snap = await this.snapshotNamed(guest.id, name);
    await runCommand(this.lxc('lxc-snapshot', guest.id, '-d', snap.lxcName), ctx);
  }

  async rollback(guest: Guest, name: string, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    const snap = await this.snapshotNamed(guest.id, name);
    await this.stop(guest, ctx);
    // Restoring onto its own name replaces rootfs and config in place and keeps the snapshots (LXC 5).
    await runLxcSnapshot(
      this.lxc('lxc-snapshot', guest.id, '-r', snap.lxcName, '-N', this.paths.name(guest.id)),
      this.paths.config(guest.id),
      ctx,
    );
  }

  async start(guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    if (await this.isRunning(guest.id, ctx)) return;
    const log = this.paths.startLog(guest.id);
    await rm(log, { force: true });
    try {
      await runCommand(this.lxc('lxc-start', guest.id, '-o', log, '-l', 'WARN'), ctx);
      await runCommand(this.lxc('lxc-wait', guest.id, '-s', 'RUNNING', '-t', START_TIMEOUT_S), ctx);
      // What this run took: restartPending compares the config file with it.
      await copyFile(this.paths.config(guest.id), this.paths.startedConfig(guest.id));
    } catch (e) {
      // lxc-start itself only says "failed to start"; the reason is in its log.
      const why = await readFile(log, 'utf8').catch(() => '');
      for (const line of why
        .split('\n')
        .filter((l) => /ERROR|WARN/.test(l))
        .slice(-10))
        ctx.log(line);
      throw e;
    }
  }

  /**
   * LXC applies its config only at start, so every managed setting whose line
   * differs from the config this run started with waits for a restart. The
   * started copy counts only if phx wrote it during this run (not older than
   * the container's init process): a container started otherwise cannot say.
   */
  async restartPending(guest: Guest, signal: AbortSignal): Promise<readonly string[]> {
    if (guest.kind !== 'lxc' || !this.exists(guest.id)) return [];
    const ctx = queryContext(signal);
    const info = await runCommand(this.lxc('lxc-info', guest.id, '-s', '-p'), ctx, { quiet: true });
    const pid = /^PID:\s+(\d+)$/m.exec(info.stdout)?.[1];
    if (!/State:\s+RUNNING/.test(info.stdout) || pid === undefined) return [];
    const started = await stat(this.paths.startedConfig(guest.id)).catch(() => undefined);
    const init = await processStartMs(Number(pid));
    // A second of slack: boot time is whole seconds.
    if (started === undefined || init === undefined || started.mtimeMs < init - 1000) return [];
    return settingsChanged(
      managedSettings(await readFile(this.paths.startedConfig(guest.id), 'utf8')),
      managedSettings(await readFile(this.paths.config(guest.id), 'utf8')),
    );
  }

  async stop(guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    if (!(await this.isRunning(guest.id, ctx))) return;
    // Ask init to shut down; lxc-stop kills it when the timeout passes.
    await runCommand(this.lxc('lxc-stop', guest.id, '-t', STOP_TIMEOUT_S), ctx);
  }

  async destroy(guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    if (await this.isRunning(guest.id, ctx))
      await runCommand(this.lxc('lxc-stop', guest.id, '-k'), ctx);
    await runCommand(this.lxc('lxc-destroy', guest.id, '-s'), ctx);
  }

  async writeFirewall(guest: Guest, ctx: OpContext): Promise<void> {
    this.requireGuest(guest);
    recordWrite(ctx, this.paths.firewall(guest.id));
    await writeFile(this.paths.firewall(guest.id), firewallRecord(guest));
    ctx.log(NOT_ENFORCED);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** zfs_volumes are not applied here (no storage pools): a guest has no volumes to carry over. */
  volumeHost(): undefined {
    return undefined;
  }

  /** The lxc backend runs containers on a machine phx does not set up: no host targets. */
  hostOps(): undefined {
    return undefined;
  }
}
