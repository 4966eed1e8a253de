// The plan: for every selected target, its fingerprint and whether it builds,
// with reasons. `decide` below is the one decision rule (DESIGN §8); plan,
// explain, graph --status and build all reach it through makePlan.
import type { SettingDrift } from '../backends/backend.ts';
import type { SnapshotInfo } from '../core/snapshot.ts';
import type { FileRoot } from './file-roots.ts';
import { guardPlan, type GuardInput, type Refusal } from './guard.ts';
import type { SecretDigest } from './secrets.ts';
import type { TargetRecord } from '../cache/records.ts';
import type { FileDigests } from '../cache/file-digests.ts';
import { computeFingerprint, type FingerprintData } from './fingerprint.ts';
import type { Fingerprint } from '../core/hash.ts';
import type { TargetGraph } from './graph.ts';
import { diffFingerprints, type ConfigPlace } from './diff.ts';
import type { LineCount } from './line-counts.ts';
import { coveredByFeatureList, featureListChange } from './feature-list.ts';
import type { Reason } from './reason.ts';
import { invalidatingEdges, type Target } from '../../targets/target.ts';
import type { TargetId, TargetKind } from '../core/target-id.ts';
import { layerSnapshotDescription } from '../../rules/snapshot-ownership.ts';
import { ruleFor, type RuleRegistry } from '../../rules/rule.ts';
import type { Action, PlannedTarget } from './planned-target.ts';

/** What the host holds: live, from an exported state, or not asked (trusted). */
export interface OutputView {
  /** Snapshots of a guest, or undefined when the guest does not exist; 'trusted' under --offline. */
  snapshotsOf(entry: string): readonly SnapshotInfo[] | undefined | 'trusted';
  /** Whether a recorded host target's output is gone from the host; absent: trusted. */
  hostOutputGone?(id: TargetId): boolean;
}

export interface PlanInput {
  readonly graph: TargetGraph;
  readonly selection: ReadonlySet<TargetId>;
  readonly record: (id: TargetId) => TargetRecord | undefined;
  readonly outputs: OutputView;
  readonly digests: FileDigests;
  readonly ruleDigests: ReadonlyMap<TargetKind, string>;
  /** The rules, for what each kind declares (when it is re-applied). */
  readonly rules: RuleRegistry;
  readonly backend: string;
  /** Where input files live by role, for relocatable file keys. */
  readonly roots: readonly FileRoot[];
  readonly force: boolean;
  /** Keyed digests of the secrets' resolved values, for the fingerprints' config. */
  readonly secrets: SecretDigest;
  /** Ownership and consent, for what the plan destroys and refuses (live plans only). */
  readonly guard?: GuardInput;
  /** Live settings that differ from the declared ones, by entry (live plans only). */
  readonly drift?: (entry: string) => readonly SettingDrift[] | undefined;
  /** File and line of a config pointer in a config file, so reasons can say where to look. */
  readonly locate?: (file: string, pointer: string) => ConfigPlace | undefined;
  /** Lines added and removed in an input file (role-relative key) since a recorded digest. */
  readonly lineCount?: (fileKey: string, oldDigest: string) => LineCount | undefined;
}

export interface Plan {
  /** Selected targets in topological order. */
  readonly targets: readonly PlannedTarget[];
  readonly byId: ReadonlyMap<TargetId, PlannedTarget>;
  /** Building targets that destroy or discard state, and what (DESIGN §6 `destroys`). */
  readonly destroys: ReadonlyMap<TargetId, readonly string[]>;
  /** Re-creations among them, and the volumes each carries over (`keeps`). */
  readonly keeps: ReadonlyMap<TargetId, readonly string[]>;
  /** Building targets that will not run: foreign guests, no consent, or built on those. */
  readonly refused: ReadonlyMap<TargetId, Refusal>;
}

export async function makePlan(input: PlanInput): Promise<Plan> {
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
      roots: input.roots,
      secrets: input.secrets,
    });
    const record = input.record(target.id);
    const reasons = decide(target, fp.fingerprint, fp.data, record, input, (id) => byId.get(id));
    const reapplied = ruleFor(input.rules, target.kind).reapplied;
    if (reasons.length === 0 && reapplied !== 'never') {
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
    const reapplied = ruleFor(input.rules, p.target.kind).reapplied;
    if (p.action === 'skip' && reapplied === 'when-any-layer-rebuilds') {
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
  const guarded = input.guard
    ? guardPlan(planned, input.guard)
    : {
        destroys: new Map<TargetId, readonly string[]>(),
        keeps: new Map<TargetId, readonly string[]>(),
        refused: new Map<TargetId, Refusal>(),
      };
  return { targets: planned, byId, ...guarded };
}

/**
 * The decision rule (DESIGN §8), in one place for plan, explain, graph and
 * build: a target builds if and only if it is forced, its record is missing,
 * its recorded fingerprint differs from the current one, or its output is gone
 * from the host, which includes a layer whose guest this build rolls back or
 * re-creates beneath it and settings that drifted on the host. Targets whose
 * rule is re-applied after a re-creation or rollback (`Rule.reapplied`) are
 * added by the caller.
 * The returned reasons name each cause; empty means up to date.
 */
function decide(
  target: Target,
  fingerprint: Fingerprint,
  data: FingerprintData,
  record: TargetRecord | undefined,
  input: PlanInput,
  plannedOf: (id: TargetId) => PlannedTarget | undefined,
): Reason[] {
  const reasons: Reason[] = [];
  if (input.force) reasons.push({ kind: 'forced' });
  if (!record) {
    reasons.push({ kind: 'never-built' });
    return reasons;
  }
  if (record.fingerprint !== fingerprint) {
    const { locate, lineCount } = input;
    const source = target.guest === undefined ? target.source : target.guest.source;
    const changed = diffFingerprints(record.data, data, {
      entryPointer: source.pointer,
      ...(locate ? { locate: (pointer: string) => locate(source.file, pointer) } : {}),
      ...(lineCount ? { lineCount } : {}),
    });
    const features = featureListChange(target, record, input.record);
    if (features !== undefined) {
      reasons.push(features);
      const named = changed.filter((r) => !coveredByFeatureList(r, target.entry, source.pointer));
      changed.splice(0, changed.length, ...named);
    }
    // The diff is complete by construction; an empty one would be a phx bug,
    // and the target still rebuilds: the fingerprint alone decides.
    if (features === undefined || changed.length > 0)
      reasons.push(
        ...(changed.length > 0
          ? changed
          : [{ kind: 'input-changed' as const, input: 'fingerprint' }]),
      );
  } else if (target.guest === undefined) {
    if (input.outputs.hostOutputGone?.(target.id) === true)
      reasons.push({ kind: 'output-missing', output: target.id, detail: 'is gone from the host' });
  } else {
    const missing = missingOutput(target, record, input.outputs.snapshotsOf(target.entry));
    if (missing !== undefined) reasons.push(missing);
  }
  // A guest's layers stack: when one rebuilds, the guest is rolled back or
  // re-created beneath the later ones, whose snapshots go with it.
  for (const e of target.deps) {
    if (e.kind === 'layer' && plannedOf(e.from)?.action === 'build')
      reasons.push({ kind: 'upstream', target: e.from });
  }
  // Producers that rebuild in this plan are named too, so explain can walk to them.
  for (const e of target.deps) {
    if ((e.kind === 'clone' || e.kind === 'artifact') && plannedOf(e.from)?.action === 'build') {
      if (reasons.some((r) => r.kind === 'input-changed' && r.input === `upstream:${e.from}`))
        reasons.push({ kind: 'upstream', target: e.from });
    }
  }
  if (target.kind === 'settings') {
    for (const d of input.drift?.(target.entry) ?? [])
      reasons.push({ kind: 'drift', key: d.key, live: d.live, declared: d.declared });
  }
  return reasons;
}

/** Whether a record's output is still on the host, given the guest's snapshots. */
export function outputExists(
  target: { readonly kind: TargetKind; readonly id: string },
  record: Pick<TargetRecord, 'fingerprint' | 'output'>,
  snapshots: readonly SnapshotInfo[] | undefined | 'trusted',
): boolean {
  return missingOutput(target, record, snapshots) === undefined;
}

/**
 * Why a recorded output is not on the host, or undefined when it is: the
 * guest is gone, its snapshot is gone, or the snapshot under that name no
 * longer carries the description phx gave it (deleted and re-made by hand).
 */
export function missingOutput(
  target: { readonly kind: TargetKind; readonly id: string },
  record: Pick<TargetRecord, 'fingerprint' | 'output'>,
  snapshots: readonly SnapshotInfo[] | undefined | 'trusted',
): Extract<Reason, { kind: 'output-missing' }> | undefined {
  if (snapshots === 'trusted') return undefined;
  if (snapshots === undefined)
    return {
      kind: 'output-missing',
      output: record.output || `guest ${target.id.split('/')[1] ?? ''}`,
      detail: 'is missing (the guest is gone)',
    };
  if (record.output === '') return undefined;
  const found = snapshots.find((s) => s.name === record.output);
  if (!found) return { kind: 'output-missing', output: record.output };
  if (found.description !== layerSnapshotDescription(record.fingerprint, target.id))
    return {
      kind: 'output-missing',
      output: record.output,
      detail: 'no longer matches (its description changed)',
    };
  return undefined;
}

export function summary(plan: Plan): { build: number; skip: number } {
  let build = 0;
  for (const p of plan.targets) if (p.action === 'build') build++;
  return { build, skip: plan.targets.length - build };
}
