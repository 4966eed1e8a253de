// phoenix.build.ts: where configs and features live, the backend, resource
// pools, default -j and the sim's durations. Loaded at run time through a
// TypeScript loader; a build file with no runtime imports is transpiled once
// and kept in the cache by content hash, so a no-op plan does not pay for
// the loader on every run. The kept file is written atomically and checked
// against the digest it carries before it is run.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashString } from '../core/hash.ts';
import type { ImageSource } from '../../targets/vm-image.ts';
import { buildFileVmProblem } from './build-file-vm.ts';

export interface BuildFile {
  /** Folder of the four Phoenix config files (default `configs`). */
  readonly configDir?: string;
  /** Folder of feature folders and `apps/` (default `features`). */
  readonly featuresDir?: string;
  readonly backend?: 'auto' | 'proxmox' | 'lxc' | 'sim';
  /** Default parallelism (-j). */
  readonly jobs?: number;
  /**
   * Service guests (no template snapshot, no clones) whose rootfs holds
   * nothing worth keeping: phx may re-create them without --replace.
   */
  readonly disposable?: readonly (number | string)[];
  /** Slots per resource pool, e.g. `{ 'gpu:0': 2 }`; one per GPU unless set. */
  readonly pools?: Readonly<Record<string, number>>;
  /**
   * VM disk images by the name a `template_image` gives: `{ url, sha256 }`
   * (downloaded once into the cache, verified against the pinned sha256) or
   * `{ file, sha256? }` (relative to the project root). A name with no entry
   * is looked for as `images/<name>` in the configs folder.
   */
  readonly images?: Readonly<Record<string, ImageSource>>;
  readonly vm?: {
    /** Seconds a step that starts a VM waits for its guest agent (default 300). */
    readonly agentTimeoutS?: number;
  };
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
    const verified = readCompiled(cached);
    if (verified !== undefined) {
      mod = await importSource(verified);
    } else {
      const { transform } = await import('esbuild');
      const js = (await transform(source, { loader: 'ts', format: 'esm', target: 'node20' })).code;
      if (/^\s*import\s/m.test(js) || /\bimport\(/.test(js)) {
        // Runtime imports resolve relative to the file: load it in place.
        const { tsImport } = await import('tsx/esm/api');
        mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
      } else {
        writeCompiled(cached, js);
        mod = await importSource(js);
      }
    }
    let value: unknown = mod.default;
    // tsx may hand back the module namespace of a CommonJS-interop wrapper.
    if (value && typeof value === 'object' && 'default' in value) value = value.default;
    if (!value || typeof value !== 'object')
      return { ok: false, error: `${path}: the default export must be an object` };
    const vmProblem = buildFileVmProblem(value);
    if (vmProblem !== undefined) return { ok: false, error: `${path}: ${vmProblem}` };
    return { ok: true, value: value, path };
  } catch (e) {
    return { ok: false, error: `${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// The compiled file ends with a line holding the SHA-256 of everything
// before it. A file cut short by a full disk, or edited by anything but phx,
// fails the check and is compiled again: it is never executed.
const trailer = /\n\/\/ phx-sha256:([0-9a-f]{64})\n$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The compiled module if the cached file is whole, else undefined (absent, cut short, altered). */
function readCompiled(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const m = trailer.exec(text);
  if (!m) return undefined;
  const js = text.slice(0, m.index);
  return sha256(js) === m[1] ? js : undefined;
}

/**
 * Write to a temp file and rename it over the cache entry, so no run ever
 * sees half a file. A write that fails (full disk, read-only cache) leaves
 * nothing behind: the module is then run from memory this time.
 */
function writeCompiled(file: string, js: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, `${js}\n// phx-sha256:${sha256(js)}\n`);
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Import checked module text without reading the file again. */
async function importSource(js: string): Promise<{ default?: unknown }> {
  const url = `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`;
  return (await import(url)) as { default?: unknown };
}
