// What the cache stores (DESIGN §3). Records are plain data so that
// `phx cache export` can write them as JSON and `plan --state` read them back.
import type { Fingerprint, FileDigest } from '../core/hash.ts';
import type { TargetKind } from '../core/target-id.ts';
import type { SnapshotInfo } from '../core/snapshot.ts';

/** The last good build of one target. Written only after its output exists. */
export interface TargetRecord {
  readonly fingerprint: Fingerprint;
  /** Canonical fingerprint JSON, secrets already redacted: what `explain` diffs. */
  readonly data: string;
  /** The output on the backend: a snapshot name, or '' for targets without one. */
  readonly output: string;
  readonly entry: string;
  readonly kind: TargetKind;
  readonly backend: string;
  readonly builtAt: number;
  readonly durationMs: number;
  /** Log file, relative to the cache dir. */
  readonly log?: string;
}

/** Stat cache: a file whose (size, mtime, inode) are unchanged is not re-read. */
export interface FileRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly digest: FileDigest;
}

/** The JSON written by `phx cache export` and read by `phx plan --state`. */
export interface StateExport {
  readonly version: 1;
  readonly exportedAt: string;
  readonly targets: Readonly<Record<string, TargetRecord>>;
  /**
   * The snapshots each existing guest had at export time (entry → snapshots),
   * so a plan against the export still checks that outputs exist.
   */
  readonly outputs: Readonly<Record<string, readonly SnapshotInfo[]>>;
}

/**
 * What the last full plan of every target found, under the signature of its
 * inputs (src/engine/input-signature.ts): enough to answer a no-op plan
 * without validating, expanding or hashing anything again.
 */
export interface PlanSummary {
  readonly signature: string;
  readonly rows: readonly {
    readonly id: string;
    readonly entry: string;
    readonly kind: TargetKind;
    readonly hash: string;
  }[];
  /** Validation warnings as printed, shown again on the fast path. */
  readonly warnings: string;
  /**
   * When every row's record matched its hash: the records' generation then
   * and each row's recorded output. While the generation is unchanged the
   * records are too, and only the outputs need asking the host about.
   */
  readonly verified?: { readonly generation: number; readonly outputs: readonly string[] };
  /**
   * Digest of each guest's live settings as the full plan saw them, for the
   * entries whose settings had no drift then: while they read the same, there
   * is still none. An entry absent here sends the fast path to the planner.
   */
  readonly liveSettings?: Readonly<Record<string, string>>;
}

/**
 * The rules' import graph and digests as the cache keeps them (src/engine/
 * rule-digests.ts), valid while every file read has the (size, mtime, inode)
 * hashed in `signature`.
 */
export interface RuleGraphRecord {
  /** Absolute paths: a record belongs to one checkout, unlike the digests. */
  readonly files: readonly string[];
  readonly signature: string;
  /** Rule kind → digest. */
  readonly digests: Readonly<Record<string, string>>;
  /** Rule kind → its modules, relative to the package root. */
  readonly modules: Readonly<Record<string, readonly string[]>>;
}
