// What one simulated command ends with. Apart from node.ts so the node's
// parts (host-paths.ts…) can answer without importing the node that holds them.
export interface Outcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const done = (stdout = ''): Outcome => ({ exitCode: 0, stdout, stderr: '' });
