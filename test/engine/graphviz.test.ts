// `phx graph --format dot` rendered by real Graphviz: the text phx writes is
// DOT that `dot` accepts, with every target as a node and every edge drawn.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missing } from '../helpers/require.ts';
import { Rig } from '../helpers/rig.ts';

test('dot renders the graph of the real configs to SVG', async () => {
  if (missing({ tools: ['dot'] }) !== undefined) return;
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  try {
    const graph = await rig.phx(['graph', '--format', 'dot', '--status']);
    assert.is(graph.code, 0, graph.stderr);
    const json = JSON.parse((await rig.phx(['graph', '--format', 'json'])).stdout) as {
      nodes: { id: string }[];
      edges: unknown[];
      startOrder: unknown[];
    };
    const svg = spawnSync('dot', ['-Tsvg'], { input: graph.stdout, encoding: 'utf8' });
    assert.is(svg.status, 0, svg.stderr);
    assert.match(svg.stdout, /^<\?xml/);
    const nodes = svg.stdout.match(/<g id="node\d+" class="node">/g) ?? [];
    const edges = svg.stdout.match(/<g id="edge\d+" class="edge">/g) ?? [];
    assert.is(nodes.length, json.nodes.length);
    // Build edges, and the start order drawn from guest to guest.
    assert.is(edges.length, json.edges.length + json.startOrder.length);
    assert.ok(json.startOrder.length > 0);
    assert.ok(svg.stdout.includes('<title>lxc/911/snapshot/final&#45;form</title>'));
  } finally {
    rig.cleanup();
  }
});

test.run();
