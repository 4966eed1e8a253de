// The shape of `phx graph --format json`, for the graph tests.
export interface GraphJson {
  nodes: {
    id: string;
    entry: string;
    kind: string;
    hash: string;
    status: string;
    reasons: string[];
    inputs: {
      config: Record<string, unknown>;
      files: Record<string, string>;
      upstream: Record<string, string>;
    };
  }[];
  edges: { from: string; to: string; kind: string }[];
  clusters: { entry: string; name: string; guestKind: string }[];
  startOrder: { from: string; to: string }[];
}

export function parseGraph(stdout: string): GraphJson {
  return JSON.parse(stdout) as GraphJson;
}

/** The guests (entries) a graph draws, sorted. */
export function entriesOf(g: GraphJson): string[] {
  return [...new Set(g.nodes.map((n) => n.entry))].sort();
}
