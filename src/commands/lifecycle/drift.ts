// Drift: where a guest on the host no longer matches what phx declared and
// recorded. Settings drift is the backend's own comparison (no drift means
// `settings` would change nothing); layer drift is a recorded layer snapshot
// the host no longer has.
import { type Backend, type GuestState } from '../../backends/backend.ts';
import { OpError } from '../../core/failure.ts';
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

export async function settingsDrift(
  backend: Backend,
  guest: Guest,
  state: GuestState,
  signal: AbortSignal,
): Promise<Drift[]> {
  if (!state.exists || guest.kind !== 'lxc') return [];
  try {
    return (await backend.settingsDrift(guest, signal)).map((d) => ({ type: 'setting', ...d }));
  } catch (e) {
    if (e instanceof OpError && e.failure.type === 'rejected')
      return [{ type: 'unknown', reason: e.failure.reason }];
    throw e;
  }
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
