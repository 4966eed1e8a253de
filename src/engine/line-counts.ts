// "+N −M lines" for a changed input file. The cache keeps, by file digest, a
// keyed digest of each line of every input file a build recorded (HMAC with
// the cache's secret key, as for secrets: a short line, say `TOKEN=…` in a
// script, cannot be recovered from it without the key). A plan holding the
// old file's digest counts the lines added and removed against the file as
// it is now, without ever having kept its text.
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Cache } from '../cache/cache-api.ts';
import { hashFile } from '../core/hash.ts';
import { absolutePath, fileRoots } from './file-roots.ts';
import { loadSecretKey, type SecretKey } from './secret-key.ts';

/** Larger files are left uncounted: the plan still says the file changed. */
const maxBytes = 256 * 1024;
/** Above this many cells the count is of lines present on one side only, not an LCS. */
const maxCells = 4_000_000;

export interface LineCount {
  readonly added: number;
  readonly removed: number;
}

export function lineDigests(text: string, key: SecretKey): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) =>
    createHmac('sha256', key).update(line).digest('base64url').slice(0, 12),
  );
}

/** After a target is recorded: keep the line digests of its input files not kept yet. */
export async function recordLines(
  cache: Cache,
  files: ReadonlyMap<string, string>,
  key: SecretKey,
): Promise<void> {
  for (const [path, digest] of files) {
    if (cache.getLines(digest) !== undefined) continue;
    try {
      if (statSync(path).size > maxBytes) continue;
      const text = readFileSync(path, 'utf8');
      // The file may have changed since it was fingerprinted: keep only lines of that version.
      if ((await hashFile(path)) !== digest) continue;
      await cache.putLines(digest, lineDigests(text, key));
    } catch {
      // Gone or unreadable now: the plan will say "changed" without a count.
    }
  }
}

/** Lines added and removed from the recorded version to the file at `path`, when both are known. */
export function countLines(
  cache: Cache,
  key: SecretKey,
  oldDigest: string,
  path: string,
): LineCount | undefined {
  const old = cache.getLines(oldDigest);
  if (old === undefined) return undefined;
  let text: string;
  try {
    if (statSync(path).size > maxBytes) return undefined;
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return compareLines(old, lineDigests(text, key));
}

/** Added and removed lines between two versions: their lengths minus a longest common subsequence. */
export function compareLines(old: readonly string[], now: readonly string[]): LineCount {
  let start = 0;
  while (start < old.length && start < now.length && old[start] === now[start]) start++;
  let end = 0;
  while (
    end < old.length - start &&
    end < now.length - start &&
    old[old.length - 1 - end] === now[now.length - 1 - end]
  )
    end++;
  const a = old.slice(start, old.length - end);
  const b = now.slice(start, now.length - end);
  const common = a.length * b.length > maxCells ? sharedCount(a, b) : lcsLength(a, b);
  return { added: b.length - common, removed: a.length - common };
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 0; j < b.length; j++)
      row[j + 1] = x === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!);
    previous = row;
  }
  return previous[b.length]!;
}

/** Lines present on both sides, counted as multisets: an upper bound of the LCS, for huge diffs. */
function sharedCount(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  let shared = 0;
  for (const y of b) {
    const n = counts.get(y) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(y, n - 1);
    }
  }
  return shared;
}

/** The plan's counter: file keys resolved against this invocation's folders; none without a key. */
export function lineCounter(
  cache: Cache,
  paths: { readonly featuresDir: string; readonly configDir: string; readonly cacheDir: string },
): ((fileKey: string, oldDigest: string) => LineCount | undefined) | undefined {
  const key = loadSecretKey(paths.cacheDir);
  if (!key.ok) return undefined;
  const roots = fileRoots(paths);
  return (fileKey, oldDigest) => {
    const path = absolutePath(roots, fileKey);
    return path === undefined ? undefined : countLines(cache, key.value, oldDigest, path);
  };
}
