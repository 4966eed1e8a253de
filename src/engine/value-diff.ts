// The keys that changed inside a config value, nested: a new model in
// `vllm_engine_config` is one change at `vllm_engine_config/model`, not the
// whole object printed twice. Values come from fingerprint documents, where
// secrets are already keyed digests; `display` turns each into `***`.
import { canonicalJson } from './canonical.ts';
import { display } from './secrets.ts';

/** One leaf (or whole subtree) that differs; `old`/`new` absent when the key did not exist. */
export interface ValueChange {
  /** JSON pointer below the compared value ('' for the value itself). */
  readonly pointer: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

/** At most this many changes per value: a rewritten list is one change, not hundreds. */
const maxChanges = 20;

export function diffValues(old: unknown, now: unknown): ValueChange[] {
  const out: ValueChange[] = [];
  walk(old, now, '', out);
  if (out.length <= maxChanges) return out;
  return [leaf('', old, now)];
}

function walk(a: unknown, b: unknown, at: string, out: ValueChange[]): void {
  if (
    canonicalJson(a ?? null) === canonicalJson(b ?? null) &&
    (a === undefined) === (b === undefined)
  )
    return;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      walk(a[key], b[key], `${at}/${escape(key)}`, out);
    return;
  }
  // Lists of equal length compare element by element (a feature's params at
  // `features/0/params/x`); a list that grew or shrank is shown whole, since
  // an inserted element would make every later index look changed.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => {
      walk(v, b[i], `${at}/${String(i)}`, out);
    });
    return;
  }
  out.push(leaf(at, a, b));
}

function leaf(pointer: string, a: unknown, b: unknown): ValueChange {
  return {
    pointer,
    ...(a === undefined ? {} : { old: display(a) }),
    ...(b === undefined ? {} : { new: display(b) }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A pointer as a reader names the key: `/vllm_engine_config/model` →
 * `vllm_engine_config.model`, `/features/0/params/port` → `features[0].params.port`.
 */
export function dottedPath(pointer: string): string {
  if (pointer === '') return '(value)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9][0-9]*)$/.test(token)) out += `[${token}]`;
    else out += out === '' ? token : `.${token}`;
  }
  return out;
}
