// `nfs-exports`: phx's block of /etc/exports (every `nfs.exports[]` entry),
// then `exportfs -ra`, which refuses a path the host lacks; lines others
// wrote in the file are kept. An export removed from the config leaves the
// block at the next build, as the block is rewritten whole.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';

export const rule: Rule<'nfs-exports'> = {
  kind: 'nfs-exports',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('nfs-exports'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.applyExports(ctx.target.exports, ctx.op);
    return '';
  },
};
