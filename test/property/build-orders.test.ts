// The cache never lies, whatever order a user builds in (DESIGN §8). fast-check
// drives random sequences of edits (feature files, config keys, the feature
// lists of templates) and partial builds (`phx build ID`) on workspace A; a
// twin workspace B takes the same edits with full builds only. After every
// `build --all` of A, every record of A must carry the fingerprint B's does,
// and a live plan of A must be a no-op. Both run the real binary on the sim.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Rig } from '../helpers/rig.ts';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

const lxc = 'configs/phoenix_lxc_configs.json';
const ids = ['900', '901', '921', '950', '953', '955', '103', '101', '102'] as const;
const featureFiles = [
  'features/base_setup/install.sh',
  'features/nvidia/install.sh',
  'features/vllm/install.sh',
  'features/nginx/install.sh',
  'features/lib/phx.sh',
] as const;

type Step =
  | { readonly type: 'file'; readonly path: string; readonly n: number }
  | { readonly type: 'memory'; readonly id: string; readonly mb: number }
  | { readonly type: 'vllm-version'; readonly version: string }
  | { readonly type: 'toggle-feature'; readonly id: '900' | '901'; readonly feature: string }
  | { readonly type: 'build'; readonly id: string }
  | { readonly type: 'build-all' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constant('file' as const),
    path: fc.constantFrom(...featureFiles),
    n: fc.nat(1000),
  }),
  fc.record({
    type: fc.constant('memory' as const),
    id: fc.constantFrom(...ids),
    mb: fc.integer({ min: 1, max: 64 }).map((k) => k * 512),
  }),
  fc.record({
    type: fc.constant('vllm-version' as const),
    version: fc.constantFrom('0.10.1', '0.10.2', '0.11.0'),
  }),
  fc.record({
    type: fc.constant('toggle-feature' as const),
    id: fc.constantFrom('900' as const, '901' as const),
    feature: fc.constantFrom('docker', 'nginx'),
  }),
  fc.record({ type: fc.constant('build' as const), id: fc.constantFrom(...ids) }),
  fc.constant({ type: 'build-all' as const }),
);

function applyEdit(rig: Rig, s: Step): void {
  switch (s.type) {
    case 'file':
      rig.append(s.path, `# edit ${s.n}\n`);
      return;
    case 'memory':
      rig.editJson(lxc, (d) => void (d.lxc_configs[s.id].memory_mb = s.mb));
      return;
    case 'vllm-version':
      rig.editJson(lxc, (d) => {
        const features = d.lxc_configs['921'].features as { name?: string; params: object }[];
        const vllm = features.find((x) => x.name === 'vllm')!;
        vllm.params = { ...vllm.params, version: s.version };
      });
      return;
    case 'toggle-feature':
      rig.editJson(lxc, (d) => {
        const list: unknown[] = d.lxc_configs[s.id].features;
        const at = list.indexOf(s.feature);
        if (at >= 0) list.splice(at, 1);
        else list.push(s.feature);
      });
      return;
    default:
      return;
  }
}

async function buildOk(rig: Rig, args: string[]): Promise<void> {
  // Consent is given: this property is about what builds, not about asking (test/safety).
  const r = await rig.phx(['build', '--quiet', '--yes', ...args]);
  assert.is(r.code, 0, `phx build ${args.join(' ')} failed:\n${r.stderr}`);
}

function shareSecretKey(from: Rig, to: Rig): void {
  mkdirSync(to.path('.phoenix-cache'), { recursive: true, mode: 0o700 });
  copyFileSync(from.path('.phoenix-cache/secret.key'), to.path('.phoenix-cache/secret.key'));
  chmodSync(to.path('.phoenix-cache/secret.key'), 0o600);
}

async function records(rig: Rig): Promise<Record<string, string>> {
  const r = await rig.phx(['cache', 'export', 'state.json']);
  assert.is(r.code, 0, r.stderr);
  const state = JSON.parse(rig.read('state.json')) as {
    targets: Record<string, { fingerprint: string }>;
  };
  return Object.fromEntries(
    Object.entries(state.targets).map(([id, rec]) => [id, rec.fingerprint]),
  );
}

const runs = Number(process.env.PHX_PROPERTY_RUNS ?? 2);
let tried = 0;
let checkpoints = 0;

test('partial builds in any order end where full builds end', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 6 }), async (steps) => {
      tried++;
      const a = Rig.create();
      const b = Rig.create();
      try {
        await buildOk(a, ['--all']);
        // One secret key for both: a secret's digest is keyed per workspace
        // (the host's users.password_hash is one), and the oracle compares
        // the two workspaces' fingerprints.
        shareSecretKey(a, b);
        await buildOk(b, ['--all']);
        // Every sequence ends with a full build, so each one reaches a checkpoint.
        for (const s of [...steps, { type: 'build-all' as const }]) {
          if (s.type === 'build') {
            await buildOk(a, [s.id]);
            continue;
          }
          if (s.type !== 'build-all') {
            applyEdit(a, s);
            applyEdit(b, s);
            continue;
          }
          await buildOk(a, ['--all']);
          await buildOk(b, ['--all']);
          checkpoints++;
          assert.equal(
            await records(a),
            await records(b),
            `records after ${JSON.stringify(steps)}`,
          );
          const plan = await a.phx(['plan', '--detailed-exitcode']);
          assert.is(plan.code, 0, `plan after ${JSON.stringify(steps)}:\n${plan.stdout}`);
        }
      } finally {
        a.cleanup();
        b.cleanup();
      }
    }),
    {
      numRuns: runs,
      seed: process.env.PHX_PROPERTY_SEED ? Number(process.env.PHX_PROPERTY_SEED) : undefined,
    },
  );
  console.log(`property: ${tried} sequences, ${checkpoints} checkpoints, all survived`);
});

test('the stale clone of the issue: edit nvidia, build 950, and 955 is still planned', async () => {
  const rig = Rig.create();
  try {
    await buildOk(rig, ['--all']);
    rig.append('features/nvidia/install.sh', '# one more line\n');
    await buildOk(rig, ['950']);
    const plan = await rig.planJson();
    const clone = plan.json.targets.find((t) => t.id === 'lxc/955/clone')!;
    assert.is(clone.action, 'build');
    const upstream = clone.reasons.find(
      (r: any) => r.kind === 'input-changed' && r.input === 'upstream:lxc/901/snapshot/final-form',
    );
    assert.ok(upstream, JSON.stringify(clone.reasons));
    assert.match(String(upstream.old), /^[0-9a-f]{12}$/);
    assert.is.not(upstream.old, upstream.new);
    const explain = await rig.phx(['explain', 'lxc/955/clone']);
    assert.match(explain.stdout, /lxc\/955\/clone would rebuild/);
    assert.match(
      explain.stdout,
      /upstream:lxc\/901\/snapshot\/final-form [0-9a-f]{12} → [0-9a-f]{12}/,
    );
    await buildOk(rig, ['--all']);
    assert.is((await rig.phx(['plan', '--detailed-exitcode'])).code, 0);
  } finally {
    rig.cleanup();
  }
});

test('plan, explain and graph --status agree target by target', async () => {
  const rig = Rig.create();
  try {
    await buildOk(rig, ['--all']);
    rig.append('features/nvidia/install.sh', '# edit\n');
    rig.editJson(lxc, (d) => void (d.lxc_configs['950'].memory_mb = 4096));
    const plan = await rig.planJson();
    const graph = await rig.phx(['graph', '--format', 'json', '--status']);
    assert.is(graph.code, 0, graph.stderr);
    const nodes = (JSON.parse(graph.stdout) as { nodes: { id: string; status: string }[] }).nodes;
    const status = new Map(nodes.map((n) => [n.id, n.status]));
    for (const t of plan.json.targets) assert.is(status.get(t.id), t.action, `graph of ${t.id}`);
    // explain plans each guest on its own selection; its decisions must not change.
    const explained = new Map<string, string>();
    for (const id of ids) {
      const r = await rig.phx(['--json', 'explain', id]);
      assert.is(r.code, 0, r.stderr);
      for (const row of (JSON.parse(r.stdout) as { targets: { id: string; action: string }[] })
        .targets)
        explained.set(row.id, row.action);
    }
    // The VMs, by VMID (their targets are in every plan of everything).
    for (const id of ['9000', '1001', '1002']) {
      const r = await rig.phx(['--json', 'explain', id]);
      assert.is(r.code, 0, r.stderr);
      for (const row of (JSON.parse(r.stdout) as { targets: { id: string; action: string }[] })
        .targets)
        explained.set(row.id, row.action);
    }
    // The host's targets (no guest to name) one by one, by target id.
    for (const t of plan.json.targets.filter((x) => x.entry === 'host')) {
      const r = await rig.phx(['--json', 'explain', t.id]);
      assert.is(r.code, 0, r.stderr);
      explained.set(
        t.id,
        (JSON.parse(r.stdout) as { targets: { action: string }[] }).targets[0]!.action,
      );
    }
    // And a target id alone (settings selects its whole guest).
    const alone = await rig.phx(['--json', 'explain', 'lxc/950/settings']);
    const aloneJson = JSON.parse(alone.stdout) as { targets: { action: string }[] };
    explained.set('lxc/950/settings', aloneJson.targets[0]!.action);
    for (const t of plan.json.targets)
      assert.is(explained.get(t.id), t.action, `explain of ${t.id}`);
    assert.is(explained.get('lxc/950/settings'), 'build');
  } finally {
    rig.cleanup();
  }
});

test.run();
