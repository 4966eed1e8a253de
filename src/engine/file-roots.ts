// Where an input file lives, named by its role rather than by the disk: a
// fingerprint keys `features/vllm/install.sh`, whatever folder the features
// are in and wherever the workspace was checked out (DESIGN §8). Relocating a
// workspace, or pointing --features-dir elsewhere, changes no fingerprint.
import { isAbsolute, join, relative, sep } from 'node:path';

export interface FileRoot {
  /** The name a key starts with: `features`, `configs`. */
  readonly role: string;
  /** Absolute folder of that role in this invocation. */
  readonly dir: string;
}

/** `features/<path inside the features folder>`, with `/` as the separator. */
export function roleRelative(roots: readonly FileRoot[], path: string): string {
  for (const root of roots) {
    const rel = relative(root.dir, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
      return `${root.role}/${rel.split(sep).join('/')}`;
  }
  // Every input is found under a role root by construction (targets/files.ts);
  // reaching here means a new kind of input was added without a root.
  throw new Error(`input file ${path} is outside every input root`);
}

/** The file a role-relative key names in this invocation; undefined for an unknown role. */
export function absolutePath(roots: readonly FileRoot[], key: string): string | undefined {
  const slash = key.indexOf('/');
  const root = roots.find((r) => r.role === key.slice(0, slash));
  return root === undefined ? undefined : join(root.dir, ...key.slice(slash + 1).split('/'));
}

export function fileRoots(paths: {
  readonly featuresDir: string;
  readonly configDir: string;
}): FileRoot[] {
  return [
    { role: 'features', dir: paths.featuresDir },
    { role: 'configs', dir: paths.configDir },
  ];
}
