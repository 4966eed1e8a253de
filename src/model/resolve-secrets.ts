// Secret references in configs (DESIGN §7): `env:NAME` and `file:PATH` under a
// secret-looking key. A reference resolves to a value or is an error: phx
// never hands a guest an empty string in place of a password it could not find.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mapSecrets, omitSecret, type SecretLeaf } from './secret-keys.ts';
import { fromPath } from './pointer.ts';
import { err, ok, type Result } from '../core/result.ts';

export type SecretReference =
  | { readonly scheme: 'env'; readonly name: string; readonly text: string }
  | { readonly scheme: 'file'; readonly path: string; readonly text: string };

export type Unresolved = {
  readonly type: 'unresolved';
  readonly reference: SecretReference;
} & (
  | { readonly reason: 'env-unset' | 'env-empty' | 'file-empty' }
  | { readonly reason: 'file-unreadable'; readonly path: string; readonly cause: string }
);

export type Resolution =
  | { readonly type: 'literal'; readonly value: SecretLeaf }
  | { readonly type: 'resolved'; readonly value: string; readonly reference: SecretReference }
  | Unresolved;

/** Where references are resolved: `env:` in this environment, `file:` relative to the config folder. */
export interface SecretSource {
  readonly env: NodeJS.ProcessEnv;
  readonly configDir: string;
}

export function parseReference(value: SecretLeaf): SecretReference | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('env:')) return { scheme: 'env', name: value.slice(4), text: value };
  if (value.startsWith('file:')) return { scheme: 'file', path: value.slice(5), text: value };
  return undefined;
}

export function resolveSecret(value: SecretLeaf, source: SecretSource): Resolution {
  const reference = parseReference(value);
  if (reference === undefined) return { type: 'literal', value };
  if (reference.scheme === 'env') {
    const found = source.env[reference.name];
    if (found === undefined) return { type: 'unresolved', reason: 'env-unset', reference };
    if (found === '') return { type: 'unresolved', reason: 'env-empty', reference };
    return { type: 'resolved', value: found, reference };
  }
  const path = resolve(source.configDir, reference.path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    const cause = (e as NodeJS.ErrnoException).code ?? String(e);
    return { type: 'unresolved', reason: 'file-unreadable', reference, path, cause };
  }
  if (text === '') return { type: 'unresolved', reason: 'file-empty', reference };
  return { type: 'resolved', value: text, reference };
}

/** What is wrong with a reference, naming it but never a value. */
export function describeUnresolved(u: Unresolved): string {
  const ref = u.reference;
  switch (u.reason) {
    case 'env-unset':
      return `secret reference "${ref.text}": environment variable ${ref.scheme === 'env' ? ref.name : ''} is not set`;
    case 'env-empty':
      return `secret reference "${ref.text}": environment variable ${ref.scheme === 'env' ? ref.name : ''} is empty`;
    case 'file-empty':
      return `secret reference "${ref.text}": the file is empty`;
    case 'file-unreadable':
      return `secret reference "${ref.text}": cannot read ${u.path} (${u.cause}; file: paths are relative to the config folder)`;
  }
}

export interface UnresolvedAt {
  /** Entry-relative JSON pointer of the value. */
  readonly pointer: string;
  readonly problem: Unresolved;
}

/** Whether a value at `pointer` lies at or below one of the `reads` pointers. */
export function isRead(pointer: string, reads: readonly string[]): boolean {
  return reads.some((r) => r === '' || pointer === r || pointer.startsWith(r + '/'));
}

/**
 * `config` as a step receives it: each secret it reads resolved, each secret
 * it does not read left out (a guest gets only what its feature or app
 * declares), or every reference that cannot be resolved.
 */
export function resolveForStep(
  config: unknown,
  reads: readonly string[],
  source: SecretSource,
): Result<unknown, UnresolvedAt[]> {
  const problems: UnresolvedAt[] = [];
  const out = mapSecrets(config, (leaf, path) => {
    const pointer = fromPath(path);
    if (!isRead(pointer, reads)) return omitSecret;
    const r = resolveSecret(leaf, source);
    if (r.type === 'unresolved') {
      problems.push({ pointer, problem: r });
      return omitSecret;
    }
    return r.value;
  });
  return problems.length > 0 ? err(problems) : ok(out);
}
