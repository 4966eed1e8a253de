// A feature-list change named as one: `features + vllm, − ollama` instead of
// an index shift (`features/1 → features/2`) and two upstream changes. The old
// list is read back from the records: each layer's fingerprint names the layer
// below it, so walking them from this target's old predecessor down to the
// create/clone layer gives the features the guest was built with.
import type { TargetRecord } from '../cache/records.ts';
import { parseTargetId, type TargetId } from '../core/target-id.ts';
import type { Target } from '../../targets/target.ts';
import type { Reason } from './reason.ts';

type FeaturesChanged = Extract<Reason, { kind: 'features-changed' }>;

/** The same guest's layer below a layer, as named in a fingerprint's `upstream`. */
function layerBelow(
  entry: string,
  upstream: Readonly<Record<string, unknown>>,
): string | undefined {
  return Object.keys(upstream).find((id) => {
    const p = parseTargetId(id);
    return (
      p?.guest !== undefined &&
      String(p.guest) === entry &&
      (p.kind === 'feature' || p.kind === 'create' || p.kind === 'clone')
    );
  });
}

function upstreamOf(
  record: TargetRecord | undefined,
): Readonly<Record<string, unknown>> | undefined {
  if (record === undefined) return undefined;
  try {
    const data = JSON.parse(record.data) as { upstream?: Record<string, unknown> };
    return data.upstream ?? {};
  } catch {
    return undefined;
  }
}

/**
 * The features added and removed below a layer whose layer beneath changed,
 * or undefined when it did not, or when a record on the old chain is missing
 * (a partial list would call features that were there "added").
 */
export function featureListChange(
  target: Target,
  record: TargetRecord,
  recordOf: (id: TargetId) => TargetRecord | undefined,
): FeaturesChanged | undefined {
  if (target.kind !== 'feature' && target.kind !== 'app') return undefined;
  const now = target.deps.find((e) => e.kind === 'layer')?.from;
  const oldUpstream = upstreamOf(record);
  if (oldUpstream === undefined) return undefined;
  let below = layerBelow(target.entry, oldUpstream);
  if (below === undefined || below === now) return undefined;
  const old: string[] = [];
  for (let guard = 0; below !== undefined; guard++) {
    const parsed = parseTargetId(below);
    if (parsed?.kind !== 'feature') break; // create or clone: the bottom
    if (parsed.name === undefined || guard > 1000) return undefined;
    old.unshift(parsed.name);
    const up = upstreamOf(recordOf(below as TargetId));
    if (up === undefined) return undefined;
    below = layerBelow(target.entry, up);
  }
  const layersBelow = target.kind === 'feature' ? target.layer - 1 : target.guest.features.length;
  const current = target.guest.features.slice(0, layersBelow).map((f) => f.name);
  const added = current.filter((f) => !old.includes(f));
  const removed = old.filter((f) => !current.includes(f));
  if (added.length === 0 && removed.length === 0) return undefined;
  return { kind: 'features-changed', added, removed };
}

/**
 * The reasons a named feature-list change replaces: the layer-below upstream
 * changes and this feature's own index moving (`features/1` → `features/2`).
 */
export function coveredByFeatureList(r: Reason, entry: string, entryPointer: string): boolean {
  if (r.kind !== 'input-changed') return false;
  if (r.input.startsWith('upstream:'))
    return layerBelow(entry, { [r.input.slice('upstream:'.length)]: true }) !== undefined;
  const moved = new RegExp(`^config:${escapeRegExp(entryPointer)}/features/\\d+$`);
  return moved.test(r.input) && (r.old === null || r.new === null);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
