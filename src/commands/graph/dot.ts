// The graph as Graphviz DOT: a cluster per guest titled "id name", nodes
// filled by status, edges styled by kind without labels, and the start order
// as dashed edges from guest to guest. The legend is the graph's own label,
// not a node, so every node of the picture is a target.
import type { GraphData } from './data.ts';
import {
  clusterTitle,
  legendLines,
  lineStyle,
  shortLabel,
  statusColour,
  statusMeaning,
  type LineKind,
} from './style.ts';

export interface DotOptions {
  /** Draw the legend into the picture (the HTML page has its own). */
  readonly legend: boolean;
}

export function dot(g: GraphData, opts: DotOptions): string {
  const lines = [
    'digraph phx {',
    '  rankdir=LR;',
    '  compound=true;',
    '  graph [fontname="sans-serif", fontsize=12];',
    '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=11];',
    '  edge [arrowsize=0.7];',
  ];
  if (opts.legend) lines.push(`  labelloc="t"; labeljust="l"; label=<${legendTable()}>;`);
  for (const c of g.clusters) {
    lines.push(
      `  subgraph ${quote(`cluster_${c.entry}`)} {`,
      `    label=${quote(clusterTitle(c))}; style=rounded; color="#888888";`,
    );
    for (const n of g.nodes.filter((x) => x.entry === c.entry)) {
      const attrs = [
        `label=${quote(shortLabel(n.id))}`,
        `fillcolor=${quote(statusColour[n.status])}`,
        `tooltip=${quote(`${n.id}: ${statusMeaning[n.status]}`)}`,
      ];
      lines.push(`    ${quote(n.id)} [${attrs.join(', ')}];`);
    }
    lines.push('  }');
  }
  for (const e of g.edges)
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${edgeAttrs(e.kind)}];`);
  for (const s of g.startOrder) {
    const from = [...g.nodes].reverse().find((n) => n.entry === s.from);
    const to = g.nodes.find((n) => n.entry === s.to);
    if (!from || !to) continue;
    // Cluster to cluster, and no pull on the layout: the build edges decide the ranks.
    const attrs = [
      edgeAttrs('start'),
      `ltail=${quote(`cluster_${s.from}`)}`,
      `lhead=${quote(`cluster_${s.to}`)}`,
      'constraint=false',
      `tooltip=${quote(`${s.from} starts before ${s.to}`)}`,
    ];
    lines.push(`  ${quote(from.id)} -> ${quote(to.id)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function edgeAttrs(kind: LineKind): string {
  const s = lineStyle[kind];
  return `style=${s.dot}, color=${quote(s.colour)}`;
}

function legendTable(): string {
  const status = Object.entries(statusColour).map(
    ([s, c]) =>
      `<td bgcolor="${c}">${html(s)}</td><td align="left">${html(statusMeaning[s as keyof typeof statusMeaning])}</td>`,
  );
  const lines = legendLines.map((k) => {
    const s = lineStyle[k];
    return `<td><font color="${s.colour}">${html(k)}</font></td><td align="left">${html(`${s.dot}: ${s.meaning}`)}</td>`;
  });
  const rows = [...status, ...lines].map((r) => `<tr>${r}</tr>`).join('');
  return `<table border="0" cellborder="1" cellspacing="0" cellpadding="3">${rows}</table>`;
}

export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Text inside a Graphviz HTML-like label. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
