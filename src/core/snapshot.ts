// A snapshot as every layer sees it: its name and the description that carries
// phx's fingerprint and owner mark.
export interface SnapshotInfo {
  readonly name: string;
  readonly description: string;
}
