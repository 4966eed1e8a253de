// The real Phoenix configs, as their author wrote them (test/fixtures/
// phoenix-real): validate, plan, graph, a sim build of every container, a
// no-op plan after it, and the blast radius of editing the vllm feature.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, built, repoRoot, toBuild } from '../helpers/rig.ts';

const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
// They name Ubuntu's cloud image for VM 9000: the example's sim stand-in takes its place.
rig.write(
  'configs/images/noble-server-cloudimg-amd64.img',
  readFileSync(join(repoRoot, 'configs/images/noble-server-cloudimg-amd64.img'), 'utf8'),
);
test.after(() => {
  rig.cleanup();
});

const containers = [
  '101',
  '102',
  '103',
  '801',
  '802',
  '900',
  '901',
  '910',
  '911',
  '912',
  '914',
  '917',
];

test('validate accepts the real configs', async () => {
  const r = await rig.phx(['validate']);
  assert.is(r.code, 0, r.stderr);
});

test('plan and graph cover every container and VM', async () => {
  const plan = await rig.phx(['plan']);
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /vm\/9000\/image +build/);
  assert.not.match(plan.stdout, /not built by this version/);
  const graph = await rig.phx(['graph', '--format', 'json']);
  assert.is(graph.code, 0, graph.stderr);
  const g = JSON.parse(graph.stdout) as {
    nodes: { entry: string }[];
    edges: { from: string; to: string; kind: string }[];
  };
  // The host's pools, datasets and storage ids are targets too (entry "host").
  assert.equal(
    [...new Set(g.nodes.map((n) => n.entry))].sort(),
    [...containers, '1001', '1002', '9000', 'host'].sort(),
  );
  assert.ok(
    g.edges.some(
      (e) =>
        e.from === 'lxc/911/snapshot/final-form' && e.to === 'lxc/801/clone' && e.kind === 'clone',
    ),
  );
  assert.ok(g.edges.some((e) => e.from === 'lxc/103/app' && e.kind === 'artifact'));
  // Start-order dependencies are not build edges: the only order edges run
  // from a host target (a storage before the guests on it, a pool before its datasets).
  assert.ok(
    g.edges.filter((e) => e.kind === 'order').every((e) => e.from.startsWith('host/')),
    'dependencies are not build edges',
  );
  assert.ok(
    g.edges.some(
      (e) =>
        e.from === 'host/storage/quickOS-lxc-disks' &&
        e.to === 'lxc/900/create' &&
        e.kind === 'order',
    ),
  );
  const dot = await rig.phx(['graph', '--format', 'dot']);
  assert.match(dot.stdout, /^digraph phx \{/);
});

test('a sim build of every container and VM, then a no-op plan', async () => {
  const r = await rig.buildJson(['--all']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    [...new Set(r.json.targets.filter((t) => t.action === 'built').map((t) => t.entry))].sort(),
    [...containers, '1001', '1002', '9000', 'host'].sort(),
  );
  const again = await rig.phx(['plan', '--detailed-exitcode']);
  assert.is(again.code, 0, again.stdout);
  assert.match(again.stdout, /Nothing to build/);
});

test('editing features/vllm rebuilds exactly containers 910, 911, 912, 801 and 802', async () => {
  rig.append('features/vllm/install.sh', '\n# a change\n');
  const plan = await rig.planJson();
  const entries = [...new Set(toBuild(plan.json).map((id) => id.split('/')[1]))].sort();
  assert.equal(entries, ['801', '802', '910', '911', '912']);
  const r = await rig.buildJson(['--all', '--yes']);
  assert.is(r.code, 0, r.stderr);
  assert.equal([...new Set(built(r.json).map((id) => id.split('/')[1]))].sort(), entries);
});

test.run();
