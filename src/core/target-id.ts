// Build and parse target ids in one place (DESIGN §2): `lxc/950/feature/vllm`,
// `lxc/950/snapshot/final-form`, `stack/qdrant_service`, `host/...`.
import type { GuestId, GuestKind } from './ids.ts';

export type TargetId = string & { readonly __brand: 'TargetId' };

export type TargetKind =
  | 'create'
  | 'clone'
  | 'settings'
  | 'feature'
  | 'app'
  | 'check'
  | 'snapshot'
  | 'firewall'
  | 'host'
  | 'dataset'
  | 'image'
  | 'stack';

export interface ParsedTargetId {
  readonly guestKind?: GuestKind;
  readonly guest?: GuestId;
  readonly kind: TargetKind;
  /** Feature name or snapshot name, for the kinds that carry one. */
  readonly name?: string;
}

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

export function parseTargetId(id: string): ParsedTargetId | undefined {
  const m = guestPattern.exec(id);
  if (m) {
    return {
      guestKind: m[1] as GuestKind,
      guest: Number(m[2]) as GuestId,
      kind: m[3] as TargetKind,
      ...(m[4] === undefined ? {} : { name: m[4] }),
    };
  }
  if (id.startsWith('stack/')) return { kind: 'stack', name: id.slice('stack/'.length) };
  if (id.startsWith('host/')) return { kind: 'host', name: id.slice('host/'.length) };
  return undefined;
}
