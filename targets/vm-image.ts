// Where a VM's `template_image` comes from, and its content digest: the
// image target's fingerprint is the image's sha256, so the same bytes under
// another name or path rebuild nothing and one changed byte rebuilds the
// template and every clone of it. Two sources, looked up in this order:
//   - the build file's `images[<name>]`: `{ url, sha256 }` (the checksum is
//     pinned: a download is verified against it) or `{ file, sha256? }`;
//   - a file `images/<name>` in the configs folder, hashed once and kept.
// A file's sha256 is kept in `<cache>/images/hashes.json` keyed by its path,
// size and mtime, so a 600 MB image is read again only when it changed.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** A build file's `images` entry. */
export type ImageSource =
  | { readonly url: string; readonly sha256: string }
  | { readonly file: string; readonly sha256?: string };

/** What a VM's image resolved to when the project was expanded. */
export type ResolvedImage =
  | {
      readonly type: 'url';
      readonly name: string;
      readonly url: string;
      readonly sha256: string;
      /** Where the verified download is kept: `<cache>/images/<sha256>`. */
      readonly keptAt: string;
    }
  | { readonly type: 'file'; readonly name: string; readonly path: string; readonly sha256: string }
  /** Nothing names it, or its file cannot be read: the image target fails saying how to fix it. */
  | { readonly type: 'unresolved'; readonly name: string; readonly reason: string };

export interface ImagePlaces {
  /** The project root: relative `file` entries of the build file resolve from here. */
  readonly root: string;
  /** `<configDir>/images`: where `images/<name>` is looked for. */
  readonly imagesDir: string;
  /** `<cacheDir>/images`: downloads (by sha256) and the file-hash cache; none: hash every time. */
  readonly cacheDir?: string;
  readonly sources: Readonly<Record<string, ImageSource>>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** The first byte sequence of the sim stand-in image (configs/images/): refused by a real node. */
export const simStandInMark = 'PHX-SIM-STAND-IN-IMAGE';

export async function resolveImage(name: string, places: ImagePlaces): Promise<ResolvedImage> {
  // Own keys only: an image named `constructor` is not the prototype's.
  const source = Object.hasOwn(places.sources, name) ? places.sources[name] : undefined;
  const hint =
    `add images: { '${name}': { url: 'https://…', sha256: '<64 hex digits>' } } to phoenix.build.ts, ` +
    `or put the file at ${join(places.imagesDir, name)}`;
  if (source !== undefined && 'url' in source) {
    const sha256 = source.sha256.toLowerCase();
    if (!sha256Pattern.test(sha256))
      return {
        type: 'unresolved',
        name,
        reason: `phoenix.build.ts images['${name}'].sha256 is not 64 hex digits (a URL's checksum must be pinned)`,
      };
    const keptIn = places.cacheDir ?? join(tmpdir(), 'phx-images');
    return { type: 'url', name, url: source.url, sha256, keptAt: join(keptIn, sha256) };
  }
  const path =
    source === undefined
      ? join(places.imagesDir, name)
      : isAbsolute(source.file)
        ? source.file
        : resolve(places.root, source.file);
  let sha256: string;
  try {
    sha256 = await fileSha256(path, places.cacheDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what =
      source === undefined
        ? `no file ${path} and no images entry in phoenix.build.ts`
        : `phoenix.build.ts images['${name}'].file ${path} cannot be read (${code ?? String(e)})`;
    return { type: 'unresolved', name, reason: `${what}; ${hint}` };
  }
  const pinned = source?.sha256?.toLowerCase();
  if (pinned !== undefined && pinned !== sha256)
    return {
      type: 'unresolved',
      name,
      reason: `${path} has sha256 ${sha256}, but phoenix.build.ts images['${name}'].sha256 pins ${pinned}`,
    };
  return { type: 'file', name, path, sha256 };
}

interface HashEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

/** sha256 of a file, from the hash cache when its size and mtime are those recorded. */
export async function fileSha256(path: string, cacheDir: string | undefined): Promise<string> {
  const st = await stat(path);
  if (!st.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: 'EISDIR' });
  if (cacheDir === undefined) return streamSha256(path);
  const cacheFile = join(cacheDir, 'hashes.json');
  const cache = await readHashes(cacheFile);
  const hit = cache[path];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
  const sha256 = await streamSha256(path);
  cache[path] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
  await writeHashes(cacheFile, cache);
  return sha256;
}

/** Streamed, so an image of any size costs no more memory than a chunk. */
export async function streamSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readHashes(file: string): Promise<Record<string, HashEntry>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, HashEntry>)
      : {};
  } catch {
    // Absent or damaged: it is only a cache; every file is hashed again.
    return {};
  }
}

/** Temp file and rename: a reader sees the old table or the new one, never half. */
async function writeHashes(file: string, table: Record<string, HashEntry>): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify(table));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written (full disk, read-only): hash again next time.
  }
}

/**
 * Stat lines (path, size, mtime, inode) of every image file a plan may read:
 * the configs' images/ folder and each build file `file` entry. The no-op
 * fast path compares them, as it does the config files, so a new image is
 * never answered "nothing to build" from the last plan's record.
 */
export function imagesSignature(places: Omit<ImagePlaces, 'cacheDir'>): string[] {
  const paths = new Set<string>();
  try {
    for (const name of readdirSync(places.imagesDir).sort())
      paths.add(join(places.imagesDir, name));
  } catch {
    // no images/ folder: nothing there to change
  }
  for (const source of Object.values(places.sources))
    if ('file' in source)
      paths.add(isAbsolute(source.file) ? source.file : resolve(places.root, source.file));
  return [...paths].map((p) => {
    try {
      const st = statSync(p);
      return `${p} ${st.size} ${st.mtimeMs} ${st.ino}`;
    } catch {
      return `${p} -`;
    }
  });
}
