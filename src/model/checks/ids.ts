// Ids: inside Proxmox's range, and one id space for CTs and VMs
// (phoenix-real.md §1.6), so a CT and a VM may not share an id.
import type { CheckContext } from './context.ts';
import { guestLabel, placeOf } from './context.ts';
import type { PlacedGuest } from '../guests.ts';
import { join } from '../pointer.ts';
import { isGuestId, MAX_GUEST_ID as MAX_ID, MIN_GUEST_ID as MIN_ID } from '../pve/formats.ts';

export function checkIds(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const { guest } = p;
    if (!isGuestId(guest.id)) {
      report(ctx, p, 'bad-id', `${guestLabel(guest)}: ids must be between ${MIN_ID} and ${MAX_ID}`);
    }
    const first = ctx.byId.get(guest.id)?.[0];
    if (first !== undefined && first !== p) {
      const message =
        first.guest.kind === guest.kind
          ? `${guestLabel(guest)} is defined twice (also at ${first.guest.source.pointer})`
          : `${guestLabel(guest)} has the same id as ${guestLabel(first.guest)} ` +
            `(${placeOf(first)}): containers and VMs share one id space`;
      report(ctx, p, 'duplicate-id', message);
    }
  }
}

/** At the `vmid` value of a VM, at the key of a CT (its id is the key). */
function report(ctx: CheckContext, p: PlacedGuest, code: string, message: string): void {
  const { guest } = p;
  const pointer = guest.kind === 'vm' ? join(guest.source.pointer, 'vmid') : guest.source.pointer;
  ctx.reporter.at(p.file, {
    severity: 'error',
    code,
    pointer,
    message,
    atKey: guest.kind === 'lxc',
  });
}
