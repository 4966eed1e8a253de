// `phx graph --format mermaid`: one subgraph per guest titled with its id and
// name holding exactly that guest's targets, unlabelled edges drawn by kind,
// and the start order as links between the guests' subgraphs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';
import { parseGraph } from './graph-json.ts';

test('a subgraph per guest, edges by kind without labels, start order between guests', async () => {
  const rig = Rig.create();
  try {
    const m = await rig.phx(['graph', '--format', 'mermaid']);
    assert.is(m.code, 0, m.stderr);
    const g = parseGraph((await rig.phx(['graph', '--format', 'json'])).stdout);
    const lines = m.stdout.trimEnd().split('\n');
    assert.is(lines[0], 'flowchart LR');

    // Which subgraph each node line sits in.
    const inGuest = new Map<string, string>(); // node label line → guest entry
    const titles = new Map<string, string>();
    let current: string | undefined;
    for (const line of lines) {
      const open = /^ {2}subgraph g(\d+|host)\["(.*)"\]$/.exec(line);
      if (open) {
        current = open[1]!;
        titles.set(current, open[2]!);
      } else if (line === '  end') current = undefined;
      else if (current !== undefined) {
        const node = /^ {4}n\d+\["(.+)"\]:::(build|skip|failed)$/.exec(line);
        assert.ok(node, `a node line inside subgraph ${current}: ${line}`);
        inGuest.set(`${current}/${node[1]!}`, current);
      }
    }
    assert.equal(
      [...titles].sort(),
      g.clusters.map((c) => [c.entry, `${c.entry} ${c.name}`]).sort(),
    );
    assert.equal(
      [...inGuest.keys()].sort(),
      g.nodes.map((n) => `${n.entry}/${n.id.split('/').slice(2).join('/')}`).sort(),
    );

    const edges = lines.filter((l) => /^ {2}n\d+ /.test(l));
    assert.is(edges.length, g.edges.length);
    assert.not.ok(
      edges.some((l) => l.includes('|')),
      'no edge labels',
    );
    assert.is(
      edges.filter((l) => l.includes(' ==> ')).length,
      g.edges.filter((e) => e.kind === 'clone').length,
    );
    assert.is(
      edges.filter((l) => l.includes(' --o ')).length,
      g.edges.filter((e) => e.kind === 'artifact').length,
    );

    const starts = lines.filter((l) => /^ {2}g\d+ -\.-> g\d+$/.test(l));
    assert.equal(
      starts,
      g.startOrder.map((s) => `  g${s.from} -.-> g${s.to}`),
    );
    assert.ok(g.startOrder.length > 0);
    // 103 (boot_order 1) starts first; the templates are never started.
    assert.is(g.startOrder[0]!.from, '103');
    assert.not.ok(
      g.startOrder.some(
        (s) => ['900', '901', '921'].includes(s.from) || ['900', '901', '921'].includes(s.to),
      ),
    );
    for (const s of ['build', 'skip', 'failed'])
      assert.ok(
        lines.includes(
          `  classDef ${s} fill:${{ build: '#f0a30a', skip: '#60a917', failed: '#e51400' }[s]}`,
        ),
      );
  } finally {
    rig.cleanup();
  }
});

test.run();
