// Which config keys hold secrets (passwords, tokens, keys). Their values never
// appear in logs, plans, graphs, diagnostics or the cache (DESIGN §7).
export const secretKeyPattern = /(password|passwd|secret|token|passphrase|private_key|api_key)/i;

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/** A JSON source line with the string values of secret keys replaced by "***". */
export function maskSecretsInLine(line: string): string {
  return line.replace(
    /("((?:[^"\\]|\\.)*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g,
    (whole, prefix: string, key: string) => (isSecretKey(key) ? `${prefix}"***"` : whole),
  );
}

export type SecretLeaf = string | number | boolean;

/** Returned by a `mapSecrets` visitor to drop the value (a key from its object, an item from its list). */
export const omitSecret: unique symbol = Symbol('omit-secret');

/**
 * `value` with every secret replaced by `visit(leaf, path)`. A secret is a
 * scalar anywhere below a secret-looking key (`secrets: {a: "x"}` and
 * `api_tokens: ["x"]` included): one walk for redaction, resolution and
 * validation, so what is hashed, handed to a guest and checked is the same set.
 */
export function mapSecrets(
  value: unknown,
  visit: (leaf: SecretLeaf, path: readonly (string | number)[]) => unknown,
  path: readonly (string | number)[] = [],
  inSecret = false,
): unknown {
  if (
    inSecret &&
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
  ) {
    return visit(value, path);
  }
  if (Array.isArray(value)) {
    return value
      .map((v, i) => mapSecrets(v, visit, [...path, i], inSecret))
      .filter((v) => v !== omitSecret);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const mapped = mapSecrets(v, visit, [...path, k], inSecret || isSecretKey(k));
      if (mapped === omitSecret) continue;
      // Assigning "__proto__" would set out's prototype and lose the member
      // (its keys would then read as the entry's own): define it as data.
      if (k === '__proto__')
        Object.defineProperty(out, k, {
          value: mapped,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = mapped;
    }
    return out;
  }
  return value;
}
