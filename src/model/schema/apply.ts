// Runs a zod schema over a parsed file and turns its issues into diagnostics
// pointing into that file. Unknown keys are warnings, not failures: when they
// are the only issues, the value is parsed again without them (DESIGN §1).
import type { z } from 'zod';
import { fromPath } from '../pointer.ts';
import type { PointerSegment } from '../pointer.ts';
import type { Reporter } from '../report.ts';
import { didYouMean } from '../suggest.ts';
import type { SourceFile } from '../source.ts';
import { knownKeysAt } from './introspect.ts';

type Issue = z.core.$ZodIssue;

/**
 * Parses `value` (found at `base` inside `file`) with `schema`. Returns the
 * normalised value, or undefined when there was an error other than unknown keys.
 */
export function applySchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: SourceFile,
  reporter: Reporter,
  base: readonly PointerSegment[] = [],
): z.output<S> | undefined {
  const first = schema.safeParse(value);
  if (first.success) return first.data;
  const unknown: { path: PropertyKey[]; key: string }[] = [];
  let failed = false;
  for (const issue of first.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        unknown.push({ path: issue.path, key });
        reporter.at(file, {
          severity: 'warning',
          code: 'unknown-key',
          pointer: fromPath([...base, ...segments(issue.path), key]),
          message: `unknown key "${key}"${didYouMean(key, known)}`,
          atKey: true,
        });
      }
    } else {
      failed = true;
      reporter.at(file, {
        severity: 'error',
        code: codeOf(issue),
        pointer: fromPath([...base, ...segments(issue.path)]),
        message: isMissing(value, issue.path)
          ? `missing required key "${String(issue.path[issue.path.length - 1])}"`
          : messageOf(issue),
      });
    }
  }
  if (failed) return undefined;
  const second = schema.safeParse(withoutKeys(value, unknown));
  return second.success ? second.data : undefined;
}

function segments(path: readonly PropertyKey[]): PointerSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function codeOf(issue: Issue): string {
  const phx = (issue as { params?: { phx?: unknown } }).params?.phx;
  return typeof phx === 'string' ? phx : 'schema';
}

/** True when the issue's path ends at a key its object does not have. */
function isMissing(value: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  let node: unknown = value;
  for (const p of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return (
    node !== null &&
    typeof node === 'object' &&
    !Array.isArray(node) &&
    !(String(path[path.length - 1]) in node)
  );
}

function messageOf(issue: Issue): string {
  if (issue.code === 'invalid_type')
    return `expected ${issue.expected}, got ${describe(issue.message)}`;
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

/** Zod says "Invalid input: expected string, received number"; keep the received part. */
function describe(message: string): string {
  const m = /received (\w+)$/.exec(message);
  return m?.[1] ?? 'something else';
}

/** Deep copy of `value` without the listed keys, for the second parse. */
function withoutKeys(
  value: unknown,
  unknown: readonly { path: PropertyKey[]; key: string }[],
): unknown {
  const copy = structuredClone(value);
  for (const { path, key } of unknown) {
    let node: unknown = copy;
    for (const p of path) node = (node as Record<PropertyKey, unknown> | undefined)?.[p];
    if (node !== null && typeof node === 'object') Reflect.deleteProperty(node, key);
  }
  return copy;
}
