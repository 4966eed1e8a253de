// Guests built from the real Phoenix LXC file, the way the model loader
// normalises them (string ids → numbers, "0, 1" → [0, 1]), without needing a
// features folder. Entries can be overridden per test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Guest } from '../../src/model/model.ts';

const fixture = fileURLToPath(
  new URL('../fixtures/phoenix-real/phoenix_lxc_configs.json', import.meta.url),
);
const file = JSON.parse(readFileSync(fixture, 'utf8')) as {
  lxc_configs: Record<string, Record<string, unknown>>;
} & Record<string, unknown>;

export function rawEntry(id: number): Record<string, unknown> {
  const e = file.lxc_configs[String(id)];
  if (e === undefined) throw new Error(`no CT ${id} in the fixture`);
  return structuredClone(e);
}

function gpus(v: unknown): number[] {
  if (typeof v !== 'string' || v === 'none') return [];
  return v.split(',').map((s) => Number(s.trim()));
}

/** Guest for a raw entry (root keys merged as fallbacks, as the loader does). */
export function guestOf(id: number, entry: Record<string, unknown>): Guest {
  const root = Object.fromEntries(
    Object.entries(file).filter(([k]) => k !== 'lxc_configs' && k !== '$schema'),
  );
  const num = (k: string): number | undefined =>
    entry[k] === undefined ? undefined : Number(entry[k]);
  const g: Record<string, unknown> = {
    kind: 'lxc',
    id,
    name: entry.name,
    isTemplate: false,
    enableLifecycleSnapshots: entry.enable_lifecycle_snapshots === true,
    unprivileged: entry.unprivileged ?? true,
    startAtBoot: entry.start_at_boot === true,
    gpus: gpus(entry.gpu_assignment),
    features: [],
    dependencies: [],
    dockerStacks: [],
    config: { ...root, ...entry },
    source: { file: 'phoenix_lxc_configs.json', pointer: `/lxc_configs/${id}` },
  };
  const opt: Record<string, unknown> = {
    cloneFrom: num('clone_from_ctid'),
    template: entry.template,
    templateSnapshotName: entry.template_snapshot_name,
    storagePool: entry.storage_pool,
    storageSizeGb: num('storage_size_gb'),
    memoryMb: num('memory_mb'),
    cores: num('cores'),
    swapMb: num('swap_mb'),
    bootOrder: num('boot_order'),
    bootDelay: num('boot_delay'),
    applicationScript: entry.application_script,
    firewall: entry.firewall,
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) g[k] = v;
  return g as unknown as Guest;
}

export function fixtureGuest(id: number, change?: (e: Record<string, unknown>) => void): Guest {
  const e = rawEntry(id);
  change?.(e);
  return guestOf(id, e);
}
