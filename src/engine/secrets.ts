// Secrets never reach logs, plans, graphs or the cache in clear (DESIGN §7).
// A value under a secret-looking key is replaced by `***` and a digest, so a
// changed password still changes the fingerprint while explain shows `***`.
import { hashString } from './hash.ts';
import { isSecretKey } from '../model/secret-keys.ts';

export { isSecretKey };

export function redact(value: unknown, key = ''): unknown {
  if (
    isSecretKey(key) &&
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
  ) {
    return `***${hashString(`phx-secret:${String(value)}`).slice(0, 8)}`;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k);
    return out;
  }
  return value;
}

/** How a redacted value is shown to people: the digest is for comparison only. */
export function display(value: unknown): unknown {
  if (typeof value === 'string' && /^\*\*\*[0-9a-f]{8}$/.test(value)) return '***';
  if (Array.isArray(value)) return value.map(display);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, display(v)]));
  }
  return value;
}
