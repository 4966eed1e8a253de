// An OpContext for tests: collects log lines and command lines so a test can
// show them when an operation fails.
import type { OpContext } from '../../src/backends/backend.ts';
import { guestTargetId, type TargetKind } from '../../src/core/target-id.ts';
import type { GuestId } from '../../src/core/ids.ts';

export interface TestOpContext extends OpContext {
  readonly lines: string[];
}

export function opContext(id: number, kind: TargetKind = 'feature'): TestOpContext {
  const lines: string[] = [];
  return {
    target: guestTargetId('lxc', id as GuestId, kind),
    targetKind: kind,
    log: (line) => lines.push(line),
    commands: [],
    signal: new AbortController().signal,
    lines,
  };
}
