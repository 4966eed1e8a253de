// One target as the plan decided it: its fingerprint, whether it builds, and
// why. Apart from plan.ts so that what reads decisions (the guard, the
// executor, the commands) does not import the planner that makes them.
import type { TargetRecord } from '../cache/records.ts';
import type { Fingerprint } from '../core/hash.ts';
import type { FingerprintData } from './fingerprint.ts';
import type { Reason } from './reason.ts';
import type { Target } from '../../targets/target.ts';

export type Action = 'build' | 'skip';

export interface PlannedTarget {
  readonly target: Target;
  readonly fingerprint: Fingerprint;
  readonly data: FingerprintData;
  /** Canonical JSON of `data`: what the cache keeps. */
  readonly json: string;
  readonly action: Action;
  /** Why it builds; empty when it is up to date. */
  readonly reasons: readonly Reason[];
  readonly record: TargetRecord | undefined;
}
