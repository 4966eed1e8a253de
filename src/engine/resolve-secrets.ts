// Secret references in configs (DESIGN §7): `env:NAME` and `file:PATH` under a
// secret-looking key are resolved only when handed to a guest, never logged.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSecretKey } from './secrets.ts';

export function resolveSecrets(
  value: unknown,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  key = '',
): unknown {
  if (typeof value === 'string' && isSecretKey(key)) {
    if (value.startsWith('env:')) return env[value.slice(4)] ?? '';
    if (value.startsWith('file:')) {
      try {
        return readFileSync(resolve(baseDir, value.slice(5)), 'utf8').trim();
      } catch {
        return '';
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, env, baseDir));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, env, baseDir, k)]),
    );
  }
  return value;
}
