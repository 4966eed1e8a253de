// The proxmox backend's driver, DNS and CA-trust operations (HostSetupOps):
// the lines of host-setup-args.ts run through HostIo (local, SSH, or the sim).
import { OpError } from '../../core/failure.ts';
import type { OpContext } from '../backend.ts';
import type { CaTrustSpec, DnsSpec, DriverSpec, HostSetupOps } from '../host-setup-ops.ts';
import type { CommandRunner } from '../runner.ts';
import { hostIo, type HostIo } from './host-io.ts';
import * as a from './host-setup-args.ts';

/** The first version `nvidia-smi` lists (one line per GPU), or undefined. */
export function reportedVersion(stdout: string): string | undefined {
  const first = stdout.split('\n').map((l) => l.trim())[0];
  return first === undefined || first === '' ? undefined : first;
}

export class ProxmoxHostSetupOps implements HostSetupOps<OpContext> {
  constructor(private readonly io: HostIo) {}

  async installedDriver(ctx: OpContext): Promise<string | undefined> {
    // Not installed: `nvidia-smi` is missing (127) or finds no driver (9).
    const r = await this.io.run(a.driverVersionArgs(), ctx, () => true);
    return r.exitCode === 0 ? reportedVersion(r.stdout) : undefined;
  }

  async installDriver(driver: DriverSpec, ctx: OpContext): Promise<void> {
    await this.io.run(a.aptInstallArgs(a.driverBuildPackages), ctx);
    await this.io.run(a.downloadArgs(driver.runfileUrl, a.runfilePath(driver.version)), ctx);
    await this.io.run(a.installDriverArgs(driver), ctx);
    const now = await this.installedDriver(ctx);
    // The record says "this version is installed": only once the driver says so.
    if (now !== driver.version)
      throw new OpError({
        type: 'rejected',
        reason: `the NVIDIA installer ran but nvidia-smi reports ${now ?? 'no driver'}, not ${driver.version}`,
      });
  }

  async applyDns(dns: DnsSpec, ctx: OpContext): Promise<void> {
    await this.io.run(a.aptInstallArgs(['dnsmasq']), ctx);
    // Checked where dnsmasq does not read it: a refused file never reaches the running server.
    await this.io.writeFile(a.dnsStagePath, dns.content, ctx);
    await this.io.run(a.dnsTestArgs(a.dnsStagePath), ctx);
    await this.io.writeFile(dns.path, dns.content, ctx);
    await this.io.run(a.dnsRestartArgs(), ctx);
  }

  async trustCa(ca: CaTrustSpec, ctx: OpContext): Promise<void> {
    await this.io.writeFile(`${a.localCaDir}/${ca.fileName}`, ca.pem, ctx);
    await this.io.run(a.updateCaArgs(), ctx);
  }
}

/** The operations as a plain object, for backend.ts to merge into its HostOps. */
export function proxmoxHostSetupOps(runner: CommandRunner): HostSetupOps<OpContext> {
  const ops = new ProxmoxHostSetupOps(hostIo(runner));
  return {
    installedDriver: (ctx) => ops.installedDriver(ctx),
    installDriver: (d, ctx) => ops.installDriver(d, ctx),
    applyDns: (d, ctx) => ops.applyDns(d, ctx),
    trustCa: (c, ctx) => ops.trustCa(c, ctx),
  };
}
