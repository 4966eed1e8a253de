// Re-creating a guest without losing its data (DESIGN §8: "volumes a guest
// owns survive its rebuild"). `pct destroy` frees every volume the CT's config
// lists and owns (rootfs, mpN, unusedN), so before it the guest's own storage
// volumes move to a holder CT made for the purpose, and after the new build
// they move back. Proxmox's move_volume renames a volume for its new owner, so
// at every step each volume is listed by exactly one CT that owns it and that
// nothing destroys:
//
//   1. old guest: stop; delete the snapshots that pin a volume (move_volume
//      refuses a volume a snapshot uses; destroy would delete them anyway)
//   2. holder: create it (marked), or reuse the one an interrupted run left
//   3. move each owned volume old guest → holder
//   4. destroy the old guest (it now owns only its rootfs)
//   5. build the new guest (create or clone)
//   6. move every held volume holder → new guest (same key when free)
//   7. destroy the holder once it holds nothing
//
// A build that dies anywhere leaves the volumes in the old guest, the holder
// or the new guest. The next rebuild starts from whatever it finds: it
// rescans the holder (a move cut off between its two config writes leaves the
// volume named for the holder but in neither config), evacuates whatever CT
// holds the id (the old guest, or a half-restored new one), and restores all
// the holder holds. Bind mounts are never moved: they are host paths, and
// destroy does not touch them.
import type { Guest, Project } from '../src/model/model.ts';
import type { GuestId } from '../src/core/ids.ts';
import type { RuleContext } from './rule.ts';
import {
  type GuestVolumes,
  type HolderSpec,
  type OwnedVolume,
  type VolumeHost,
} from '../src/backends/backend.ts';
import { OpError } from '../src/core/failure.ts';
import { discardGuest } from './guest-ops.ts';

/** Holders live at 990000000 + id: findable by the next build without a search. */
export const HOLDER_BASE = 990_000_000;

export function holderId(id: GuestId): GuestId {
  if (id >= 10_000_000)
    throw new OpError({
      type: 'rejected',
      reason: `CT ${id}: phx keeps volumes during a rebuild in CT ${HOLDER_BASE} + id, so ids must stay below 10000000`,
    });
  return (HOLDER_BASE + id) as GuestId;
}

/** The first line of a holder's description: what it is, for whom. */
export const holderMark = (id: GuestId): string =>
  `phx-hold: CT ${id} - volumes kept while phx re-creates CT ${id}; phx moves them back and removes this CT`;

export const isHolderOf = (v: GuestVolumes, id: GuestId): boolean =>
  v.description.split('\n')[0] === holderMark(id);

/** The lowest key of the same kind (mpN / unusedN) not in `taken`; `key` itself when free. */
function keyFor(key: string, taken: readonly string[]): string {
  if (!taken.includes(key)) return key;
  const prefix = key.startsWith('unused') ? 'unused' : 'mp';
  for (let n = 0; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A template to create the holder from: the guest's own, or its clone chain's root's. */
function holderSpec(project: Project, guest: Guest, hid: GuestId): HolderSpec {
  let g: Guest | undefined = guest;
  const seen = new Set<GuestId>();
  while (g !== undefined && g.template === undefined && g.cloneFrom !== undefined) {
    if (seen.has(g.id)) break;
    seen.add(g.id);
    g = project.guests.get(g.cloneFrom);
  }
  const template = g?.template;
  const storage = guest.storagePool ?? g?.storagePool;
  if (template === undefined || storage === undefined)
    throw new OpError({
      type: 'rejected',
      reason: `CT ${guest.id}: no template and storage pool in its clone chain to create CT ${hid}, which holds its volumes while it is re-created; nothing was changed`,
    });
  return {
    id: hid,
    template,
    storage,
    unprivileged: guest.unprivileged,
    hostname: `phx-hold-${guest.id}`,
    description: holderMark(guest.id),
  };
}

async function readHolder(
  vh: VolumeHost,
  hid: GuestId,
  id: GuestId,
  ctx: RuleContext,
): Promise<GuestVolumes | undefined> {
  const holder = await vh.read(hid, ctx.op);
  if (holder !== undefined && !isHolderOf(holder, id))
    throw new OpError({
      type: 'rejected',
      reason: `CT ${hid} exists but is not phx's holder for CT ${id} (its description does not start with "${holderMark(id)}"); phx keeps CT ${id}'s volumes there while re-creating it, so it will not re-create CT ${id} until CT ${hid} is moved away`,
    });
  return holder;
}

/** Steps 1–4: the old guest's own volumes to the holder, then its destroy. */
async function evacuate(
  ctx: RuleContext,
  vh: VolumeHost,
  hid: GuestId,
  found: GuestVolumes | undefined,
): Promise<void> {
  const guest = ctx.target.guest;
  const old = await vh.read(guest.id, ctx.op);
  if (old === undefined) return;
  const carried = old.volumes.filter((v) => v.owned);
  if (carried.length > 0) {
    if (old.running) await ctx.backend.stop(guest, ctx.op);
    const pinning = [...new Set(carried.flatMap((v) => v.snapshots))];
    for (const snap of pinning) {
      ctx.op.log(`CT ${guest.id}: deleting snapshot ${snap}, which pins a volume to it`);
      await ctx.backend.deleteSnapshot(guest, snap, ctx.op);
    }
    let holder = found;
    if (holder === undefined) {
      ctx.op.log(`CT ${guest.id}: creating CT ${hid} to hold its volumes while it is re-created`);
      await vh.createHolder(holderSpec(ctx.project, guest, hid), ctx.op);
      holder = await readHolder(vh, hid, guest.id, ctx);
      if (holder === undefined) throw new Error(`holder CT ${hid} missing right after its create`);
    }
    const taken = [...holder.keys];
    for (const v of carried) {
      const key = keyFor(v.key, taken);
      taken.push(key);
      ctx.op.log(`CT ${guest.id}: moving ${v.key} (${v.volume}) to CT ${hid} as ${key}`);
      await vh.move(guest.id, v.key, hid, key, ctx.op);
    }
    // Destroy only what verifiably owns no volume any more.
    const left = (await vh.read(guest.id, ctx.op))?.volumes.filter((v) => v.owned) ?? [];
    if (left.length > 0)
      throw new Error(
        `CT ${guest.id} still owns ${left.map((v) => v.key).join(', ')} after moving them out`,
      );
  }
  await discardGuest(ctx);
}

/** Step 6–7: everything the holder holds into the new guest, then the holder's removal. */
async function restore(ctx: RuleContext, vh: VolumeHost, hid: GuestId): Promise<void> {
  const id = ctx.target.guest.id;
  const holder = await readHolder(vh, hid, id, ctx);
  if (holder === undefined) return;
  const fresh = await vh.read(id, ctx.op);
  if (fresh === undefined) throw new Error(`CT ${id} missing right after its build`);
  const taken = [...fresh.keys];
  const held: OwnedVolume[] = holder.volumes.filter((v) => v.owned);
  for (const v of held) {
    const key = keyFor(v.key, taken);
    taken.push(key);
    ctx.op.log(`CT ${id}: moving ${v.volume} back from CT ${hid} as ${key}`);
    await vh.move(hid, v.key, id, key, ctx.op);
  }
  const after = await vh.read(hid, ctx.op);
  if (after !== undefined && after.volumes.length === 0) {
    try {
      await vh.destroyHolder(hid, ctx.op);
    } catch (e) {
      // An empty holder is harmless; the guest's next rebuild reuses and removes it.
      if (!(e instanceof OpError) || e.failure.type === 'cancelled') throw e;
      ctx.op.log(`CT ${id}: CT ${hid} is empty but was not removed: ${e.message}`);
    }
  } else if (after !== undefined)
    ctx.op.log(`CT ${id}: CT ${hid} still holds ${after.volumes.map((v) => v.key).join(', ')}`);
}

/**
 * Destroy the guest's previous build and run `build` (its create or clone),
 * carrying the guest's own storage volumes over to the new build.
 */
export async function replaceGuest(ctx: RuleContext, build: () => Promise<void>): Promise<void> {
  const vh = ctx.backend.volumeHost();
  if (vh === undefined || ctx.target.guest.kind !== 'lxc') {
    await discardGuest(ctx);
    await build();
    return;
  }
  const id = ctx.target.guest.id;
  const hid = holderId(id);
  let found = await readHolder(vh, hid, id, ctx);
  if (found !== undefined) {
    ctx.op.log(`CT ${id}: CT ${hid} holds its volumes from an interrupted rebuild`);
    await vh.rescan(hid, ctx.op);
    found = await readHolder(vh, hid, id, ctx);
  }
  // The build's view may predate an interrupted run: ask the host.
  ctx.guest.exists = (await vh.read(id, ctx.op)) !== undefined;
  await evacuate(ctx, vh, hid, found);
  await build();
  await restore(ctx, vh, hid);
}

/** This module is part of every rule that imports it: its bytes enter their digests. */
export const replaceGuestSource = import.meta.url;
