// Path operations on a CT's filesystem model (absolute path → entry).
import { posix } from 'node:path';
import type { FsEntry, FsModel } from './ct-state.ts';

export function resolveIn(cwd: string, path: string): string {
  return posix.resolve(cwd, path);
}

export function parentOf(path: string): string {
  return posix.dirname(path);
}

export function isDir(fs: FsModel, path: string): boolean {
  return fs[path]?.type === 'dir';
}

/** `mkdir -p`: create `path` and missing parents. */
export function mkdirs(fs: FsModel, path: string, mode = 0o755): boolean {
  if (fs[path]) return fs[path].type === 'dir';
  if (path !== '/' && !mkdirs(fs, parentOf(path))) return false;
  fs[path] = { type: 'dir', mode };
  return true;
}

/** Remove `path` and, for a directory, everything under it. */
export function removeTree(fs: FsModel, path: string): void {
  const prefix = path === '/' ? '/' : `${path}/`;
  for (const p of Object.keys(fs))
    if (p === path || p.startsWith(prefix)) Reflect.deleteProperty(fs, p);
}

/** Copy or move `from` (and its subtree) to `to`. */
export function copyTree(fs: FsModel, from: string, to: string, move: boolean): void {
  const prefix = `${from}/`;
  const moved: [string, FsEntry][] = [];
  for (const [p, e] of Object.entries(fs)) {
    if (p === from) moved.push([to, { ...e }]);
    else if (p.startsWith(prefix)) moved.push([`${to}/${p.slice(prefix.length)}`, { ...e }]);
  }
  if (move) removeTree(fs, from);
  for (const [p, e] of moved) fs[p] = e;
}

/** Apply a chmod mode: octal (`755`) or symbolic (`+x`, `u+x`, `go-w`, `a=r`). */
export function applyMode(current: number, spec: string): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([+\-=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] === '' || m[1]!.includes('a') ? 'ugo' : m[1]!;
    let bits = 0;
    for (const w of who) {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      for (const p of m[3]!) {
        if (p === 'r') bits |= 4 << shift;
        if (p === 'w') bits |= 2 << shift;
        if (p === 'x' || p === 'X') bits |= 1 << shift;
      }
    }
    if (m[2] === '+') mode |= bits;
    else if (m[2] === '-') mode &= ~bits;
    else mode = (mode & ~0o777) | bits;
  }
  return mode;
}
