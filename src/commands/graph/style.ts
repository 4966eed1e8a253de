// How the graph looks, shared by every format so that the DOT picture, the
// SVG, the HTML page's legend and Mermaid agree: one colour per status, one
// line style per edge kind. Labels on edges are gone: the style says the kind.
import type { EdgeKind } from '../../../targets/target.ts';
import type { Status } from './data.ts';

export const statusColour: Readonly<Record<Status, string>> = {
  build: '#f0a30a',
  skip: '#60a917',
  failed: '#e51400',
};

export const statusMeaning: Readonly<Record<Status, string>> = {
  build: 'would build',
  skip: 'up to date',
  failed: 'failed at this fingerprint',
};

/** Build edges by kind, and `start` for the start order between guests. */
export type LineKind = EdgeKind | 'start';

export interface LineStyle {
  /** Graphviz `style`; the HTML legend draws the same with SVG dashes. */
  readonly dot: 'solid' | 'bold' | 'dashed' | 'dotted';
  readonly colour: string;
  readonly meaning: string;
}

export const lineStyle: Readonly<Record<LineKind, LineStyle>> = {
  layer: { dot: 'solid', colour: '#555555', meaning: 'next layer of the same guest' },
  clone: { dot: 'bold', colour: '#1f6feb', meaning: 'cloned from' },
  artifact: { dot: 'solid', colour: '#8e44ad', meaning: 'consumes an artifact of' },
  apply: { dot: 'dotted', colour: '#555555', meaning: 'applied after' },
  order: { dot: 'dotted', colour: '#999999', meaning: 'ordered after' },
  start: { dot: 'dashed', colour: '#d35400', meaning: 'started before (start order)' },
};

/** The line kinds a legend shows: `order` edges are never in a target's deps (src/engine/graph.ts). */
export const legendLines: readonly LineKind[] = ['layer', 'clone', 'artifact', 'apply', 'start'];

/** The label of a node inside its guest's cluster: the id without `lxc/950/`. */
export function shortLabel(id: string): string {
  return id.split('/').slice(2).join('/') || id;
}

export function clusterTitle(c: { entry: string; name: string }): string {
  return `${c.entry} ${c.name}`;
}
