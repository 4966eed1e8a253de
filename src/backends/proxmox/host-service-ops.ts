// The proxmox backend's host-service operations (HostServiceOps): the lines
// of host-service-args.ts run through HostIo (local, SSH, or the sim). Files
// others also edit get phx's block only (managed-block.ts); a file the tool
// then refuses (exportfs, testparm) is put back as it was before the error
// is raised, so a failed build leaves the host's service as it found it.
import { OpError } from '../../core/failure.ts';
import type { OpContext } from '../backend.ts';
import type {
  HostServiceOps,
  LinuxUserSpec,
  NfsExportSpec,
  PveUserSpec,
  SambaShareSpec,
  SambaUserSpec,
} from '../host-service-ops.ts';
import { blockPresent, foreignLines, replaceBlock } from '../managed-block.ts';
import type { HostServiceKind } from '../../core/host-service-kinds.ts';
import type { Firewall } from '../../model/model.ts';
import { firewallFile } from './firewall-file.ts';
import type { CommandRunner, RunResult } from '../runner.ts';
import { hostIo, type HostIo } from './host-io.ts';
import * as a from './host-service-args.ts';

/** `id`, `test -d`: exit 1 is "no", anything else non-zero a failure. */
const no = (r: RunResult): boolean => r.exitCode === 1;

export class ProxmoxHostServiceOps implements HostServiceOps {
  constructor(private readonly io: HostIo) {}

  /** Write `next` over `path`, run `check`; on its failure put `before` back and rethrow. */
  private async writeChecked(
    path: string,
    before: string | undefined,
    next: string,
    check: () => Promise<unknown>,
    ctx: OpContext,
  ): Promise<void> {
    if (next !== (before ?? '')) await this.io.writeFile(path, next, ctx);
    try {
      await check();
    } catch (e) {
      if (next !== (before ?? '')) await this.io.writeFile(path, before ?? '', ctx);
      throw e;
    }
  }

  async applyExports(exports: readonly NfsExportSpec[], ctx: OpContext): Promise<void> {
    const before = await this.io.readFile(a.EXPORTS_FILE, ctx);
    const next = replaceBlock(before, 'nfs-exports', a.exportsBody(exports));
    await this.writeChecked(
      a.EXPORTS_FILE,
      before,
      next,
      () => this.io.run(a.exportfsArgs(), ctx),
      ctx,
    );
    ctx.log(`${a.EXPORTS_FILE}: ${exports.length} export(s) in phx's block, re-exported`);
  }

  async applySambaShare(share: SambaShareSpec, ctx: OpContext): Promise<void> {
    const folder = await this.io.run(a.folderExistsArgs(share.path), ctx, no);
    if (folder.exitCode !== 0)
      throw new OpError({
        type: 'rejected',
        reason: `samba share ${share.name}: folder ${share.path} does not exist on the host (no dataset of the config provides it)`,
      });
    const before = await this.io.readFile(a.SMB_CONF, ctx);
    const header = `[${share.name}]`.toLowerCase();
    if (foreignLines(before).some((l) => l.trim().toLowerCase() === header))
      throw new OpError({
        type: 'rejected',
        reason: `samba share ${share.name}: ${a.SMB_CONF} already has a [${share.name}] section phx did not write; remove it or rename the share`,
      });
    const next = replaceBlock(before, `samba-share ${share.name}`, a.shareSection(share));
    await this.writeChecked(a.SMB_CONF, before, next, () => this.testparm(ctx), ctx);
    await this.io.run(a.reloadSambaArgs(), ctx);
  }

  /**
   * testparm exits 0 on an unknown parameter (Samba ignores it, with a
   * warning): a typo in a share's options would silently not apply, so the
   * warning is a failure here.
   */
  private async testparm(ctx: OpContext): Promise<void> {
    const r = await this.io.run(a.testparmArgs(a.SMB_CONF), ctx);
    const unknown = r.stderr.split('\n').filter((l) => l.includes('Unknown parameter encountered'));
    if (unknown.length > 0)
      throw new OpError({ type: 'rejected', reason: `${a.SMB_CONF}: ${unknown.join('; ')}` });
  }

  private async accountExists(name: string, ctx: OpContext): Promise<boolean> {
    return (await this.io.run(a.userExistsArgs(name), ctx, no)).exitCode === 0;
  }

  async applySambaUser(
    user: SambaUserSpec,
    password: string | undefined,
    ctx: OpContext,
  ): Promise<void> {
    if (!(await this.accountExists(user.name, ctx))) {
      if (!user.createAccount)
        throw new OpError({
          type: 'rejected',
          reason: `samba user ${user.name}: the Linux account does not exist (its users target makes it)`,
        });
      await this.io.run(a.addServiceAccountArgs(user.name), ctx);
    }
    if (password === undefined) return;
    // smbpasswd -s reads the password as a line, twice: a newline in it would split it.
    if (password.includes('\n'))
      throw new OpError({
        type: 'rejected',
        reason: `samba user ${user.name}: the password holds a line break, which smbpasswd cannot read`,
      });
    await this.io.runWithInput(a.smbAddArgs(user.name), `${password}\n${password}\n`, ctx);
    ctx.log(`samba user ${user.name}: password set`);
  }

  async applyLinuxUser(
    user: LinuxUserSpec,
    passwordHash: string | undefined,
    ctx: OpContext,
  ): Promise<void> {
    if (await this.accountExists(user.name, ctx))
      ctx.log(`user ${user.name} exists: adopted (phx never deletes it)`);
    else await this.io.run(a.addLoginAccountArgs(user), ctx);
    if (passwordHash !== undefined && /[\n:]/.test(passwordHash))
      throw new OpError({
        type: 'rejected',
        reason: `user ${user.name}: password_hash holds a line break or ':', which no crypt hash has`,
      });
    if (passwordHash !== undefined)
      await this.io.runWithInput(a.setPasswordHashArgs(), `${user.name}:${passwordHash}\n`, ctx);
    const groups = (await this.io.run(a.userGroupsArgs(user.name), ctx)).stdout.trim().split(/\s+/);
    if (user.sudo && !groups.includes('sudo')) await this.io.run(a.addToSudoArgs(user.name), ctx);
    if (!user.sudo && groups.includes('sudo'))
      await this.io.run(a.removeFromSudoArgs(user.name), ctx);
    await this.applyAuthorizedKey(user, ctx);
  }

  /** The key in phx's block of ~/.ssh/authorized_keys; keys others added stay. */
  private async applyAuthorizedKey(user: LinuxUserSpec, ctx: OpContext): Promise<void> {
    const entry = (await this.io.run(a.passwdEntryArgs(user.name), ctx)).stdout.trim();
    const home = entry.split(':')[5];
    if (home === undefined || home === '')
      throw new OpError({
        type: 'rejected',
        reason: `user ${user.name}: no home folder in its passwd entry`,
      });
    const dir = `${home}/.ssh`;
    const file = `${dir}/authorized_keys`;
    const before = await this.io.readFile(file, ctx);
    if (user.sshPublicKey === '' && before === undefined) return;
    const next = replaceBlock(before, 'linux-user', user.sshPublicKey);
    if (next === (before ?? '')) return;
    await this.io.run(a.sshDirArgs(user.name, dir), ctx);
    await this.io.runWithInput(a.installFileArgs(user.name, file), next, ctx);
  }

  async applyPveUser(user: PveUserSpec, ctx: OpContext): Promise<void> {
    const ids = a.pveUserIds((await this.io.run(a.pveUserListArgs(), ctx)).stdout);
    if (!ids.includes(user.userid)) await this.io.run(a.pveUserAddArgs(user), ctx);
    await this.io.run(a.pveAclArgs(user), ctx);
  }

  async applyArcLimit(bytes: number, ctx: OpContext): Promise<void> {
    const before = await this.io.readFile(a.ZFS_MODPROBE, ctx);
    // phx's line comes last: of two zfs_arc_max options the later one holds.
    const next = replaceBlock(before, 'arc-limit', a.arcOptionLine(bytes));
    if (next !== (before ?? '')) {
      await this.io.writeFile(a.ZFS_MODPROBE, next, ctx);
      await this.io.run(a.updateInitramfsArgs(), ctx);
    }
    await this.io.runWithInput(a.arcLiveArgs(), `${bytes}\n`, ctx);
  }

  async writeClusterFirewall(firewall: Firewall, ctx: OpContext): Promise<void> {
    // The guest file's format and rule checks (firewall-file.ts): the cluster
    // file has the same [OPTIONS] enable/policy_in/policy_out and rule syntax.
    const text = firewallFile(firewall);
    if (!text.ok)
      throw new OpError({ type: 'rejected', reason: `cluster firewall: ${text.error}` });
    await this.io.writeFile(a.CLUSTER_FW, text.value, ctx);
    ctx.log(`wrote ${a.CLUSTER_FW}`);
  }

  private async hasBlock(path: string, block: string, ctx: OpContext): Promise<boolean> {
    const text = await this.io.readFile(path, ctx);
    return text !== undefined && blockPresent(text, block);
  }

  async servicePresent(kind: HostServiceKind, name: string, ctx: OpContext): Promise<boolean> {
    switch (kind) {
      case 'nfs-exports':
        return this.hasBlock(a.EXPORTS_FILE, 'nfs-exports', ctx);
      case 'samba-share':
        return this.hasBlock(a.SMB_CONF, `samba-share ${name}`, ctx);
      case 'samba-user':
      case 'linux-user':
        return this.accountExists(name, ctx);
      case 'pve-user':
        return a.pveUserIds((await this.io.run(a.pveUserListArgs(), ctx)).stdout).includes(name);
      case 'arc-limit':
        return this.hasBlock(a.ZFS_MODPROBE, 'arc-limit', ctx);
      case 'cluster-firewall':
        return (await this.io.readFile(a.CLUSTER_FW, ctx)) !== undefined;
    }
  }
}

/**
 * The operations as a plain object of bound functions: backend.ts merges the
 * parts of HostOps with Object.assign, which copies own properties only (a
 * class instance's methods live on its prototype).
 */
export function proxmoxHostServiceOps(runner: CommandRunner): HostServiceOps {
  const ops = new ProxmoxHostServiceOps(hostIo(runner));
  return {
    applyExports: (e, ctx) => ops.applyExports(e, ctx),
    applySambaShare: (s, ctx) => ops.applySambaShare(s, ctx),
    applySambaUser: (u, p, ctx) => ops.applySambaUser(u, p, ctx),
    applyLinuxUser: (u, h, ctx) => ops.applyLinuxUser(u, h, ctx),
    applyPveUser: (u, ctx) => ops.applyPveUser(u, ctx),
    applyArcLimit: (b, ctx) => ops.applyArcLimit(b, ctx),
    writeClusterFirewall: (t, ctx) => ops.writeClusterFirewall(t, ctx),
    servicePresent: (k, n, ctx) => ops.servicePresent(k, n, ctx),
  };
}
