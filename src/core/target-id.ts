// Build and parse target ids in one place (DESIGN §2): `lxc/950/feature/vllm`,
// `lxc/950/snapshot/final-form`, and the ids of things the configs declare
// that no rule builds yet (`stack/qdrant_service`, `host/...`).
import type { GuestId, GuestKind } from './ids.ts';
import { hostServiceKinds } from './host-service-kinds.ts';
import { hostGuestKinds } from './host-guest-kinds.ts';
import { generatedKinds, hostSetupKinds } from './host-setup-kinds.ts';

export type TargetId = string & { readonly __brand: 'TargetId' };

/**
 * Every kind of target phx builds. Each has exactly one member of the
 * `Target` union (targets/target.ts) and one rule (rules/index.ts); the
 * compiler refuses a kind that lacks either (README "Adding a target kind").
 */
export const targetKinds = [
  'create',
  'clone',
  'settings',
  'feature',
  'app',
  'check',
  'snapshot',
  'firewall',
  'image',
  'zfs-pool',
  'zfs-dataset',
  'storage',
  ...hostServiceKinds,
  ...hostGuestKinds,
  ...hostSetupKinds,
  ...generatedKinds,
] as const;

export type TargetKind = (typeof targetKinds)[number];

/** The entry of the host's own targets (a guest's entry is its id). */
export const hostEntry = 'host';

/** Kinds of the host's own targets (issue 10): ids `host/<kind>/<name>`, entry "host". */
export const hostKinds = [
  'zfs-pool',
  'zfs-dataset',
  'storage',
  ...hostServiceKinds,
  ...hostGuestKinds,
  ...hostSetupKinds,
] as const;

export type HostKind = (typeof hostKinds)[number];

export function isHostKind(word: string): word is HostKind {
  return (hostKinds as readonly string[]).includes(word);
}

/** `host/zfs-pool/quickOS`, `host/zfs-dataset/quickOS/lxc-disks`, `host/storage/quickOS-lxc-disks`. */
export function hostTargetId(kind: HostKind, name: string): TargetId {
  return `host/${kind}/${name}` as TargetId;
}

/**
 * Ids a feature may name in `consumes` for things declared in the configs
 * that no rule builds yet: validation can say whether the stack exists, and
 * a build that needs one stops at its graph (no producer).
 */
export type DeclaredOnlyKind = 'stack' | 'host';

export type ParsedTargetId =
  | {
      readonly guestKind: GuestKind;
      readonly guest: GuestId;
      readonly kind: TargetKind;
      /** Feature name or snapshot name, for the kinds that carry one. */
      readonly name?: string;
    }
  | {
      readonly guestKind?: undefined;
      readonly guest?: undefined;
      readonly kind: DeclaredOnlyKind | HostKind;
      readonly name: string;
    };

export function guestTargetId(
  guestKind: GuestKind,
  guest: GuestId,
  kind: TargetKind,
  name?: string,
): TargetId {
  const base = `${guestKind}/${guest}/${kind}`;
  return (name === undefined ? base : `${base}/${name}`) as TargetId;
}

const guestPattern = /^(lxc|vm)\/(\d+)\/([a-z]+)(?:\/(.+))?$/;

export function isTargetKind(word: string): word is TargetKind {
  return (targetKinds as readonly string[]).includes(word);
}

export function parseTargetId(id: string): ParsedTargetId | undefined {
  const m = guestPattern.exec(id);
  if (m) {
    const kind = m[3]!;
    if (!isTargetKind(kind)) return undefined;
    return {
      guestKind: m[1] as GuestKind,
      guest: Number(m[2]) as GuestId,
      kind,
      ...(m[4] === undefined ? {} : { name: m[4] }),
    };
  }
  if (id.startsWith('stack/')) return { kind: 'stack', name: id.slice('stack/'.length) };
  if (id.startsWith('host/')) {
    const [kind, ...rest] = id.slice('host/'.length).split('/');
    if (kind !== undefined && isHostKind(kind) && rest.length > 0)
      return { kind, name: rest.join('/') };
    return { kind: 'host', name: id.slice('host/'.length) };
  }
  return undefined;
}
