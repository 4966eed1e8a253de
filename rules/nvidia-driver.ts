// `nvidia-driver`: the host's NVIDIA kernel driver from NVIDIA's runfile.
// The config gives no checksum, so the version is the input: the runfile's
// URL must name it (a URL of another version is refused before anything
// runs), the runfile checks its own embedded checksum when it unpacks, and
// the target is done only once `nvidia-smi` reports exactly that version. A
// host that already reports it is adopted (nothing downloaded or run).
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'nvidia-driver'> = {
  kind: 'nvidia-driver',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const { driver } = ctx.target;
    if (
      !driver.runfileUrl.includes(`/${driver.version}/`) &&
      !driver.runfileUrl.includes(`-${driver.version}.run`)
    )
      throw new OpError({
        type: 'rejected',
        reason: `nvidia_driver.runfile_url does not name version ${driver.version}: ${driver.runfileUrl}`,
      });
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const have = await ops.installedDriver(ctx.op);
    if (have === driver.version) {
      ctx.op.log(`NVIDIA driver ${have} already installed`);
      return '';
    }
    ctx.op.log(`installing NVIDIA driver ${driver.version} (was: ${have ?? 'none'})`);
    await ops.installDriver(driver, ctx.op);
    return '';
  },
  // A driver removed by hand plans as gone (read-only `nvidia-smi`). The
  // version is not compared here (the id carries none, and a plan is given
  // only the id): a driver replaced by hand with another version goes
  // unnoticed until this target runs again.
  async present(_name, ctx) {
    const ops = ctx.backend.hostOps?.();
    return ops === undefined ? undefined : (await ops.installedDriver(ctx.op)) !== undefined;
  },
};
