// Drift: where a guest on the host no longer matches what phx declared and
// recorded. Settings drift compares the live conf with the settings the
// proxmox backend would apply (the same reconcile that `settings` runs, so
// "no drift" means "settings would issue no command"); layer drift is a
// recorded layer snapshot the host no longer has.
import type { Backend, GuestState } from '../../backends/backend.ts';
import type { LiveConf } from '../../backends/proxmox/conf-file.ts';
import { reconcile } from '../../backends/proxmox/reconcile.ts';
import { desiredSettings } from '../../backends/proxmox/settings.ts';
import type { TargetRecord } from '../../cache/records.ts';
import type { Guest } from '../../model/model.ts';

export type Drift =
  | {
      readonly type: 'setting';
      readonly key: string;
      readonly live: string | null;
      readonly declared: string | null;
    }
  | { readonly type: 'snapshot-missing'; readonly target: string; readonly snapshot: string }
  | { readonly type: 'guest-missing'; readonly records: number }
  | { readonly type: 'unknown'; readonly reason: string };

export function driftText(d: Drift): string {
  switch (d.type) {
    case 'setting':
      return `${d.key}: ${d.live ?? '(absent)'} → ${d.declared ?? '(not declared)'}`;
    case 'snapshot-missing':
      return `snapshot ${d.snapshot} of ${d.target} is missing on the host`;
    case 'guest-missing':
      return `the guest is gone from the host but ${d.records} built target(s) are recorded`;
    case 'unknown':
      return `settings not compared: ${d.reason}`;
  }
}

/** Backends that can show a container's live conf (proxmox and sim). */
interface LiveSettingsSource {
  liveSettings(guest: Guest, signal: AbortSignal): Promise<Record<string, string>>;
}

function hasLiveSettings(b: Backend): b is Backend & LiveSettingsSource {
  return typeof (b as Partial<LiveSettingsSource>).liveSettings === 'function';
}

/** liveSettings() flattens raw lines into one `lxc` key; reconcile wants the parsed shape back. */
function asLiveConf(settings: Readonly<Record<string, string>>): LiveConf {
  const { lxc, ...options } = settings;
  return {
    options: new Map(Object.entries(options)),
    rawLines: lxc === undefined ? [] : lxc.split('\n'),
  };
}

export async function settingsDrift(
  backend: Backend,
  guest: Guest,
  state: GuestState,
  signal: AbortSignal,
): Promise<Drift[]> {
  if (!state.exists || guest.kind !== 'lxc') return [];
  let live: Readonly<Record<string, string>> = state.settings;
  if (Object.keys(live).length === 0) {
    if (!hasLiveSettings(backend)) return [];
    live = await backend.liveSettings(guest, signal);
  }
  const desired = desiredSettings(guest);
  if (!desired.ok) return [{ type: 'unknown', reason: desired.error }];
  const conf = asLiveConf(live);
  const plan = reconcile(desired.value, conf);
  const out: Drift[] = [];
  for (const [key, value] of plan.set)
    out.push({ type: 'setting', key, live: conf.options.get(key) ?? null, declared: value });
  for (const key of plan.delete)
    out.push({ type: 'setting', key, live: conf.options.get(key) ?? null, declared: null });
  for (const r of plan.resizes) {
    out.push({ type: 'setting', key: `${r.disk} size`, live: 'smaller', declared: `${r.sizeGb}G` });
  }
  if (plan.rawLines !== undefined) {
    const want = new Set(plan.rawLines);
    const have = new Set(conf.rawLines);
    for (const l of conf.rawLines)
      if (!want.has(l)) out.push({ type: 'setting', key: 'lxc', live: l, declared: null });
    for (const l of plan.rawLines)
      if (!have.has(l)) out.push({ type: 'setting', key: 'lxc', live: null, declared: l });
    if (out.every((d) => d.type !== 'setting' || d.key !== 'lxc')) {
      out.push({
        type: 'setting',
        key: 'lxc',
        live: 'lines out of order',
        declared: plan.rawLines.join('; '),
      });
    }
  }
  return out;
}

/** Recorded outputs (layer snapshots) of this guest that the host lacks. */
export function layerDrift(
  state: GuestState,
  records: readonly (readonly [string, TargetRecord])[],
): Drift[] {
  const withOutput = records.filter(([, r]) => r.output !== '');
  if (!state.exists)
    return records.length === 0 ? [] : [{ type: 'guest-missing', records: records.length }];
  const names = new Set(state.snapshots.map((s) => s.name));
  return withOutput
    .filter(([, r]) => !names.has(r.output))
    .map(([id, r]) => ({ type: 'snapshot-missing', target: id, snapshot: r.output }));
}
