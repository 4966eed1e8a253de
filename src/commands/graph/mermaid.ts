// The graph as a Mermaid flowchart: one subgraph per guest titled "id name",
// nodes classed by status, edges drawn by kind without labels (clone thick,
// apply dotted, artifact ending in a circle), and the start order as dashed
// links from guest to guest, coloured apart with linkStyle.
import type { GraphData } from './data.ts';
import { clusterTitle, lineStyle, shortLabel, statusColour } from './style.ts';
import type { EdgeKind } from '../../../targets/target.ts';

const arrow: Readonly<Record<EdgeKind, string>> = {
  layer: '-->',
  clone: '==>',
  artifact: '--o',
  apply: '-.->',
  order: '-.->',
};

export function mermaid(g: GraphData): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const c of g.clusters) {
    lines.push(`  subgraph g${c.entry}["${text(clusterTitle(c))}"]`);
    for (const n of g.nodes.filter((x) => x.entry === c.entry))
      lines.push(`    ${ids.get(n.id)}["${text(shortLabel(n.id))}"]:::${n.status}`);
    lines.push('  end');
  }
  // linkStyle counts links in the order they are written.
  let link = 0;
  const styled: string[] = [];
  for (const e of g.edges) {
    lines.push(`  ${ids.get(e.from)} ${arrow[e.kind]} ${ids.get(e.to)}`);
    if (e.kind === 'clone' || e.kind === 'artifact')
      styled.push(`  linkStyle ${link} stroke:${lineStyle[e.kind].colour}`);
    link++;
  }
  for (const s of g.startOrder) {
    lines.push(`  g${s.from} -.-> g${s.to}`);
    styled.push(`  linkStyle ${link} stroke:${lineStyle.start.colour},stroke-dasharray:6 4`);
    link++;
  }
  lines.push(...styled);
  for (const [s, c] of Object.entries(statusColour)) lines.push(`  classDef ${s} fill:${c}`);
  return lines.join('\n') + '\n';
}

/** Text inside a Mermaid quoted label: a quote would end it. */
function text(s: string): string {
  return s.replace(/"/g, '#quot;');
}
