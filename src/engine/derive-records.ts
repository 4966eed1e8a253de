// Records re-derived from the host: every layer and template snapshot phx
// takes carries `phx:<fingerprint> <target id>` in its description, so the
// host itself says what was built. A lost or emptied cache is read through
// these before planning (DESIGN §8: a missing cache is never "nothing
// exists"), and `phx cache rebuild` writes them back.
import type { SnapshotInfo } from '../core/snapshot.ts';
import type { TargetRecord } from '../cache/records.ts';
import type { Fingerprint } from '../core/hash.ts';
import { parseTargetId } from '../core/target-id.ts';

export function recordsFromSnapshots(
  entry: string,
  snapshots: readonly SnapshotInfo[],
  backend: string,
): Map<string, TargetRecord> {
  const out = new Map<string, TargetRecord>();
  for (const s of snapshots) {
    const m = /^phx:([0-9a-f]{16}) (\S+)$/.exec(s.description.trim());
    const parsed = m ? parseTargetId(m[2]!) : undefined;
    // Only guest targets take snapshots.
    if (!m || parsed?.guestKind === undefined) continue;
    // Oldest first: a later snapshot of the same target is its newer build.
    out.set(m[2]!, {
      fingerprint: m[1] as Fingerprint,
      data: '',
      output: s.name,
      entry,
      kind: parsed.kind,
      backend,
      builtAt: 0,
      durationMs: 0,
    });
  }
  return out;
}
