// phoenix.build.ts: where configs and features live, the backend, resource
// pools, default -j and the sim's durations. Loaded at run time through a
// TypeScript loader; a build file with no runtime imports is transpiled once
// and kept in the cache by content hash, so a no-op plan does not pay for
// the loader on every run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashString } from './hash.ts';

export interface BuildFile {
  /** Folder of the four Phoenix config files (default `configs`). */
  readonly configDir?: string;
  /** Folder of feature folders and `apps/` (default `features`). */
  readonly featuresDir?: string;
  readonly backend?: 'auto' | 'proxmox' | 'lxc' | 'sim';
  /** Default parallelism (-j). */
  readonly jobs?: number;
  /** Slots per resource pool, e.g. `{ 'gpu:0': 2 }`; one per GPU unless set. */
  readonly pools?: Readonly<Record<string, number>>;
  readonly sim?: {
    /** Milliseconds per operation, by the kind of target it serves. */
    readonly durations?: Readonly<Record<string, number>>;
    /** Multiplier of the durations (PHX_SIM_SCALE overrides). */
    readonly scale?: number;
  };
}

export type BuildFileResult =
  { ok: true; value: BuildFile; path?: string } | { ok: false; error: string };

export async function loadBuildFile(root: string, cacheDir: string): Promise<BuildFileResult> {
  const path = join(root, 'phoenix.build.ts');
  if (!existsSync(path)) return { ok: true, value: {} };
  try {
    const source = readFileSync(path, 'utf8');
    const cached = join(cacheDir, 'build-file', `${hashString(source)}.mjs`);
    let mod: { default?: unknown };
    if (existsSync(cached)) {
      mod = (await import(pathToFileURL(cached).href)) as { default?: unknown };
    } else {
      const { transform } = await import('esbuild');
      const js = (await transform(source, { loader: 'ts', format: 'esm', target: 'node20' })).code;
      if (/^\s*import\s/m.test(js) || /\bimport\(/.test(js)) {
        // Runtime imports resolve relative to the file: load it in place.
        const { tsImport } = await import('tsx/esm/api');
        mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
      } else {
        mkdirSync(join(cacheDir, 'build-file'), { recursive: true });
        writeFileSync(cached, js);
        mod = (await import(pathToFileURL(cached).href)) as { default?: unknown };
      }
    }
    let value: unknown = mod.default;
    // tsx may hand back the module namespace of a CommonJS-interop wrapper.
    if (value && typeof value === 'object' && 'default' in value) value = value.default;
    if (!value || typeof value !== 'object')
      return { ok: false, error: `${path}: the default export must be an object` };
    return { ok: true, value: value, path };
  } catch (e) {
    return { ok: false, error: `${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
