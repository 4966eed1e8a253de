// Canonical JSON: object keys sorted at every depth, no whitespace, undefined
// dropped. Two equal values always produce the same text, so the text can be
// hashed and, kept beside the hash, diffed by `phx explain`.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // defineProperty, not assignment: a config member named `__proto__`
      // is data, and assigning it would set the copy's prototype and drop it
      // from the text, so changing it would rebuild nothing.
      if (v !== undefined)
        Object.defineProperty(out, key, {
          value: normalise(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}
