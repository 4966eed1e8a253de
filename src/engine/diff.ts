// Which inputs differ between a recorded fingerprint and the current one,
// named as a user would look for them: `config:/lxc_configs/950/memory_mb`,
// `file:features/vllm/install.sh`, `rule:feature`, `backend`,
// `upstream:lxc/901/snapshot/final-form 3f2a… → 9c1d…`. The diff is complete:
// two fingerprint documents that differ anywhere yield at least one reason,
// so every rebuild decided by a fingerprint has a named cause.
import type { FingerprintData } from './fingerprint.ts';
import type { ConfigChange, Reason } from './reason.ts';
import { canonicalJson } from './canonical.ts';
import { display } from './secrets.ts';
import { diffValues, dottedPath } from './value-diff.ts';
import type { LineCount } from './line-counts.ts';

/** Where a config value is written: its file as validate names it, and line. */
export interface ConfigPlace {
  readonly file: string;
  readonly line: number;
}

/** What the diff needs to name config keys as the user wrote them. */
export interface DiffContext {
  /** The guest entry's pointer (`/lxc_configs/950`): keys are named relative to it. */
  readonly entryPointer?: string;
  /** File and line of a file pointer, from the config text the plan was made of. */
  readonly locate?: (pointer: string) => ConfigPlace | undefined;
  /** Lines added and removed in an input file since the recorded version (its digest), when known. */
  readonly lineCount?: (fileKey: string, oldDigest: string) => LineCount | undefined;
}

type Changed = Extract<Reason, { kind: 'input-changed' }>;

/** Fingerprints shown in reasons: enough digits to tell them apart. */
const short = (fp: string | undefined): string => (fp === undefined ? '(none)' : fp.slice(0, 12));

export function diffFingerprints(
  oldJson: string,
  now: FingerprintData,
  context: DiffContext = {},
): Changed[] {
  // A record written by an older phx (or rebuilt from a snapshot) may lack fields.
  let parsed: unknown;
  try {
    parsed = JSON.parse(oldJson);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object')
    return [{ kind: 'input-changed', input: 'fingerprint', old: '(unreadable record)' }];
  const old = parsed as Record<string, unknown>;
  const out: Changed[] = [];
  const nowFields = now as unknown as Record<string, unknown>;
  for (const field of union(old, nowFields)) {
    const a = old[field];
    const b = nowFields[field];
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    switch (field) {
      case 'config':
      case 'files':
      case 'upstream':
        out.push(...diffMap(field, asRecord(a), asRecord(b), context));
        break;
      case 'engineFormat':
        // `engine-format 1 → 2`: every target rebuilds because phx changed.
        out.push({
          kind: 'input-changed',
          input: 'engine-format',
          old: a === undefined ? '(none)' : JSON.stringify(a),
          new: JSON.stringify(b),
        });
        break;
      case 'rule': {
        const kind = (b as FingerprintData['rule'] | undefined)?.kind ?? 'unknown';
        out.push({ kind: 'input-changed', input: `rule:${kind}` });
        break;
      }
      default:
        out.push({
          kind: 'input-changed',
          input: field,
          old: display(a ?? null),
          new: display(b ?? null),
        });
    }
  }
  if (out.length === 0 && oldJson !== canonicalJson(now)) {
    // Same content, different bytes: a record written in another canonical form.
    out.push({ kind: 'input-changed', input: 'fingerprint', old: '(older record format)' });
  }
  return out;
}

function diffMap(
  field: 'config' | 'files' | 'upstream',
  old: Record<string, unknown>,
  now: Record<string, unknown>,
  context: DiffContext,
): Changed[] {
  const out: Changed[] = [];
  for (const key of union(old, now)) {
    const a = old[key];
    const b = now[key];
    if (
      canonicalJson(a ?? null) === canonicalJson(b ?? null) &&
      (a === undefined) === (b === undefined)
    )
      continue;
    if (field === 'config') {
      out.push({
        kind: 'input-changed',
        input: `config:${key}`,
        old: display(a ?? null),
        new: display(b ?? null),
        changes: configChanges(key, a ?? null, b ?? null, context),
      });
    } else if (field === 'files') {
      const what = a === undefined ? ' (added)' : b === undefined ? ' (removed)' : '';
      const lines =
        typeof a === 'string' && b !== undefined ? context.lineCount?.(key, a) : undefined;
      out.push({
        kind: 'input-changed',
        input: `file:${key}${what}`,
        ...(lines === undefined ? {} : { lines }),
      });
    } else {
      out.push({
        kind: 'input-changed',
        input: `upstream:${key}`,
        old: short(a as string | undefined),
        new: short(b as string | undefined),
      });
    }
  }
  return out;
}

/** The keys that changed inside one config slice value, named and placed. */
function configChanges(
  key: string,
  old: unknown,
  now: unknown,
  context: DiffContext,
): ConfigChange[] {
  const entry = context.entryPointer;
  return diffValues(old, now).map((c) => {
    const pointer = key + c.pointer;
    const relative =
      entry !== undefined && pointer.startsWith(entry + '/')
        ? pointer.slice(entry.length)
        : pointer;
    // A removed key is placed at the deepest part of it still written.
    const place = context.locate?.(pointer);
    return {
      pointer,
      path: dottedPath(relative),
      ...('old' in c ? { old: c.old } : {}),
      ...('new' in c ? { new: c.new } : {}),
      ...(place ?? {}),
    };
  });
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
