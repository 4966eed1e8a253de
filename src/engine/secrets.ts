// Secrets never reach logs, plans, graphs or the cache in clear (DESIGN §7).
// A value under a secret-looking key is replaced by `***` and a keyed digest
// of what it resolves to (the token in $HF_TOKEN, not the text "env:HF_TOKEN"),
// so rotating a token rebuilds exactly the targets that read it, explain shows
// `***`, and the cache holds nothing a laptop can invert without the key.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretKey, mapSecrets, type SecretLeaf } from '../model/secret-keys.ts';
import { resolveSecret, type SecretSource } from '../model/resolve-secrets.ts';
import { describeSecretKeyError, loadSecretKey, type SecretKey } from './secret-key.ts';

export { isSecretKey };

/** A secret value → `***` and its digest, as stored in a fingerprint. */
export type SecretDigest = (leaf: SecretLeaf) => string;

/** Hex digits kept of the HMAC-SHA256: 128 bits, far beyond any guessing. */
const digestHex = 32;

function hmac(key: SecretKey, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex').slice(0, digestHex);
}

/**
 * Digests of resolved values. A reference that does not resolve (validation
 * stops a build before this is asked) digests apart from every value, so a
 * later value set for it still changes the fingerprint.
 */
export function secretDigest(key: SecretKey, source: SecretSource): SecretDigest {
  return (leaf) => {
    const r = resolveSecret(leaf, source);
    const text =
      r.type === 'unresolved' ? `unresolved\0${r.reference.text}` : `value\0${String(r.value)}`;
    return `***${hmac(key, text)}`;
  };
}

/** The digest for a project: the key of its cache folder, references resolved in `env`. */
export function secretDigestFor(
  cacheDir: string,
  configDir: string,
  env: NodeJS.ProcessEnv,
): SecretDigest {
  const key = loadSecretKey(cacheDir);
  // Broken only by the cache folder itself (mode, size, permissions): say how to fix it.
  if (!key.ok) throw new Error(describeSecretKeyError(key.error));
  return secretDigest(key.value, { env, configDir });
}

export function redact(value: unknown, digest: SecretDigest): unknown {
  return mapSecrets(value, (leaf) => digest(leaf));
}

const digestPattern = new RegExp(`^\\*\\*\\*[0-9a-f]{8,${digestHex}}$`);

/** How a redacted value is shown to people: the digest is for comparison only. */
export function display(value: unknown): unknown {
  if (typeof value === 'string' && digestPattern.test(value)) return '***';
  if (Array.isArray(value)) return value.map(display);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, display(v)]));
  }
  return value;
}

/**
 * A keyed digest of every reference written in the config files and what it
 * resolves to now: part of the no-op plan's input signature, so a rotated
 * token is noticed even though no file changed. Reading the config folder's
 * JSON files costs far less than the validation the fast path skips; a
 * reference under a key that is not secret only makes the signature stricter.
 */
export function secretsSignature(
  cacheDir: string,
  configDir: string,
  env: NodeJS.ProcessEnv,
): string {
  const refs = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(configDir).filter((n) => n.endsWith('.json'));
  } catch {
    names = [];
  }
  for (const name of names.sort()) {
    let text: string;
    try {
      text = readFileSync(join(configDir, name), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/"((?:env|file):(?:[^"\\]|\\.)*)"/g)) refs.add(m[1]!);
  }
  const digest = secretDigestFor(cacheDir, configDir, env);
  return [...refs]
    .sort()
    .map((r) => `${r} ${digest(JSON.parse(`"${r}"`) as string)}`)
    .join('\n');
}
