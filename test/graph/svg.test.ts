// `phx graph --format svg`: drawn by the Debian package's `dot` (no download),
// every target a node under its own <title>, clusters titled "id name", nodes
// filled by status, edges without labels, the start order dashed, and the
// legend in the picture. Without `dot` the command says what is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missing } from '../helpers/require.ts';
import { Rig } from '../helpers/rig.ts';
import { parseGraph } from './graph-json.ts';

/** Text as Graphviz writes it into SVG: `-` as &#45;, `>` as &gt;. */
function decode(s: string): string {
  return s
    .replace(/&#45;/g, '-')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');
}

/** The <g class="KIND"> groups of an SVG from dot, each with its title and body. */
function groups(svg: string, kind: 'node' | 'edge' | 'cluster'): { title: string; body: string }[] {
  const re = new RegExp(
    `<g id="[a-z]+\\d+" class="${kind}">\\n<title>(.*?)</title>([\\s\\S]*?)\\n</g>\\n(?=<!--|</g>|<g )`,
    'g',
  );
  return [...svg.matchAll(re)].map((m) => ({ title: decode(m[1]!), body: m[2]! }));
}

test('the SVG of the real configs: nodes, clusters, colours, unlabelled edges, start order', async () => {
  if (missing({ tools: ['dot'] }) !== undefined) return;
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  try {
    const r = await rig.phx(['graph', '--format', 'svg']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<\?xml/);
    const g = parseGraph((await rig.phx(['graph', '--format', 'json'])).stdout);

    const nodes = groups(r.stdout, 'node');
    assert.equal(nodes.map((n) => n.title).sort(), g.nodes.map((n) => n.id).sort());
    const colour = { build: '#f0a30a', skip: '#60a917', failed: '#e51400' } as Record<
      string,
      string
    >;
    for (const n of g.nodes) {
      const drawn = nodes.find((x) => x.title === n.id)!;
      assert.ok(drawn.body.includes(`fill="${colour[n.status]}"`), `${n.id} filled as ${n.status}`);
    }

    const clusters = groups(r.stdout, 'cluster');
    assert.equal(
      clusters.map((c) => [c.title, decode(/<text[^>]*>(.*?)<\/text>/.exec(c.body)![1]!)]).sort(),
      g.clusters.map((c) => [`cluster_${c.entry}`, `${c.entry} ${c.name}`]).sort(),
    );
    assert.ok(g.clusters.some((c) => c.entry === '911' && c.name === 'Copy-VLLM-GPU0'));

    const edges = groups(r.stdout, 'edge');
    assert.is(edges.length, g.edges.length + g.startOrder.length);
    assert.not.ok(
      edges.some((e) => e.body.includes('<text')),
      'no edge has a label',
    );
    // dashed is dot's 5,2: the start order and nothing else.
    const dashed = edges.filter((e) => e.body.includes('stroke-dasharray="5,2"'));
    assert.is(dashed.length, g.startOrder.length);
    assert.ok(g.startOrder.length > 0);
    const clones = edges.filter((e) => e.body.includes('stroke-width="2"'));
    assert.is(clones.length, g.edges.filter((e) => e.kind === 'clone').length);

    for (const words of [
      'would build',
      'up to date',
      'failed at this fingerprint',
      'started before',
    ])
      assert.ok(r.stdout.includes(words), `legend: ${words}`);
  } finally {
    rig.cleanup();
  }
});

test('without Graphviz, svg fails with one line naming it and prints nothing', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.phx(['graph', '--format', 'svg'], { env: { PATH: rig.path('no-bin') } });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /graphviz is not installed: `dot` renders --format svg and html/);
  } finally {
    rig.cleanup();
  }
});

test.run();
