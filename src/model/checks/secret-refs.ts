// Every `env:`/`file:` secret reference resolves, or validation fails naming
// where it is written: an unset token is found before any host is touched,
// not handed to a guest as an empty string. It is an error for validate too,
// so CI that runs `phx validate` needs the variables set (any non-empty
// value will do there: validate hands nothing to a guest).
import { dirname } from 'node:path';
import { describeUnresolved, resolveSecret, type SecretSource } from '../resolve-secrets.ts';
import { join, split } from '../pointer.ts';
import { mapSecrets } from '../secret-keys.ts';
import type { CheckContext } from './context.ts';

export function checkSecretRefs(ctx: CheckContext, env: NodeJS.ProcessEnv = process.env): void {
  const reported = new Set<string>();
  for (const p of ctx.placed) {
    const source: SecretSource = { env, configDir: dirname(p.file.path) };
    mapSecrets(p.guest.config, (leaf, path) => {
      const r = resolveSecret(leaf, source);
      if (r.type !== 'unresolved') return leaf;
      // A key the entry inherits from the file's root is reported where it is written.
      const own = join(p.guest.source.pointer, ...path);
      const root = join('', ...path);
      const pointer =
        valueAt(p.file.value, own) === undefined && valueAt(p.file.value, root) === leaf
          ? root
          : own;
      const key = `${p.file.display}\0${pointer}`;
      if (reported.has(key)) return leaf;
      reported.add(key);
      ctx.reporter.at(p.file, {
        severity: 'error',
        code: 'secret-unresolved',
        pointer,
        message: describeUnresolved(r),
      });
      return leaf;
    });
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of split(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
