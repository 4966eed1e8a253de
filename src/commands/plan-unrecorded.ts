// A plan with nothing to compare against: no build records in the cache and
// a sim node with no guests (a fresh checkout, typically on CI). Every target
// then shows as new, a believable wrong answer about the real host, so plan
// says so in one line and `--detailed-exitcode` refuses to call it "changes".
import type { BackendKind, GuestState } from '../backends/backend.ts';
import type { Cache } from '../cache/cache-api.ts';

export const unrecordedWarning =
  "phx: planning against an empty cache and a new sim node: every target shows as new; on CI use 'phx cache export' on the host and 'phx plan --state FILE'\n";

/**
 * Whether a live plan had no recorded state to read: the backend is the sim
 * (a real host's answer is the state), none of the guests exists on it, and
 * the cache holds no target record.
 */
export function plannedWithoutState(
  backend: BackendKind,
  live: ReadonlyMap<string, GuestState>,
  cache: Cache | undefined,
): boolean {
  if (backend !== 'sim') return false;
  if ([...live.values()].some((state) => state.exists)) return false;
  return cache === undefined || cache.allTargets()[Symbol.iterator]().next().done === true;
}
