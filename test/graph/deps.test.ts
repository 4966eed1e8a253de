// `phx graph --deps ID` (what ID needs; the same as naming ID) and `--rdeps
// ID` (ID and everything built on it) on the example configs, checked against
// sets walked independently over the full graph's edges.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';
import { entriesOf, parseGraph, type GraphJson } from './graph-json.ts';

const rig = Rig.create();
let full: GraphJson;

test.before(async () => {
  const r = await rig.phx(['graph', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  full = parseGraph(r.stdout);
});
test.after(() => {
  rig.cleanup();
});

async function graph(args: string[]): Promise<GraphJson> {
  const r = await rig.phx(['graph', '--format', 'json', ...args]);
  assert.is(r.code, 0, r.stderr);
  return parseGraph(r.stdout);
}

/** Walk the full graph's edges from `roots`, downstream or upstream. */
function walk(roots: string[], down: boolean): string[] {
  const out = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const e of full.edges) {
      if (down && e.from === id) stack.push(e.to);
      if (!down && e.to === id) stack.push(e.from);
    }
  }
  return [...out].sort();
}

const ids = (g: GraphJson) => g.nodes.map((n) => n.id).sort();
const own = (entry: string) => full.nodes.filter((n) => n.entry === entry).map((n) => n.id);

test('--deps 901 is 901 and what it is cloned from; the same as `graph 901`', async () => {
  const deps = await graph(['--deps', '901']);
  // "host": the storage of 900's rootfs, its dataset and pool (order edges).
  assert.equal(entriesOf(deps), ['900', '901', 'host']);
  assert.equal(ids(deps), walk(own('901'), false));
  assert.equal(ids(await graph(['901'])), ids(deps));
});

test('--rdeps 901 is 901, its clones and theirs, and nothing it was cloned from', async () => {
  const rdeps = await graph(['--rdeps', '901']);
  // 921 and 955 clone 901; 950 clones 921.
  assert.equal(entriesOf(rdeps), ['901', '921', '950', '955']);
  assert.equal(ids(rdeps), walk(own('901'), true));
  assert.ok(
    rdeps.edges.some((e) => e.from === 'lxc/921/snapshot/final-form' && e.to === 'lxc/950/clone'),
  );
  // Every edge drawn joins two drawn nodes.
  const drawn = new Set(ids(rdeps));
  for (const e of rdeps.edges)
    assert.ok(drawn.has(e.from) && drawn.has(e.to), `${e.from} -> ${e.to}`);
  assert.equal(rdeps.clusters.map((c) => c.entry).sort(), ['901', '921', '950', '955']);
});

test('--rdeps of one target follows artifact edges to the guests that consume it', async () => {
  const rdeps = await graph(['--rdeps', 'lxc/103/app']);
  assert.equal(ids(rdeps), walk(['lxc/103/app'], true));
  assert.ok(ids(rdeps).includes('lxc/101/app'));
  assert.ok(ids(rdeps).includes('lxc/102/app'));
  assert.not.ok(ids(rdeps).includes('lxc/103/clone'));
});

test('--deps and --rdeps together show the union', async () => {
  const both = await graph(['--deps', '953', '--rdeps', '921']);
  const expected = [...new Set([...walk(own('953'), false), ...walk(own('921'), true)])].sort();
  assert.equal(ids(both), expected);
});

test('an id that is not in the configs is refused with the reason', async () => {
  const r = await rig.phx(['graph', '--rdeps', '4242']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /4242 is not a CTID or VMID in the configs/);
  assert.is(r.stdout, '');
});

test.run();
