// Names that reach Proxmox as arguments: hostnames (`--hostname`, `--name`,
// DNS records) and snapshot names. Holding them to the API's formats also
// keeps shell text out of every command line.
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';
import { isHostname, snapshotNameProblem } from '../pve/formats.ts';

/** phx names its layer snapshots `phx-<hash>` and deletes newer ones on resume. */
const RESERVED_PREFIX = 'phx-';

export function checkNames(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const { guest } = p;
    if (!isHostname(guest.name)) {
      reportAt(
        ctx,
        p,
        ['name'],
        'bad-hostname',
        `name "${guest.name}" is not a valid hostname: use letters, digits and "-", in dot-separated labels of at most 63 characters`,
      );
    }
    const snap = guest.templateSnapshotName;
    if (snap === undefined) continue;
    const problem = snapshotNameProblem(snap);
    if (problem !== undefined) {
      reportAt(ctx, p, ['template_snapshot_name'], 'bad-snapshot-name', problem);
    } else if (snap.toLowerCase().startsWith(RESERVED_PREFIX)) {
      reportAt(
        ctx,
        p,
        ['template_snapshot_name'],
        'bad-snapshot-name',
        `snapshot names starting with "${RESERVED_PREFIX}" are reserved for phx's layer snapshots`,
      );
    }
  }
}
