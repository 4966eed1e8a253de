// The cache as every caller sees it: records of targets, files, failures, plan
// summaries and the rules' import graph. Kept apart from its LMDB
// implementation (cache.ts) so the guard and the digests depend on the
// interface alone.
import type { FileRecord, PlanSummary, RuleGraphRecord, TargetRecord } from './records.ts';

export interface Cache {
  readonly dir: string;
  getTarget(id: string): TargetRecord | undefined;
  /** The record without its fingerprint JSON: all a no-op check needs, at a fraction of the decoding. */
  getTargetHead(id: string): Omit<TargetRecord, 'data'> | undefined;
  allTargets(): Iterable<[string, TargetRecord]>;
  /** Record a built target and its duration in one transaction. */
  putTarget(id: string, record: TargetRecord): Promise<void>;
  removeTargets(ids: readonly string[]): Promise<void>;
  getFile(path: string): FileRecord | undefined;
  putFile(path: string, record: FileRecord): void;
  /** The fingerprint a target last failed with, for `graph --status`. */
  getFailure(id: string): string | undefined;
  putFailure(id: string, fingerprint: string): Promise<void>;
  /** The last full plan's targets under an input signature, for the no-op fast path. */
  getPlanSummary(key: string): PlanSummary | undefined;
  putPlanSummary(key: string, summary: PlanSummary): Promise<void>;
  /** The rules' cached import graph and digests, by rule set. */
  getRuleGraph(key: string): RuleGraphRecord | undefined;
  putRuleGraph(key: string, record: RuleGraphRecord): Promise<void>;
  /** Keyed digests of an input file's lines, by the file's digest: what a plan counts +N −M lines against. */
  getLines(fileDigest: string): readonly string[] | undefined;
  putLines(fileDigest: string, lines: readonly string[]): Promise<void>;
  /** Bumped by every write of target records: equal generations, equal records. */
  generation(): number;
  /** Recorded duration of a target's last successful run, in ms. */
  getDuration(id: string): number | undefined;
  close(): Promise<void>;
}
