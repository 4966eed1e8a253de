// The graph as one self-contained HTML file: the SVG that `dot` drew, a
// legend (status colours with counts, a line sample per edge kind), a search
// box, and a panel for the clicked target, filled by the inline script from
// the JSON embedded beside the picture. No CDN, nothing fetched: it opens
// from a file, offline, and can be attached to a ticket.
import type { GraphData } from './data.ts';
import { pageScript } from './page-script.ts';
import { legendLines, lineStyle, statusColour, statusMeaning, type LineKind } from './style.ts';
import type { Status } from './data.ts';

export interface PageInfo {
  /** What the page is of, for its title: the workspace folder's name. */
  readonly title: string;
  /** Where the statuses come from: "records (offline)", "host", "state FILE". */
  readonly statusSource: string;
}

export function htmlPage(g: GraphData, svg: string, info: PageInfo): string {
  const data = {
    nodes: Object.fromEntries(g.nodes.map((n) => [n.id, n])),
    guests: Object.fromEntries(g.clusters.map((c) => [c.entry, c.name])),
  };
  const counts = new Map<Status, number>();
  for (const n of g.nodes) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  const title = `phx graph: ${info.title}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(title)}</title>
<style>${css}</style>
</head>
<body>
<header>
  <h1>${text(title)}</h1>
  <input id="search" type="search" placeholder="search targets, guests, or a status" autocomplete="off" aria-label="search targets">
  <span id="count"></span>
  <span class="buttons"><button id="zoom-in" title="zoom in">+</button><button id="zoom-out" title="zoom out">−</button><button id="fit" title="fit the whole graph">fit</button></span>
  <div id="legend">
    <span class="legend-title">status (${text(info.statusSource)}):</span>
    ${(Object.keys(statusColour) as Status[]).map((s) => statusChip(s, counts.get(s) ?? 0)).join('\n    ')}
    <span class="legend-title">edges:</span>
    ${legendLines.map(lineSample).join('\n    ')}
  </div>
</header>
<main>
  <div id="canvas">${inlineSvg(svg)}</div>
  <aside id="details"><p class="hint">Click a target to see why it would rebuild and what its fingerprint covers. Drag to pan, wheel to zoom.</p></aside>
</main>
<script type="application/json" id="phx-data">${scriptJson(data)}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}

function statusChip(s: Status, count: number): string {
  return `<span class="chip status-${s}" title="${text(statusMeaning[s])}">${s} ${count}</span>`;
}

function lineSample(k: LineKind): string {
  const s = lineStyle[k];
  const dash =
    s.dot === 'dashed'
      ? ' stroke-dasharray="6 4"'
      : s.dot === 'dotted'
        ? ' stroke-dasharray="1.5 3"'
        : '';
  const width = s.dot === 'bold' ? 3 : 1.5;
  return `<span class="line" title="${text(s.meaning)}"><svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" stroke="${s.colour}" stroke-width="${width}"${dash}/></svg>${k}</span>`;
}

/** The SVG without its XML prolog and doctype, which are not allowed inside HTML. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start < 0 ? svg : svg.slice(start);
}

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function text(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const css = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; padding: 8px 12px; border-bottom: 1px solid #ccc; background: #f7f7f7; }
h1 { font-size: 16px; margin: 0; }
#search { width: 18em; padding: 4px 6px; }
#count { color: #666; }
button { min-width: 2em; }
#legend { flex-basis: 100%; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; font-size: 12px; }
.legend-title { color: #666; }
.chip { display: inline-block; padding: 0 6px; border-radius: 3px; border: 1px solid #0003; }
${(Object.keys(statusColour) as Status[]).map((s) => `.status-${s} { background: ${statusColour[s]}; }`).join('\n')}
.line svg { vertical-align: middle; margin-right: 3px; }
main { flex: 1; display: flex; min-height: 0; }
#canvas { flex: 1; overflow: hidden; cursor: grab; touch-action: none; user-select: none; }
#canvas.dragging { cursor: grabbing; }
#canvas > svg { display: block; }
#details { width: 380px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ccc; font-size: 13px; }
#details h2 { font: bold 14px monospace; word-break: break-all; margin: 4px 0; }
#details h3 { font-size: 13px; margin: 12px 0 4px; }
.reasons { margin: 0; padding-left: 18px; }
.reasons li { word-break: break-word; }
.fingerprint { word-break: break-all; }
table.kv { border-collapse: collapse; width: 100%; font: 12px monospace; }
table.kv th, table.kv td { text-align: left; vertical-align: top; padding: 1px 4px; border-bottom: 1px solid #eee; word-break: break-all; }
table.kv th { font-weight: normal; color: #555; width: 45%; }
table.kv th.link { color: #0057b8; cursor: pointer; text-decoration: underline; }
.hint, .none { color: #666; }
g.node { cursor: pointer; }
g.node.selected path, g.node.selected polygon { stroke: #000; stroke-width: 3px; }
#canvas.searching g.node:not(.match), #canvas.searching g.edge { opacity: 0.25; }
g.node.match path, g.node.match polygon { stroke: #0057b8; stroke-width: 3px; }
`;
