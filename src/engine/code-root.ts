// Where phx's own code lives. phx runs either compiled (the installed binary:
// dist/src/…, dist/rules/… beside the package's TypeScript sources, tsc's
// rootDir "." and outDir "dist") or from its TypeScript sources through tsx
// (`npm test`). Rule digests and the no-op signature read the code through
// these two roots, so both ways of running see the same files.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tree whose src/, rules/ and targets/ run now: `<package>/dist` when compiled, the package under tsx. */
export const runningRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The package folder (package.json, the TypeScript sources, dist/). */
export const packageRoot = import.meta.url.endsWith('.js') ? dirname(runningRoot) : runningRoot;

/** A module of phx as the digests name it: its source file and that file's key. */
export interface CodeFile {
  /** Absolute path of the file whose bytes are hashed. */
  readonly path: string;
  /** `/`-separated path relative to the package root: the same wherever the package is. */
  readonly key: string;
}

/** `<root>/<x>.ts` for a compiled `<root>/dist/<x>.js`, whether or not it exists. */
export function tsSourceCandidate(root: string, running: string): string | undefined {
  const rel = packageKey(root, running);
  return rel.startsWith('dist/') && rel.endsWith('.js')
    ? join(root, `${rel.slice('dist/'.length, -'.js'.length)}.ts`)
    : undefined;
}

/**
 * The source of a running module under `root` (a package folder): a compiled
 * `dist/<x>.js` maps to `<x>.ts` when that file is there, anything else to
 * itself. Hashing the TypeScript source keeps a rule's digest the same under
 * tsx and in the installed binary, so tests and the CLI share a cache without
 * rebuilding; a package shipped without sources hashes its JavaScript.
 * (The one gap: a checkout whose dist/ is older than its sources runs the
 * old code under the new digest, so build before running the binary.)
 */
export function sourceOf(root: string, running: string): CodeFile {
  const ts = tsSourceCandidate(root, running);
  if (ts !== undefined && existsSync(ts)) return { path: ts, key: packageKey(root, ts) };
  return { path: running, key: packageKey(root, running) };
}

/** `/`-separated path of a file of the package, relative to its folder. */
function packageKey(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    // Every module of a rule's graph is inside the package by construction
    // (dependencies are external): reaching here is a broken invariant.
    throw new Error(`module ${path} is outside the phx package at ${root}`);
  }
  return rel.split(sep).join('/');
}
