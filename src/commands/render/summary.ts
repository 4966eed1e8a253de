// The lines a build ends with on stderr: counts and time, the log of each
// failed target, and the guests it started.
import { join } from 'node:path';
import type { ExecuteResult } from '../../engine/execute.ts';

export function buildSummary(
  result: ExecuteResult,
  started: readonly string[],
  cacheDir: string,
): string {
  const counts = { built: 0, skipped: 0, failed: 0, cancelled: 0 };
  for (const r of result.runs.values()) counts[r.outcome.type]++;
  const lines = [
    `${counts.built} built, ${counts.skipped} up to date, ${counts.failed} failed, ${counts.cancelled} cancelled in ${(result.wallMs / 1000).toFixed(1)}s`,
  ];
  for (const [id, r] of result.runs) {
    if (r.outcome.type === 'failed' && r.log)
      lines.push(`  ${id}: log in ${join(cacheDir, r.log)}`);
  }
  if (started.length > 0) lines.push(`started: ${started.join(', ')}`);
  return lines.join('\n') + '\n';
}
