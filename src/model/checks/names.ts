// Names that reach Proxmox as arguments: hostnames (`--hostname`, `--name`,
// DNS records) and snapshot names. Holding them to the API's formats also
// keeps shell text out of every command line.
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';

// RFC 1123 labels, dot-separated (Proxmox's dns-name format).
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
// Proxmox's pve-configid, which snapshot names must match.
const SNAPSHOT = /^[a-z][a-z0-9_-]+$/i;
const SNAPSHOT_MAX = 40;
/** phx names its layer snapshots `phx-<hash>` and deletes newer ones on resume. */
const RESERVED_PREFIX = 'phx-';

export function isHostname(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

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
    if (!SNAPSHOT.test(snap) || snap.length > SNAPSHOT_MAX) {
      reportAt(
        ctx,
        p,
        ['template_snapshot_name'],
        'bad-snapshot-name',
        `snapshot name "${snap}" is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most ${SNAPSHOT_MAX} characters`,
      );
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
