// What an operation is done for, handed to every backend operation. Apart
// from backend.ts so the host operation interfaces it joins can name it
// without importing the interface that imports them.
import type { TargetId, TargetKind } from '../core/target-id.ts';

/** What an operation is done for: durations, faults, logs and command records key on it. */
export interface OpContext {
  readonly target: TargetId;
  readonly targetKind: TargetKind;
  /** One line of output into the target's log (already secret-free). */
  readonly log: (line: string) => void;
  /** Every command line the backend ran for this target (sim and proxmox). */
  readonly commands: string[][];
  readonly signal: AbortSignal;
  /** Description a guest created or cloned for this target starts with: phx's owner mark. */
  readonly owner?: string;
}
