// Parsed entries → normalised `Guest`s (model.ts). Each entry is parsed on
// its own, so one broken entry neither hides the others nor makes every
// reference to it read as "not defined".
import type { FeatureRef, Guest } from './model.ts';
import type { GuestId, GuestKind } from '../core/ids.ts';
import { join } from './pointer.ts';
import type { Reporter } from './report.ts';
import { applySchema } from './schema/apply.ts';
import { lxcEntry } from './schema/lxc.ts';
import type { LxcEntry } from './schema/lxc.ts';
import { vmEntry } from './schema/vm.ts';
import type { VmEntry } from './schema/vm.ts';
import { offsetOf } from './source.ts';
import type { SourceFile } from './source.ts';

/** A guest plus the file it is declared in. */
export interface PlacedGuest {
  readonly guest: Guest;
  readonly file: SourceFile;
}

/**
 * Position order of two guests (file, then offset), for "report the later of
 * two duplicates". Offsets need the position tree: only ask on a duplicate.
 */
export function compareDeclared(a: PlacedGuest, b: PlacedGuest): number {
  if (a.file.display !== b.file.display) return a.file.display < b.file.display ? -1 : 1;
  return offsetOf(a.file, a.guest.source.pointer) - offsetOf(b.file, b.guest.source.pointer);
}

export interface GuestSet {
  readonly placed: PlacedGuest[];
  /** Ids of entries that failed their schema: they exist, but are not checked further. */
  readonly broken: Map<number, GuestKind>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Raw entry overlaid with its normalised values, so keys the schema dropped survive. */
function overlay(raw: unknown, parsed: unknown): unknown {
  if (!isObj(raw) || !isObj(parsed)) return parsed;
  const out: Obj = { ...raw };
  for (const [k, v] of Object.entries(parsed)) out[k] = overlay(raw[k], v);
  return out;
}

function featureRefs(
  list: readonly { name: string; params: Obj }[] | undefined,
  file: SourceFile,
  entry: string,
): FeatureRef[] {
  return (list ?? []).map((f, i) => ({
    name: f.name,
    params: f.params,
    source: { file: file.display, pointer: join(entry, 'features', i) },
  }));
}

export function lxcGuests(
  entries: Obj,
  root: Obj,
  file: SourceFile,
  reporter: Reporter,
  set: GuestSet,
): void {
  for (const [key, raw] of Object.entries(entries)) {
    const pointer = join('/lxc_configs', key);
    if (!/^[0-9]+$/.test(key)) {
      reporter.at(file, {
        severity: 'error',
        code: 'bad-id',
        pointer,
        message: `CTID "${key}" is not a number`,
        atKey: true,
      });
      continue;
    }
    const id = Number(key);
    const e = applySchema(lxcEntry, raw, file, reporter, ['lxc_configs', key]);
    if (e === undefined) {
      set.broken.set(id, 'lxc');
      continue;
    }
    set.placed.push({ guest: lxcGuest(id as GuestId, e, raw, root, file, pointer), file });
  }
}

function lxcGuest(
  id: GuestId,
  e: LxcEntry,
  raw: unknown,
  root: Obj,
  file: SourceFile,
  pointer: string,
): Guest {
  return {
    kind: 'lxc',
    id,
    name: e.name,
    ...opt('cloneFrom', e.clone_from_ctid as GuestId | undefined),
    ...opt('template', e.template),
    isTemplate: false,
    ...opt('templateSnapshotName', e.template_snapshot_name),
    enableLifecycleSnapshots: e.enable_lifecycle_snapshots ?? false,
    ...opt('storagePool', e.storage_pool),
    ...opt('storageSizeGb', e.storage_size_gb),
    // Phoenix creates every CT with --unprivileged 1 unless told otherwise.
    unprivileged: e.unprivileged ?? true,
    ...opt('memoryMb', e.memory_mb),
    ...opt('cores', e.cores),
    ...opt('swapMb', e.swap_mb),
    startAtBoot: e.start_at_boot ?? false,
    ...opt('bootOrder', e.boot_order),
    ...opt('bootDelay', e.boot_delay),
    gpus: e.gpu_assignment ?? [],
    features: featureRefs(e.features, file, pointer),
    ...opt('applicationScript', e.application_script),
    dependencies: (e.dependencies ?? []) as GuestId[],
    ...opt('firewall', e.firewall),
    dockerStacks: [],
    config: { ...root, ...(overlay(raw, e) as Obj) },
    source: { file: file.display, pointer },
  };
}

/** vm_defaults keys Phoenix uses as fallbacks (`template` and the rest are not per-VM values). */
const VM_FALLBACKS = [
  'cores',
  'memory_mb',
  'storage_pool',
  'network_bridge',
  'disk_size_gb',
] as const;

export function vmGuests(
  entries: readonly unknown[],
  defaults: Obj,
  file: SourceFile,
  reporter: Reporter,
  set: GuestSet,
): void {
  const fallbacks: Obj = {};
  for (const k of VM_FALLBACKS) if (defaults[k] !== undefined) fallbacks[k] = defaults[k];
  entries.forEach((raw, index) => {
    const pointer = join('/vms', index);
    const e = applySchema(vmEntry, raw, file, reporter, ['vms', index]);
    if (e === undefined) {
      const vmid = isObj(raw) ? Number(raw['vmid']) : NaN;
      if (Number.isInteger(vmid)) set.broken.set(vmid, 'vm');
      return;
    }
    set.placed.push({ guest: vmGuest(e, raw, fallbacks, file, pointer), file });
  });
}

function vmGuest(
  e: VmEntry,
  raw: unknown,
  fallbacks: Obj,
  file: SourceFile,
  pointer: string,
): Guest {
  const config = { ...fallbacks, ...(overlay(raw, e) as Obj) };
  return {
    kind: 'vm',
    id: e.vmid as GuestId,
    name: e.name,
    ...opt('cloneFrom', e.clone_from_vmid as GuestId | undefined),
    ...opt('template', e.template_image),
    isTemplate: e.is_template ?? false,
    ...opt('templateSnapshotName', e.template_snapshot_name),
    enableLifecycleSnapshots: e.enable_lifecycle_snapshots ?? false,
    ...opt('storagePool', (config['storage_pool'] as string | undefined) ?? undefined),
    ...opt('storageSizeGb', config['disk_size_gb'] as number | undefined),
    unprivileged: false,
    ...opt('memoryMb', config['memory_mb'] as number | undefined),
    ...opt('cores', config['cores'] as number | undefined),
    startAtBoot: e.start_at_boot ?? false,
    ...opt('bootOrder', e.boot_order),
    ...opt('bootDelay', e.boot_delay),
    gpus: e.gpu_assignment ?? [],
    features: featureRefs(e.features, file, pointer),
    ...opt('applicationScript', e.application_script),
    dependencies: (e.dependencies ?? []) as GuestId[],
    ...opt('firewall', e.firewall),
    dockerStacks: e.docker_stacks ?? [],
    config,
    source: { file: file.display, pointer },
  };
}

/** `{key: value}` or `{}`: exactOptionalPropertyTypes-friendly optional fields. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** LXC has no is_template flag: a CT is a template when another CT clones it. */
export function markTemplates(placed: PlacedGuest[]): PlacedGuest[] {
  const sources = new Set(
    placed
      .filter((p) => p.guest.kind === 'lxc' && p.guest.cloneFrom !== undefined)
      .map((p) => p.guest.cloneFrom),
  );
  return placed.map((p) =>
    p.guest.kind === 'lxc' && sources.has(p.guest.id)
      ? { ...p, guest: { ...p.guest, isTemplate: true } }
      : p,
  );
}
