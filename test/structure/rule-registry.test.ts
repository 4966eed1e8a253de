// The table of target kinds: one rule per kind, each declaring what it
// produces and when it is re-applied, and the plan deciding by those
// declarations. The `@ts-expect-error` lines below are the compile-time half:
// if the registry or the rule types stop refusing them, the typecheck of
// tsconfig.test.json fails on the unused directive.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rules } from '../../rules/index.ts';
import { ruleFor, type Rule, type RuleRegistry } from '../../rules/rule.ts';
import { expandProject } from '../../targets/index.ts';
import type { Target } from '../../targets/target.ts';
import { targetKinds, type TargetId, type TargetKind } from '../../src/core/target-id.ts';
import { initHash } from '../../src/core/hash.ts';
import { loadProject } from '../../src/model/load.ts';
import type { Project } from '../../src/model/model.ts';
import { buildGraph } from '../../src/engine/graph.ts';
import { fileRoots } from '../../src/engine/file-roots.ts';
import { makePlan, type Plan } from '../../src/engine/plan.ts';
import { FileDigests } from '../../src/cache/file-digests.ts';
import type { TargetRecord } from '../../src/cache/records.ts';
import { repoRoot } from '../helpers/rig.ts';

await initHash();

// ---- compile time: these must not typecheck ------------------------------

const { firewall: _firewall, ...withoutFirewall } = rules;
// @ts-expect-error a registry without the firewall rule is not a RuleRegistry
export const missingKind: RuleRegistry = withoutFirewall;

// @ts-expect-error a rule filed under another kind's key
export const swapped: RuleRegistry = { ...rules, create: rules.clone };

export const chainWithoutSnapshot: Rule<'feature'> = {
  ...rules.feature,
  // @ts-expect-error a step of the layer chain produces a layer snapshot
  produces: 'nothing',
};

export const snapshotOffChain: Rule<'firewall'> = {
  ...rules.firewall,
  // @ts-expect-error only a target on the layer chain produces a layer snapshot
  produces: 'layer-snapshot',
};

export const readsAnotherKindsField: Rule<'create'> = {
  ...rules.create,
  run: (ctx) =>
    // @ts-expect-error a create target has no snapshot name: the context is typed for its kind
    Promise.resolve(ctx.target.snapshotName),
};

// ---- run time -------------------------------------------------------------

test('the registry holds one rule per kind, under its own kind, from rules/<kind>.ts', () => {
  assert.equal(Object.keys(rules).sort(), [...targetKinds].sort());
  for (const kind of targetKinds) {
    const rule = ruleFor(rules, kind);
    assert.is(rule.kind, kind);
    assert.ok(rule.source.endsWith(`/rules/${kind}.ts`), rule.source);
  }
});

test('each kind declares what it produces and when it is re-applied', () => {
  const declared = Object.fromEntries(
    targetKinds.map((k) => [k, [rules[k].produces, rules[k].reapplied]]),
  );
  assert.equal(declared, {
    create: ['layer-snapshot', 'never'],
    clone: ['layer-snapshot', 'never'],
    settings: ['nothing', 'when-any-layer-rebuilds'],
    feature: ['layer-snapshot', 'never'],
    app: ['layer-snapshot', 'never'],
    check: ['nothing', 'never'],
    snapshot: ['named-snapshot', 'never'],
    firewall: ['nothing', 'when-recreated'],
    image: ['nothing', 'never'],
    'zfs-pool': ['nothing', 'never'],
    'zfs-dataset': ['nothing', 'never'],
    storage: ['nothing', 'never'],
    'nfs-exports': ['nothing', 'never'],
    'samba-share': ['nothing', 'never'],
    'samba-user': ['nothing', 'never'],
    'linux-user': ['nothing', 'never'],
    'pve-user': ['nothing', 'never'],
    'arc-limit': ['nothing', 'never'],
    'cluster-firewall': ['nothing', 'never'],
    subid: ['nothing', 'never'],
    'bind-folder': ['nothing', 'never'],
    'apparmor-profile': ['nothing', 'never'],
    'nvidia-driver': ['nothing', 'never'],
    dns: ['nothing', 'never'],
    'ca-trust': ['nothing', 'never'],
    generated: ['nothing', 'never'],
  });
});

async function loadReal(): Promise<Project> {
  const loaded = await loadProject({
    configDir: join(repoRoot, 'test/fixtures/phoenix-real'),
    featuresDir: join(repoRoot, 'features'),
    cwd: repoRoot,
  });
  assert.ok(loaded.project, 'the real configs load');
  return loaded.project;
}

test('the real configs expand into every kind, layers exactly where rules produce them', async () => {
  const { targets } = await expandProject(await loadReal());
  // Every real entry is `unconfined`: no AppArmor profile to install.
  const absent = new Set(['apparmor-profile']);
  assert.equal(
    [...new Set(targets.map((t) => t.kind))].sort(),
    [...targetKinds].filter((k) => !absent.has(k)).sort(),
  );
  const chains = new Map<string, number[]>();
  for (const t of targets) {
    const produces = ruleFor(rules, t.kind).produces;
    assert.is(t.layer !== undefined, produces === 'layer-snapshot', t.id);
    if (t.layer !== undefined) chains.set(t.entry, [...(chains.get(t.entry) ?? []), t.layer]);
  }
  // Each guest's chain is 0, 1, … n: the engine resumes a guest from layer n-1.
  for (const [entry, layers] of chains)
    assert.equal(layers, [...layers.keys()], `layers of ${entry}`);
});

/** A plan of one guest's targets where `rebuilt` lost its record and all else is recorded. */
async function planWith(registry: RuleRegistry, rebuilt: (t: Target) => boolean): Promise<Plan> {
  const project = await loadReal();
  const all = (await expandProject(project)).targets;
  // A guest with a firewall and features: its settings and firewall both stand to be re-applied.
  const entry = all.find(
    (t) => t.kind === 'firewall' && all.some((f) => f.kind === 'feature' && f.entry === t.entry),
  )!.entry;
  const graph = buildGraph(all);
  assert.ok(graph.ok);
  const input = {
    graph: graph.value,
    selection: new Set(all.filter((t) => t.entry === entry).map((t) => t.id)),
    outputs: { snapshotsOf: () => 'trusted' as const },
    digests: new FileDigests(undefined),
    ruleDigests: new Map<TargetKind, string>(targetKinds.map((k) => [k, `digest-${k}`])),
    rules: registry,
    backend: 'sim',
    roots: fileRoots({ featuresDir: project.featuresDir, configDir: project.configDir }),
    force: false,
    secrets: () => 'secret',
  };
  // First every target never built; then each recorded as that plan computed it.
  const first = await makePlan({ ...input, record: () => undefined });
  const records = new Map<TargetId, TargetRecord>();
  for (const p of first.targets) {
    if (rebuilt(p.target)) continue;
    records.set(p.target.id, {
      fingerprint: p.fingerprint,
      data: p.json,
      output: '',
      entry: p.target.entry,
      kind: p.target.kind,
      backend: 'sim',
      builtAt: 0,
      durationMs: 0,
    });
  }
  return makePlan({ ...input, record: (id) => records.get(id) });
}

/** Kind → the reasons its targets build for, in a plan. */
function reasonsByKind(plan: Plan): Partial<Record<TargetKind, string[]>> {
  const out: Partial<Record<TargetKind, string[]>> = {};
  for (const p of plan.targets)
    if (p.action === 'build') (out[p.target.kind] ??= []).push(...p.reasons.map((r) => r.kind));
  return out;
}

test('a re-created guest gets settings and firewall back; a rebuilt feature only settings', async () => {
  const recreated = reasonsByKind(await planWith(rules, (t) => t.layer === 0));
  assert.equal(recreated.settings, ['reapply']);
  assert.equal(recreated.firewall, ['reapply']);
  assert.equal(recreated.check, undefined);

  const featureRebuilt = reasonsByKind(await planWith(rules, (t) => t.layer === 1));
  assert.equal(featureRebuilt.create, undefined);
  assert.equal(featureRebuilt.settings, ['reapply']);
  assert.equal(featureRebuilt.firewall, undefined);
});

test('the plan follows the declarations, not a list of kinds', async () => {
  // The same plans with firewall declared 'never' and settings 'when-recreated'.
  const changed: RuleRegistry = {
    ...rules,
    firewall: { ...rules.firewall, reapplied: 'never' },
    settings: { ...rules.settings, reapplied: 'when-recreated' },
  };
  const recreated = reasonsByKind(await planWith(changed, (t) => t.layer === 0));
  assert.equal(recreated.settings, ['reapply']);
  assert.equal(recreated.firewall, undefined);
  const featureRebuilt = reasonsByKind(await planWith(changed, (t) => t.layer === 1));
  assert.equal(featureRebuilt.settings, undefined);
});

test.run();
