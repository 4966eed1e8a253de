// The key of the secret digests: 32 random bytes in the cache folder, mode
// 0600. Fingerprints hold HMAC-SHA256(key, value) of each resolved secret, so
// rotating a token changes exactly the fingerprints that read it, while the
// stored digest cannot be inverted (nor a short password guessed) without
// the key. Created on first use, atomically: written under a private name and
// hard-linked into place, so concurrent first runs agree on one key.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.ts';

export const secretKeyFile = 'secret.key';
const keyBytes = 32;

export type SecretKey = Buffer & { readonly __brand: 'SecretKey' };

export type SecretKeyError =
  | { readonly reason: 'exposed'; readonly path: string; readonly mode: number }
  | { readonly reason: 'malformed'; readonly path: string; readonly size: number }
  | { readonly reason: 'io'; readonly path: string; readonly cause: string };

export function describeSecretKeyError(e: SecretKeyError): string {
  switch (e.reason) {
    case 'exposed':
      return `${e.path} is readable by others (mode ${(e.mode & 0o777).toString(8)}): run chmod 600 on it, and rotate the secrets if others could have read it`;
    case 'malformed':
      return `${e.path} holds ${e.size} bytes, not a ${keyBytes}-byte key: remove it (every target that reads a secret then rebuilds once)`;
    case 'io':
      return `cannot read or create the secret digest key ${e.path}: ${e.cause}`;
  }
}

const loaded = new Map<string, SecretKey>();

/** The cache folder's key, created on first use. */
export function loadSecretKey(cacheDir: string): Result<SecretKey, SecretKeyError> {
  const path = join(cacheDir, secretKeyFile);
  const known = loaded.get(path);
  if (known) return ok(known);
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    if (!exists(path)) create(path);
    const st = statSync(path);
    if ((st.mode & 0o077) !== 0) return err({ reason: 'exposed', path, mode: st.mode });
    const key = readFileSync(path);
    if (key.length !== keyBytes) return err({ reason: 'malformed', path, size: key.length });
    loaded.set(path, key as SecretKey);
    return ok(key as SecretKey);
  } catch (e) {
    return err({ reason: 'io', path, cause: e instanceof Error ? e.message : String(e) });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Write under a private name, then link: the key appears whole or not at all, and never twice. */
function create(path: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(keyBytes));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    // Another process created it first: its key is the key.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}
