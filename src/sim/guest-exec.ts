// `pct exec <vmid> -- argv…` inside the sim: the guest's programs cannot run,
// so the sim models the few system tools a backend uses to shape files
// (mkdir, rm, chmod, tar -x, cat, test, …) and otherwise only checks that the
// program exists: a path never pushed or created exits 127, as lxc-attach does.
import { posix } from 'node:path';
import type { FsModel } from './ct-state.ts';
import { applyMode, copyTree, isDir, mkdirs, parentOf, removeTree, resolveIn } from './guest-fs.ts';
import { readTar, writeTar, type TarMember } from './tar.ts';

export interface GuestIo {
  readBlob(sha: string): Promise<Buffer | undefined>;
  putBlob(content: Buffer): Promise<string>;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const modelled = [
  'base64',
  'mkdir',
  'rm',
  'chmod',
  'chown',
  'cat',
  'test',
  '[',
  'tar',
  'touch',
  'cp',
  'mv',
  'ln',
  'echo',
  'true',
  'false',
  'bash',
  'sh',
  'env',
  'dd',
];
/** Present on a standard template; the sim accepts them and models no effect. */
const passthrough = [
  'apt',
  'apt-get',
  'dpkg',
  'systemctl',
  'service',
  'id',
  'whoami',
  'sleep',
  'printf',
  'grep',
  'sed',
  'awk',
  'find',
  'stat',
  'uname',
  'mount',
  'umount',
  'ls',
  'curl',
  'wget',
  'useradd',
  'usermod',
  'groupadd',
  'chpasswd',
  'hostname',
  'ip',
  'ping',
  'python3',
  'perl',
  'xargs',
  'sort',
  'head',
  'tail',
  'cut',
  'tr',
  'wc',
  'date',
  'install',
  'update-ca-certificates',
  'locale-gen',
  'timedatectl',
  'journalctl',
  'sync',
  'df',
  'du',
  'ps',
  'kill',
  'pkill',
  'su',
  'runuser',
  'getent',
  'gpg',
  'tee',
  'chgrp',
  'readlink',
  'realpath',
  'dirname',
  'basename',
  'mktemp',
  'sha256sum',
  'gzip',
  'gunzip',
  'unzip',
  'which',
];
export const systemBinaries = new Set([...modelled, ...passthrough]);
const systemDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const res = (exitCode: number, stdout = '', stderr = ''): ExecResult => ({
  exitCode,
  stdout,
  stderr,
});
const noSuch = (tool: string, p: string, what = 'No such file or directory') =>
  res(1, '', `${tool}: cannot access '${p}': ${what}\n`);

export async function guestExec(
  vmid: number,
  fs: FsModel,
  argv: readonly string[],
  io: GuestIo,
): Promise<ExecResult> {
  let cwd = '/';
  let args = [...argv];
  if (args.length === 0) return res(255, '', 'missing command\n');
  if (posix.basename(args[0]!) === 'env') {
    let i = 1;
    for (; i < args.length; i++) {
      const w = args[i]!;
      if (w === '-i' || w === '--ignore-environment' || /^\w+=/.test(w)) continue;
      if (w === '-u') i++;
      else if (w === '-C' || w === '--chdir') cwd = resolveIn(cwd, args[++i] ?? '');
      else if (w.startsWith('--chdir=')) cwd = resolveIn(cwd, w.slice('--chdir='.length));
      else if (w === '--') {
        i++;
        break;
      } else break;
    }
    if (!isDir(fs, cwd))
      return res(125, '', `env: cannot change directory to '${cwd}': No such file or directory\n`);
    args = args.slice(i);
    if (args.length === 0) return res(0);
  }
  const prog = args[0]!;
  const notFound = res(
    127,
    '',
    `lxc-attach: ${vmid}: ../src/lxc/attach.c: lxc_attach_run_command: 1841 No such file or directory - Failed to exec "${prog}"\n`,
  );
  let builtin: string | undefined;
  if (prog.includes('/')) {
    const p = resolveIn(cwd, prog);
    const e = fs[p];
    if (e?.type === 'file')
      return (e.mode & 0o111) === 0
        ? res(126, '', `lxc-attach: ${vmid}: Permission denied - Failed to exec "${prog}"\n`)
        : res(0);
    if (e?.type === 'dir')
      return res(126, '', `lxc-attach: ${vmid}: Permission denied - Failed to exec "${prog}"\n`);
    if (systemDirs.includes(parentOf(p)) && systemBinaries.has(posix.basename(p)))
      builtin = posix.basename(p);
    else return notFound;
  } else if (systemBinaries.has(prog)) builtin = prog;
  else {
    // A bare name is looked up on the guest's PATH, where features install
    // programs through apt, pip or installers whose effects the sim does not
    // model (step, vllm, ollama, nvidia-smi…): it is accepted. Only a file
    // the sim does model (pushed or created) that is not executable fails.
    const found = systemDirs.map((d) => fs[`${d}/${prog}`]).find((e) => e?.type === 'file');
    return found && (found.mode & 0o111) === 0
      ? res(126, '', `lxc-attach: ${vmid}: Permission denied - Failed to exec "${prog}"\n`)
      : res(0);
  }
  return runBuiltin(builtin, args.slice(1), cwd, fs, io);
}

function splitFlags(args: readonly string[]): { flags: string; rest: string[] } {
  let flags = '';
  const rest: string[] = [];
  for (const a of args) {
    if (/^-[A-Za-z]+$/.test(a)) flags += a.slice(1);
    else if (!a.startsWith('--')) rest.push(a);
  }
  return { flags, rest };
}

async function runBuiltin(
  tool: string,
  args: string[],
  cwd: string,
  fs: FsModel,
  io: GuestIo,
): Promise<ExecResult> {
  const at = (p: string) => resolveIn(cwd, p);
  switch (tool) {
    case 'true':
      return res(0);
    case 'false':
      return res(1);
    case 'echo':
      return res(0, `${args.join(' ')}\n`);
    case 'mkdir': {
      const modeIdx = args.findIndex((a) => a === '-m');
      const mode = modeIdx >= 0 ? applyMode(0o755, args[modeIdx + 1] ?? '') : 0o755;
      const { flags, rest } = splitFlags(
        args.filter((_, i) => modeIdx < 0 || (i !== modeIdx && i !== modeIdx + 1)),
      );
      for (const d of rest.map(at)) {
        if (flags.includes('p')) {
          if (!mkdirs(fs, d, mode))
            return res(1, '', `mkdir: cannot create directory '${d}': Not a directory\n`);
        } else if (fs[d]) return res(1, '', `mkdir: cannot create directory '${d}': File exists\n`);
        else if (!isDir(fs, parentOf(d)))
          return res(1, '', `mkdir: cannot create directory '${d}': No such file or directory\n`);
        else fs[d] = { type: 'dir', mode: mode ?? 0o755 };
      }
      return res(0);
    }
    case 'rm': {
      const { flags, rest } = splitFlags(args);
      for (const p of rest.map(at)) {
        if (!fs[p]) {
          if (!flags.includes('f'))
            return res(1, '', `rm: cannot remove '${p}': No such file or directory\n`);
        } else if (fs[p].type === 'dir' && !/[rR]/.test(flags))
          return res(1, '', `rm: cannot remove '${p}': Is a directory\n`);
        else removeTree(fs, p);
      }
      return res(0);
    }
    case 'chmod': {
      const recursive = args.some((a) => /^-[cfvR]*R/.test(a) || a === '--recursive');
      const [modeArg, ...paths] = args.filter((a) => !/^-[cfvR]+$/.test(a) && !a.startsWith('--'));
      if (modeArg === undefined || paths.length === 0)
        return res(1, '', 'chmod: missing operand\n');
      for (const p of paths.map(at)) {
        if (!fs[p]) return noSuch('chmod', p);
        const targets = recursive
          ? Object.keys(fs).filter((k) => k === p || k.startsWith(`${p}/`))
          : [p];
        for (const t of targets) {
          const mode = applyMode(fs[t]!.mode, modeArg);
          if (mode === undefined) return res(1, '', `chmod: invalid mode: '${modeArg}'\n`);
          fs[t]!.mode = mode;
        }
      }
      return res(0);
    }
    case 'chown': {
      const { rest } = splitFlags(args);
      for (const p of rest.slice(1).map(at)) if (!fs[p]) return noSuch('chown', p);
      return res(0);
    }
    case 'cat': {
      let out = '';
      for (const p of splitFlags(args).rest.map(at)) {
        const e = fs[p];
        if (!e) return res(1, out, `cat: ${p}: No such file or directory\n`);
        if (e.type === 'dir') return res(1, out, `cat: ${p}: Is a directory\n`);
        out += (await io.readBlob(e.sha256))?.toString('utf8') ?? '';
      }
      return res(0, out);
    }
    case 'base64': {
      // `base64 -w0 FILE`: how a backend reads a binary file out of a CT as text.
      const files = splitFlags(args)
        .rest.filter((a) => !a.startsWith('-'))
        .map(at);
      if (files.length !== 1)
        return res(1, '', 'base64: the sim models exactly one FILE argument\n');
      const e = fs[files[0]!];
      if (e?.type !== 'file')
        return res(1, '', `base64: ${files[0]!}: No such file or directory\n`);
      return res(0, ((await io.readBlob(e.sha256)) ?? Buffer.alloc(0)).toString('base64'));
    }
    case 'test':
    case '[': {
      const expr = tool === '[' ? args.slice(0, -1) : args;
      const negate = expr[0] === '!';
      const [op, p] = negate ? expr.slice(1) : expr;
      if (op === undefined || p === undefined || !/^-[efdxsrw]$/.test(op)) return res(0); // not modelled: assume true
      const e = fs[at(p)];
      const holds =
        op === '-d'
          ? e?.type === 'dir'
          : op === '-f'
            ? e?.type === 'file'
            : op === '-x'
              ? e !== undefined && (e.mode & 0o111) !== 0
              : op === '-s'
                ? e?.type === 'file' && e.size > 0
                : e !== undefined;
      return res(holds !== negate ? 0 : 1);
    }
    case 'touch': {
      for (const p of splitFlags(args).rest.map(at)) {
        if (fs[p]) continue;
        if (!isDir(fs, parentOf(p)))
          return res(1, '', `touch: cannot touch '${p}': No such file or directory\n`);
        fs[p] = { type: 'file', mode: 0o644, size: 0, sha256: await io.putBlob(Buffer.alloc(0)) };
      }
      return res(0);
    }
    case 'cp':
    case 'mv':
    case 'ln': {
      const { flags, rest } = splitFlags(args);
      if (rest.length !== 2)
        return res(1, '', `${tool}: only 'SOURCE DEST' is modelled by the sim\n`);
      const [from, to] = [at(rest[0]!), at(rest[1]!)];
      if (tool === 'ln') {
        if (!isDir(fs, parentOf(to))) return noSuch('ln', to);
        fs[to] = fs[from]
          ? { ...fs[from] }
          : { type: 'file', mode: 0o777, size: 0, sha256: await io.putBlob(Buffer.alloc(0)) };
        return res(0);
      }
      if (!fs[from])
        return res(1, '', `${tool}: cannot stat '${from}': No such file or directory\n`);
      if (tool === 'cp' && fs[from].type === 'dir' && !/[rRa]/.test(flags))
        return res(1, '', `cp: -r not specified; omitting directory '${from}'\n`);
      const dest = isDir(fs, to) ? `${to}/${posix.basename(from)}` : to;
      if (!isDir(fs, parentOf(dest))) return noSuch(tool, dest);
      copyTree(fs, from, dest, tool === 'mv');
      return res(0);
    }
    case 'tar':
      return tarExtract(args, cwd, fs, io);
    case 'dd':
      return ddCopy(args, cwd, fs, io);
    case 'bash':
    case 'sh': {
      const script = args.find((a) => !a.startsWith('-'));
      if (args.includes('-c') || script === undefined) return res(0); // inline scripts are not modelled
      const e = fs[at(script)];
      return e?.type === 'file'
        ? res(0)
        : res(127, '', `${tool}: ${script}: No such file or directory\n`);
    }
    default:
      return res(0);
  }
}

async function tarExtract(
  args: readonly string[],
  cwd: string,
  fs: FsModel,
  io: GuestIo,
): Promise<ExecResult> {
  let file: string | undefined;
  let dir = cwd;
  let extract = false;
  let create = false;
  let strip = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--file=')) file = a.slice(7);
    else if (a.startsWith('--directory=')) dir = resolveIn(cwd, a.slice(12));
    else if (a.startsWith('--strip-components=')) strip = Number(a.slice(19));
    else if (a === '--extract' || a === '--get') extract = true;
    else if (a === '--create') create = true;
    else if (a === '-C' || a === '--directory') dir = resolveIn(cwd, args[++i] ?? '');
    else if (a === '--file') file = args[++i];
    else if (/^-?[A-Za-z]+$/.test(a) && (i === 0 || a.startsWith('-'))) {
      if (a.includes('x')) extract = true;
      if (a.includes('c')) create = true;
      if (a.includes('f')) file = args[++i];
      if (a.includes('C')) dir = resolveIn(cwd, args[++i] ?? '');
    }
  }
  if (create) return tarCreate(args, cwd, dir, file, fs, io);
  if (!extract) return res(0); // listing an archive changes nothing the sim models
  if (file === undefined)
    return res(2, '', 'tar: reading an archive from stdin is not modelled by the sim\n');
  const e = fs[resolveIn(cwd, file)];
  if (e?.type !== 'file')
    return res(2, '', `tar: ${file}: Cannot open: No such file or directory\n`);
  if (!isDir(fs, dir)) return res(2, '', `tar: ${dir}: Cannot open: No such file or directory\n`);
  const data = await io.readBlob(e.sha256);
  const members = data && readTar(data);
  if (!members) return res(2, '', 'tar: This does not look like a tar archive\n');
  for (const m of members) {
    const parts = m.path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length <= strip) continue;
    const p = resolveIn(dir, parts.slice(strip).join('/'));
    if (m.type === 'dir') mkdirs(fs, p, m.mode);
    else {
      mkdirs(fs, parentOf(p));
      fs[p] = {
        type: 'file',
        mode: m.mode,
        size: m.content.length,
        sha256: await io.putBlob(m.content),
      };
    }
  }
  return res(0);
}

/** `tar -C DIR -cf FILE .`: how a backend pulls a folder out of a CT. */
async function tarCreate(
  args: readonly string[],
  cwd: string,
  dir: string,
  file: string | undefined,
  fs: FsModel,
  io: GuestIo,
): Promise<ExecResult> {
  if (file === undefined || file === '-')
    return res(2, '', 'tar: writing an archive to stdout is not modelled by the sim\n');
  const target = resolveIn(cwd, file);
  if (!isDir(fs, parentOf(target)))
    return res(2, '', `tar: ${file}: Cannot open: No such file or directory\n`);
  if (!isDir(fs, dir)) return res(2, '', `tar: ${dir}: Cannot open: No such file or directory\n`);
  const roots = args.filter(
    (a, i) =>
      !a.startsWith('-') &&
      i > 0 &&
      args[i - 1] !== '-C' &&
      args[i - 1] !== '-cf' &&
      !/^-\w*[fC]$/.test(args[i - 1] ?? ''),
  );
  if (roots.length !== 1 || roots[0] !== '.')
    return res(2, '', "tar: the sim models only archiving '.' of -C DIR\n");
  const members: TarMember[] = [];
  const prefix = dir === '/' ? '/' : `${dir}/`;
  for (const p of Object.keys(fs).sort()) {
    if (!p.startsWith(prefix) || p === target) continue;
    const e = fs[p]!;
    const rel = `./${p.slice(prefix.length)}`;
    if (e.type === 'dir')
      members.push({ path: `${rel}/`, type: 'dir', mode: e.mode, content: Buffer.alloc(0) });
    else {
      const content = (await io.readBlob(e.sha256)) ?? Buffer.alloc(0);
      members.push({ path: rel, type: 'file', mode: e.mode, content });
    }
  }
  const data = writeTar(members);
  fs[target] = { type: 'file', mode: 0o644, size: data.length, sha256: await io.putBlob(data) };
  return res(0);
}

/**
 * `dd if=A of=B [oflag=append conv=notrunc] [status=none]`: how a backend
 * joins the chunks of a file written through the VM guest agent (whose
 * file-write replaces a file whole) without a shell.
 */
async function ddCopy(
  args: readonly string[],
  cwd: string,
  fs: FsModel,
  io: GuestIo,
): Promise<ExecResult> {
  const ops = new Map<string, string>();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 0) return res(1, '', `dd: unrecognized operand '${a}'\n`);
    ops.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const from = ops.get('if');
  const to = ops.get('of');
  if (from === undefined || to === undefined)
    return res(1, '', 'dd: the sim models only if=FILE of=FILE\n');
  const src = fs[resolveIn(cwd, from)];
  if (src?.type !== 'file')
    return res(1, '', `dd: failed to open '${from}': No such file or directory\n`);
  const dest = resolveIn(cwd, to);
  if (!isDir(fs, parentOf(dest)))
    return res(1, '', `dd: failed to open '${to}': No such file or directory\n`);
  const data = (await io.readBlob(src.sha256)) ?? Buffer.alloc(0);
  const before = fs[dest];
  const append =
    (ops.get('oflag') ?? '').split(',').includes('append') &&
    (ops.get('conv') ?? '').split(',').includes('notrunc');
  const old =
    append && before?.type === 'file'
      ? ((await io.readBlob(before.sha256)) ?? Buffer.alloc(0))
      : Buffer.alloc(0);
  const content = Buffer.concat([old, data]);
  fs[dest] = {
    type: 'file',
    mode: before?.type === 'file' ? before.mode : 0o644,
    size: content.length,
    sha256: await io.putBlob(content),
  };
  return res(0);
}
