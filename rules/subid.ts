// `subid`: one grant of host ids to root in /etc/subuid or /etc/subgid, which
// an unprivileged container's id map needs before lxc can map them
// (newuidmap/newgidmap refuse a range the file does not grant). The line is
// appended when no line already grants the range; the file's other lines
// are never touched, and a grant is never removed (phx destroys nothing that
// is not its own, and another container or tool may rely on the line).
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { subidLine } from '../src/backends/proxmox/host-guest-args.ts';

export const rule: Rule<'subid'> = {
  kind: 'subid',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const { subid } = ctx.target;
    if (await ops.subidCovered(subid, ctx.op)) {
      ctx.op.log(`${subid.file} already grants ${subidLine(subid)}`);
      return '';
    }
    await ops.addSubid(subid, ctx.op);
    ctx.op.log(`${subid.file}: added ${subidLine(subid)}`);
    return '';
  },
  async present(name, ctx) {
    const ops = ctx.backend.hostOps?.();
    const m = /^(subuid|subgid)\/([^:]+):(\d+):(\d+)$/.exec(name);
    if (ops === undefined || m === null) return undefined;
    const spec = {
      file: m[1] === 'subuid' ? ('/etc/subuid' as const) : ('/etc/subgid' as const),
      user: m[2]!,
      start: Number(m[3]),
      count: Number(m[4]),
    };
    return ops.subidCovered(spec, ctx.op);
  },
};
