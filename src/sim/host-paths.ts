// The sim node's host folders, subuid/subgid files and AppArmor profiles:
// what a container's start needs of its node beyond storage (bind-mount
// sources, id-map grants, a loaded profile). Folders and loaded profiles
// are kept in `<dir>/host-paths.json`; /etc/subuid, /etc/subgid and the
// profiles' files are plain host files (host-files.ts, `<dir>/host/…`), with
// the contents a fresh Proxmox install has until something writes them.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { done, type Outcome } from './outcome.ts';
import type { HostStorageState } from './host-storage.ts';

export interface HostPathsState {
  /** Folders made on the host (by mkdir), path → owner. */
  folders: Record<string, { uid: number; gid: number }>;
  /** Profiles loaded into the kernel by apparmor_parser, name → the file it came from. */
  profiles: Record<string, string>;
}

/** What a fresh Proxmox install grants root: the range of every unprivileged CT's default map. */
export const installSubids = 'root:100000:65536\n';

/** Profiles the lxc-pve package loads at boot. */
export const shippedProfiles = [
  'lxc-container-default',
  'lxc-container-default-cgns',
  'lxc-container-default-with-mounting',
  'lxc-container-default-with-nesting',
];

/** Includes a Debian/Proxmox node ships under /etc/apparmor.d (what the Phoenix profiles use). */
const shippedIncludes = new Set([
  'tunables/global',
  'tunables/home',
  'tunables/proc',
  'tunables/sys',
  'tunables/kernelvars',
  'abstractions/base',
  'abstractions/nameservice',
  'abstractions/lxc/container-base',
  'abstractions/lxc/start-container',
]);

/** Folders every node has: a bind mount of these needs no mkdir. */
const baseFolders = ['/', '/etc', '/mnt', '/mnt/pve', '/srv', '/var', '/var/lib', '/dev', '/tmp'];

export const loadedProfilesPath = '/sys/kernel/security/apparmor/profiles';

export class HostPaths {
  private readonly file: string;

  constructor(
    readonly dir: string,
    /** Datasets and pools: their mountpoints (`/<pool>/<ds>`) exist once they do. */
    private readonly storage: () => HostStorageState,
  ) {
    this.file = join(dir, 'host-paths.json');
  }

  read(): HostPathsState {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as HostPathsState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return { folders: {}, profiles: {} };
    }
  }

  write(state: HostPathsState): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
    renameSync(tmp, this.file);
  }

  /** A plain host file's text (`<dir>/host/<path>`), undefined when never written. */
  plainFile(path: string): string | undefined {
    try {
      return readFileSync(join(this.dir, 'host', path.replace(/^\/+/, '')), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** What a read of a host file no one wrote gives on a fresh node; undefined: no such file. */
  installed(path: string): string | undefined {
    if (path === '/etc/subuid' || path === '/etc/subgid') return installSubids;
    if (path === loadedProfilesPath) {
      const names = [...shippedProfiles, ...Object.keys(this.read().profiles)].sort();
      return names.map((n) => `${n} (enforce)\n`).join('');
    }
    return undefined;
  }

  /** The owner of an existing folder; undefined when the path does not exist. */
  folder(path: string): { uid: number; gid: number } | undefined {
    const p = posix.normalize(path).replace(/(.)\/+$/, '$1');
    const made = this.read().folders[p];
    if (made) return made;
    if (baseFolders.includes(p)) return { uid: 0, gid: 0 };
    const zfs = this.storage();
    const name = p.slice(1);
    if (Object.hasOwn(zfs.pools, name) || Object.hasOwn(zfs.datasets, name))
      return { uid: 0, gid: 0 };
    return undefined;
  }

  profileLoaded(name: string): boolean {
    return shippedProfiles.includes(name) || Object.hasOwn(this.read().profiles, name);
  }

  /** Whether root is granted every id of [start, start + count) in /etc/subuid (`u`) or /etc/subgid (`g`). */
  granted(type: 'u' | 'g', start: number, count: number): boolean {
    const path = type === 'u' ? '/etc/subuid' : '/etc/subgid';
    const text = this.plainFile(path) ?? installSubids;
    const ranges = text
      .split('\n')
      .map((l) => l.trim().split(':'))
      .filter(([who, s, c]) => who === 'root' && s !== undefined && c !== undefined)
      .map(([, s, c]) => ({ start: Number(s), end: Number(s) + Number(c) }))
      .sort((a, b) => a.start - b.start);
    let at = start;
    for (const r of ranges) {
      if (r.start > at) break;
      at = Math.max(at, r.end);
    }
    return at >= start + count;
  }
}

const fail = (tool: string, message: string, exitCode = 1): Outcome => ({
  exitCode,
  stdout: '',
  stderr: `${tool}: ${message}\n`,
});

/** Words after the options: `--` ends them. */
function operands(words: readonly string[]): { flags: string[]; rest: string[] } {
  const flags: string[] = [];
  const rest: string[] = [];
  let ended = false;
  for (const w of words) {
    if (!ended && w === '--') ended = true;
    else if (!ended && w.startsWith('-') && w !== '-') flags.push(w);
    else rest.push(w);
  }
  return { flags, rest };
}

/** `mkdir [-p] [--] DIR…`: parents made with -p, owned by root; without it a missing parent fails. */
export function mkdir(paths: HostPaths, words: readonly string[]): Outcome {
  const { flags, rest } = operands(words);
  if (rest.length === 0) return fail('mkdir', 'missing operand');
  const parents = flags.includes('-p');
  const state = paths.read();
  for (const raw of rest) {
    if (!raw.startsWith('/'))
      return fail('mkdir', `cannot create directory '${raw}': relative paths are not modelled`);
    const p = posix.normalize(raw).replace(/(.)\/+$/, '$1');
    if (paths.folder(p) !== undefined || state.folders[p]) {
      if (parents) continue;
      return fail('mkdir', `cannot create directory '${raw}': File exists`);
    }
    const chain: string[] = [];
    for (let at = p; paths.folder(at) === undefined && !state.folders[at]; at = posix.dirname(at))
      chain.unshift(at);
    if (chain.length > 1 && !parents)
      return fail('mkdir', `cannot create directory '${raw}': No such file or directory`);
    for (const c of chain) state.folders[c] = { uid: 0, gid: 0 };
  }
  paths.write(state);
  return done();
}

/** `chown UID:GID [--] PATH…` (numeric ids; no -R: phx re-owns the folder only). */
export function chown(paths: HostPaths, words: readonly string[]): Outcome {
  const { flags, rest } = operands(words);
  if (flags.length > 0) return fail('chown', `option ${flags[0]!} is not modelled by the sim node`);
  const [owner, ...targets] = rest;
  const m = /^(\d+):(\d+)$/.exec(owner ?? '');
  if (!m) return fail('chown', `invalid spec: '${owner ?? ''}' (the sim takes numeric UID:GID)`);
  if (targets.length === 0) return fail('chown', `missing operand after '${owner ?? ''}'`);
  const state = paths.read();
  for (const t of targets) {
    const p = posix.normalize(t).replace(/(.)\/+$/, '$1');
    if (paths.folder(p) === undefined)
      return fail('chown', `cannot access '${t}': No such file or directory`);
    state.folders[p] = { uid: Number(m[1]), gid: Number(m[2]) };
  }
  paths.write(state);
  return done();
}

/** `stat -c %u:%g [--] PATH`: the owner, as phx asks for it. */
export function stat(paths: HostPaths, words: readonly string[]): Outcome {
  const i = words.indexOf('-c');
  const format = i >= 0 ? words[i + 1] : undefined;
  const rest = operands(words.filter((_, j) => j !== i && j !== i + 1)).rest;
  if (format !== '%u:%g' || rest.length !== 1)
    return fail('stat', 'only `stat -c %u:%g -- PATH` is modelled by the sim node');
  const owner = paths.folder(rest[0]!);
  if (!owner) return fail('stat', `cannot statx '${rest[0]!}': No such file or directory`);
  return done(`${owner.uid}:${owner.gid}\n`);
}

/** Profile names a text declares (`profile NAME … {`). */
function declaredProfiles(text: string): string[] {
  return [...text.matchAll(/^\s*profile\s+("?)([^\s"{]+)\1[^{\n]*\{/gm)].map((m) => m[2]!);
}

/**
 * `apparmor_parser -r [-W] FILE`: the file must exist on the node, its
 * includes must resolve (shipped ones, or files written under
 * /etc/apparmor.d), its braces must balance, and it must declare a profile;
 * each profile it declares is then loaded.
 */
export function apparmorParser(paths: HostPaths, words: readonly string[]): Outcome {
  const { flags, rest } = operands(words);
  const known = new Set(['-r', '--replace', '-W', '--write-cache', '-a', '--add', '-q', '--quiet']);
  const unknown = flags.find((f) => !known.has(f));
  if (unknown !== undefined)
    return fail('apparmor_parser', `option ${unknown} is not modelled by the sim node`);
  if (rest.length !== 1) return fail('apparmor_parser', 'one profile file is modelled at a time');
  const file = rest[0]!;
  const text = paths.plainFile(file);
  if (text === undefined)
    return { exitCode: 1, stdout: '', stderr: `File ${file} not found, skipping...\n` };
  const lines = text.split('\n');
  let depth = 0;
  for (const [n, line] of lines.entries()) {
    const inc = /^\s*#?include(?:\s+if\s+exists)?\s+<([^>]+)>/.exec(line);
    if (inc && !/if\s+exists/.test(line)) {
      const rel = inc[1]!;
      if (!shippedIncludes.has(rel) && paths.plainFile(`/etc/apparmor.d/${rel}`) === undefined)
        return {
          exitCode: 1,
          stdout: '',
          stderr: `AppArmor parser error for ${file} in profile ${file} at line ${n + 1}: Could not open '${rel}'\n`,
        };
    }
    const code = line.replace(/#.*$/, '');
    depth += (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
    if (depth < 0)
      return {
        exitCode: 1,
        stdout: '',
        stderr: `AppArmor parser error for ${file} in profile ${file} at line ${n + 1}: syntax error, unexpected TOK_CLOSE\n`,
      };
  }
  if (depth !== 0)
    return {
      exitCode: 1,
      stdout: '',
      stderr: `AppArmor parser error for ${file} in profile ${file} at line ${lines.length}: syntax error, unexpected $end, expecting TOK_CLOSE\n`,
    };
  const names = declaredProfiles(text);
  if (names.length === 0)
    return {
      exitCode: 1,
      stdout: '',
      stderr: `AppArmor parser error for ${file}: no profile declared\n`,
    };
  const state = paths.read();
  for (const n of names) state.profiles[n] = file;
  paths.write(state);
  return done();
}
