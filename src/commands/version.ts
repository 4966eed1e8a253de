// `phx --version`: the version in package.json. The compiled CLI runs from
// dist/src/, the sources from src/, so the file is found by walking up to the
// package named phx rather than by a fixed relative path.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function phxVersion(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'phx' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here, or not JSON: keep walking up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
