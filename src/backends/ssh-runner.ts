// Runs the proxmox backend's command lines on a remote node over SSH
// (`--host root@pve`). One multiplexed connection serves the whole build: the
// first command opens a ControlMaster in a private folder, every later one
// rides it, close() ends it. ssh joins its arguments into one string for the
// remote login shell, so each argv element is POSIX-quoted exactly once here;
// a config value never reaches that shell as code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { OpError } from '../core/failure.ts';
import { pidAlive } from '../core/pid-alive.ts';
import { spawnArgv } from './local-runner.ts';
import type { CommandRunner, RunOptions, RunResult } from './runner.ts';

/**
 * One word for a POSIX shell (dash and bash alike): bare when it holds only
 * characters no shell treats specially, else single-quoted with each `'`
 * written as `'\''`. zx's `$'…'` quoting is bash-only, so it is not used.
 */
export function shq(s: string): string {
  return /^[\w/.:=,@%+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/** The remote command string for argv: every element quoted once, joined by spaces. */
export function remoteCommand(argv: readonly string[]): string {
  return argv.map(shq).join(' ');
}

/** `user@host`, `host`, `[v6]`: anything ssh could read as an option is refused. */
function isHostSpec(host: string): boolean {
  return /^[A-Za-z0-9_.@:%[\]-]+$/.test(host) && !host.startsWith('-');
}

/** A fixed script: the path arrives as $1, never inside the script text. */
const WRITE_SCRIPT = 'mkdir -p "$(dirname "$1")" && cat > "$1.phx-tmp" && mv "$1.phx-tmp" "$1"';

/** How long an idle master lingers after the last command (and after a crash of phx). */
const CONTROL_PERSIST = '600';

function findOnPath(tool: string, env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return tool;
}

export class SshRunner implements CommandRunner {
  private readonly ssh: string;
  private controlDir: string | undefined;
  private master: Promise<void> | undefined;
  /** Whether a master was opened, so close() knows there is one to end. */
  private connected = false;
  private readonly staged: string[] = [];
  private swept: Promise<void> | undefined;

  constructor(
    readonly host: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.ssh = findOnPath('ssh', env);
  }

  describe(): string {
    return `ssh ${this.host}`;
  }

  /**
   * Unix sockets hold at most 108 bytes of path: the socket sits in a fresh
   * short-named folder (private, mode 0700 from mkdtemp), falling back to
   * /tmp when TMPDIR is long (macOS).
   */
  private controlPath(): string {
    if (this.controlDir === undefined) {
      const base = tmpdir().length <= 60 ? tmpdir() : '/tmp';
      this.controlDir = mkdtempSync(join(base, 'phx-ssh-'));
    }
    return join(this.controlDir, 'c');
  }

  /** The ssh argv for one remote command (exported shape: see the tests). */
  sshArgv(argv: readonly string[]): string[] {
    return [
      this.ssh,
      '-o',
      'BatchMode=yes',
      '-o',
      'ControlMaster=auto',
      '-o',
      `ControlPath=${this.controlPath()}`,
      '-o',
      `ControlPersist=${CONTROL_PERSIST}`,
      this.host,
      '--',
      remoteCommand(argv),
    ];
  }

  private badHost(): RunResult | undefined {
    return isHostSpec(this.host)
      ? undefined
      : { exitCode: 255, stdout: '', stderr: `phx: --host "${this.host}" is not user@host` };
  }

  /**
   * The first command opens the master; commands issued meanwhile wait for it
   * so that parallel targets share one connection instead of racing to be
   * master. A failed open is not remembered: each command then reports the
   * connection error itself.
   */
  private connect(signal: AbortSignal): Promise<void> {
    this.master ??= spawnArgv(this.sshArgv(['true']), { signal }).then((r) => {
      if (r.exitCode !== 0) this.master = undefined;
      else this.connected = true;
    });
    return this.master;
  }

  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const bad = this.badHost();
    if (bad) return bad;
    await this.connect(opts.signal);
    return spawnArgv(this.sshArgv(argv), opts);
  }

  async readFile(path: string, opts: RunOptions): Promise<string | undefined> {
    const argv = ['cat', path];
    const r = await this.run(argv, { ...opts, onLine: undefined });
    if (r.exitCode === 0) return r.stdout;
    if (r.exitCode === 1 && /No such file/i.test(r.stderr)) return undefined;
    throw new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
  }

  async writeFile(path: string, content: string, opts: RunOptions): Promise<void> {
    const argv = ['sh', '-c', WRITE_SCRIPT, 'sh', path];
    const r = await this.run(argv, { ...opts, stdin: content });
    if (r.exitCode !== 0)
      throw new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
  }

  /**
   * Copy a local folder to a fresh remote temp folder: `tar -c` here piped
   * into `tar -x` there, no shell. The folder may hold a step's resolved
   * secrets, so its name carries this machine and pid: a phx killed before
   * `unstage` leaves it behind, and the next phx from here removes it.
   */
  async stage(localDir: string, opts: RunOptions): Promise<string> {
    await this.sweepStaleStages(opts);
    const mk = ['mktemp', '-d', `/tmp/${stagePrefix()}${process.pid}.XXXXXXXX`];
    const made = await this.run(mk, { ...opts, onLine: undefined });
    const dir = made.stdout.trim();
    if (made.exitCode !== 0 || !dir.startsWith(`/tmp/${stagePrefix()}`)) {
      throw new OpError({
        type: 'command-failed',
        argv: mk,
        exitCode: made.exitCode,
        stderr: made.stderr,
      });
    }
    this.staged.push(dir);
    const pack = ['tar', '-C', localDir, '-cf', '-', '.'];
    const r = await pipe(pack, this.sshArgv(['tar', '-C', dir, '-xf', '-']), this.env, opts);
    if (r.exitCode !== 0) {
      throw new OpError({
        type: 'command-failed',
        argv: r.argv,
        exitCode: r.exitCode,
        stderr: r.stderr,
      });
    }
    return dir;
  }

  /** Remove a staged folder as soon as its files are pushed. */
  async unstage(hostDir: string, opts: RunOptions): Promise<void> {
    const at = this.staged.indexOf(hostDir);
    if (at < 0) return;
    // Not the build's signal: a cancelled step must still take its secrets away.
    const r = await this.run(['rm', '-rf', hostDir], {
      ...opts,
      signal: new AbortController().signal,
    });
    if (r.exitCode === 0) this.staged.splice(at, 1);
  }

  /** Once per runner: remove stage folders that phx processes of this machine, now dead, left. */
  private sweepStaleStages(opts: RunOptions): Promise<void> {
    this.swept ??= (async () => {
      const find = ['find', '/tmp', '-maxdepth', '1', '-type', 'd', '-name', `${stagePrefix()}*`];
      const r = await this.run(find, { ...opts, onLine: undefined });
      if (r.exitCode !== 0) return;
      const stale = r.stdout.split('\n').filter((path) => {
        const pid = stagePid(path);
        return pid !== undefined && pid !== process.pid && !pidAlive(pid);
      });
      if (stale.length > 0) await this.run(['rm', '-rf', ...stale], { ...opts, onLine: undefined });
    })();
    return this.swept;
  }

  /** Remove staged folders, end the master, remove the socket folder. */
  async close(): Promise<void> {
    const signal = new AbortController().signal;
    await this.master;
    if (this.connected) {
      if (this.staged.length > 0)
        await spawnArgv(this.sshArgv(['rm', '-rf', ...this.staged]), { signal });
      await spawnArgv(
        [this.ssh, '-o', `ControlPath=${this.controlPath()}`, '-O', 'exit', this.host],
        { signal },
      );
    }
    this.staged.length = 0;
    this.master = undefined;
    this.connected = false;
    if (this.controlDir !== undefined) rmSync(this.controlDir, { recursive: true, force: true });
    this.controlDir = undefined;
  }
}

/** `left | right`, both argv spawns; the first failing side (left first) is the result. */
function pipe(
  left: readonly string[],
  right: readonly string[],
  env: NodeJS.ProcessEnv,
  opts: RunOptions,
): Promise<{ exitCode: number; stderr: string; argv: readonly string[] }> {
  return new Promise((resolve) => {
    const spawnOne = (argv: readonly string[], stdin: 'ignore' | 'pipe') =>
      spawn(argv[0]!, argv.slice(1), { env, signal: opts.signal, stdio: [stdin, 'pipe', 'pipe'] });
    const a = spawnOne(left, 'ignore');
    const b = spawnOne(right, 'pipe');
    a.stdout!.pipe(b.stdin!);
    const errs: [string, string] = ['', ''];
    const results: (number | undefined)[] = [undefined, undefined];
    const finish = () => {
      if (results[0] === undefined || results[1] === undefined) return;
      const i = results[0] !== 0 ? 0 : 1;
      resolve({ exitCode: results[i]!, stderr: errs[i], argv: i === 0 ? left : right });
    };
    [a, b].forEach((c, i) => {
      c.stderr!.setEncoding('utf8').on('data', (d: string) => {
        errs[i as 0 | 1] += d;
        for (const line of d.split('\n')) if (line !== '') opts.onLine?.(line);
      });
      c.on('error', (e: NodeJS.ErrnoException) => {
        errs[i as 0 | 1] += e.message;
        if (results[i] === undefined) results[i] = e.code === 'ENOENT' ? 127 : 1;
        if (i === 0) b.stdin?.end();
        finish();
      });
      c.on('close', (code) => {
        results[i] ??= code ?? 1;
        finish();
      });
    });
    b.stdin!.on('error', () => undefined); // EPIPE when the remote side died first; its exit code tells why
  });
}

/** `phx-stage-<this machine>-`: only this machine's pids can be checked for life. */
function stagePrefix(): string {
  return `phx-stage-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-`;
}

function stagePid(path: string): number | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!name.startsWith(stagePrefix())) return undefined;
  const m = /^(\d+)\./.exec(name.slice(stagePrefix().length));
  return m ? Number(m[1]) : undefined;
}
