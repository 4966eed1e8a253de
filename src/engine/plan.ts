// The plan: for every selected target, its fingerprint and whether it builds,
// with reasons. A target builds when it was never built, an input changed,
// its output is gone from the host, something it consumes rebuilds, or it was
// forced. Settings (and the firewall file) are re-applied whenever their guest
// is re-created, re-cloned or rolled back.
import type { SnapshotInfo } from '../backends/backend.ts';
import type { TargetRecord } from '../cache/records.ts';
import type { FileDigests } from '../cache/file-digests.ts';
import type { Guest } from '../model/model.ts';
import { computeFingerprint, type FingerprintData } from './fingerprint.ts';
import type { SecretDigest } from './secrets.ts';
import type { Fingerprint } from './hash.ts';
import type { TargetGraph } from './graph.ts';
import { diffFingerprints } from './diff.ts';
import type { Reason } from './reason.ts';
import { invalidatingEdges, type Target } from './target.ts';
import type { TargetId, TargetKind } from './target-id.ts';
import { layerSnapshotDescription } from './fingerprint.ts';

export type Action = 'build' | 'skip';

export interface PlannedTarget {
  readonly target: Target;
  readonly fingerprint: Fingerprint;
  readonly data: FingerprintData;
  readonly json: string;
  readonly action: Action;
  readonly reasons: readonly Reason[];
  readonly record: TargetRecord | undefined;
}

/** What the host holds: live, from an exported state, or not asked (trusted). */
export interface OutputView {
  /** Snapshots of a guest, or undefined when the guest does not exist; 'trusted' under --offline. */
  snapshotsOf(entry: string): readonly SnapshotInfo[] | undefined | 'trusted';
}

export interface PlanInput {
  readonly graph: TargetGraph;
  readonly selection: ReadonlySet<TargetId>;
  readonly record: (id: TargetId) => TargetRecord | undefined;
  readonly outputs: OutputView;
  readonly digests: FileDigests;
  readonly ruleDigests: ReadonlyMap<TargetKind, string>;
  readonly backend: string;
  readonly root: string;
  readonly force: boolean;
  /** Keyed digests of the secrets' resolved values, for the fingerprints' config. */
  readonly secrets: SecretDigest;
}

export interface Plan {
  /** Selected targets in topological order. */
  readonly targets: readonly PlannedTarget[];
  readonly byId: ReadonlyMap<TargetId, PlannedTarget>;
  /** Guests this version does not build (VMs). */
  readonly unbuilt: readonly Guest[];
}

export async function makePlan(input: PlanInput, unbuilt: readonly Guest[]): Promise<Plan> {
  const byId = new Map<TargetId, PlannedTarget>();
  const planned: PlannedTarget[] = [];
  const baseBuilds = new Map<string, TargetId>(); // entry → first building layer
  const recreated = new Map<string, TargetId>(); // entry → its create/clone, when that builds
  for (const target of input.graph.order) {
    if (!input.selection.has(target.id)) continue;
    const files = new Map<string, string>();
    for (const path of target.files) files.set(path, await input.digests.digest(path));
    const upstream = new Map<string, string>();
    for (const e of target.deps) {
      if (invalidatingEdges.has(e.kind)) upstream.set(e.from, byId.get(e.from)!.fingerprint);
    }
    const fp = computeFingerprint({
      kind: target.kind,
      ruleDigest: input.ruleDigests.get(target.kind) ?? '',
      config: target.config,
      files,
      upstream,
      backend: input.backend,
      root: input.root,
      secrets: input.secrets,
    });
    const record = input.record(target.id);
    const reasons: Reason[] = [];
    if (input.force) reasons.push({ kind: 'forced' });
    if (!record) reasons.push({ kind: 'never-built' });
    else if (record.fingerprint !== fp.fingerprint)
      reasons.push(...diffFingerprints(record.data, fp.data));
    else if (!outputExists(target, record, input.outputs.snapshotsOf(target.entry))) {
      reasons.push({ kind: 'output-missing', output: record.output || `guest ${target.entry}` });
    }
    for (const e of record ? target.deps : []) {
      if (invalidatingEdges.has(e.kind) && byId.get(e.from)?.action === 'build') {
        reasons.push({ kind: 'upstream', target: e.from });
      }
    }
    if (reasons.length === 0 && (target.kind === 'settings' || target.kind === 'firewall')) {
      // A new container has none of the declared config: it goes back on.
      const base = recreated.get(target.entry);
      if (base !== undefined) reasons.push({ kind: 'reapply', target: base });
    }
    const action: Action = reasons.length > 0 ? 'build' : 'skip';
    if (action === 'build' && target.layer !== undefined && !baseBuilds.has(target.entry)) {
      baseBuilds.set(target.entry, target.id);
      if (target.layer === 0) recreated.set(target.entry, target.id);
    }
    const p: PlannedTarget = {
      target,
      fingerprint: fp.fingerprint,
      data: fp.data,
      json: fp.json,
      action,
      reasons,
      record,
    };
    byId.set(target.id, p);
    planned.push(p);
  }
  // Settings come before the first feature in topological order, so a layer
  // that rebuilds after them is only known now: a rollback restores the
  // snapshot's config, and the declared settings must go back on.
  for (const [index, p] of planned.entries()) {
    if (p.action === 'skip' && p.target.kind === 'settings') {
      const layer = baseBuilds.get(p.target.entry);
      if (layer !== undefined) {
        const updated: PlannedTarget = {
          ...p,
          action: 'build',
          reasons: [{ kind: 'reapply', target: layer }],
        };
        planned[index] = updated;
        byId.set(p.target.id, updated);
      }
    }
  }
  return { targets: planned, byId, unbuilt };
}

/** Whether a record's output is still on the host, given the guest's snapshots. */
export function outputExists(
  target: { readonly kind: TargetKind; readonly id: string },
  record: Pick<TargetRecord, 'fingerprint' | 'output'>,
  snapshots: readonly SnapshotInfo[] | undefined | 'trusted',
): boolean {
  if (snapshots === 'trusted') return true;
  if (snapshots === undefined) return false;
  if (target.kind === 'snapshot') {
    const expected = layerSnapshotDescription(record.fingerprint, target.id);
    return snapshots.some((s) => s.name === record.output && s.description === expected);
  }
  if (record.output === '') return true;
  return snapshots.some((s) => s.name === record.output);
}

export function summary(plan: Plan): { build: number; skip: number } {
  let build = 0;
  for (const p of plan.targets) if (p.action === 'build') build++;
  return { build, skip: plan.targets.length - build };
}
