// A recording CommandRunner for unit tests: every argv is kept, host files
// live in a map, and a test scripts answers per command prefix. `pct set`
// is applied to the fake conf file (keys set and deleted, raw lines kept),
// so reconcile can be run twice against a realistic file.
import type { CommandRunner, RunOptions, RunResult } from '../../src/backends/runner.ts';
import type { OpContext } from '../../src/backends/backend.ts';
import type { Result } from '../../src/core/result.ts';
import type { TargetId } from '../../src/core/target-id.ts';

type Answer = Partial<RunResult> | ((argv: readonly string[]) => Partial<RunResult>);

export class FakeRunner implements CommandRunner {
  readonly calls: string[][] = [];
  readonly files = new Map<string, string>();
  readonly writes: string[] = [];
  readonly staged: string[] = [];
  private readonly answers: [string, Answer][] = [];

  describe(): string {
    return 'fake runner';
  }

  /** Answer commands whose space-joined argv starts with `prefix` (last added wins). */
  on(prefix: string, answer: Answer): this {
    this.answers.unshift([prefix, answer]);
    return this;
  }

  run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    if (opts.signal.aborted) return Promise.reject(new Error('aborted'));
    this.calls.push([...argv]);
    if (argv[0] === 'pct' && argv[1] === 'set') this.applySet(argv);
    const line = argv.join(' ');
    const hit = this.answers.find(([p]) => line.startsWith(p));
    const a = hit === undefined ? {} : typeof hit[1] === 'function' ? hit[1](argv) : hit[1];
    for (const l of (a.stdout ?? '').split('\n')) if (l !== '') opts.onLine?.(l);
    return Promise.resolve({
      exitCode: a.exitCode ?? 0,
      stdout: a.stdout ?? '',
      stderr: a.stderr ?? '',
    });
  }

  readFile(path: string): Promise<string | undefined> {
    return Promise.resolve(this.files.get(path));
  }

  writeFile(path: string, content: string): Promise<void> {
    this.writes.push(path);
    this.files.set(path, content);
    return Promise.resolve();
  }

  stage(localDir: string): Promise<string> {
    this.staged.push(localDir);
    return Promise.resolve(`/var/tmp/phx-stage${localDir}`);
  }
  unstage(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Mimic pve-container: rewrite main-section keys sorted, raw lines after, sections untouched. */
  private applySet(argv: readonly string[]): void {
    const path = `/etc/pve/lxc/${argv[2]}.conf`;
    const text = this.files.get(path);
    if (text === undefined) return;
    const at = text.split('\n').findIndex((l) => /^\[/.test(l));
    const lines = text.split('\n');
    const main = at < 0 ? lines : lines.slice(0, at);
    const rest = at < 0 ? [] : lines.slice(at);
    const keys = new Map<string, string>();
    const raw: string[] = [];
    for (const l of main) {
      if (l.startsWith('lxc.')) raw.push(l);
      else {
        const m = /^([a-z][a-z_]*\d*): (.*)$/.exec(l);
        if (m) keys.set(m[1]!, m[2]!);
      }
    }
    for (let i = 3; i < argv.length; i += 2) {
      const k = argv[i]!.slice(2);
      const v = argv[i + 1]!;
      if (k === 'delete') for (const d of v.split(',')) keys.delete(d);
      else keys.set(k, v);
    }
    const out = [
      ...[...keys].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`),
      ...raw,
    ];
    this.files.set(path, [...out, ...(rest.length > 0 ? ['', ...rest] : [])].join('\n') + '\n');
  }
}

export function ctx(target = 'lxc/901/settings'): OpContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    target: target as TargetId,
    targetKind: 'settings',
    log: (l) => lines.push(l),
    commands: [],
    signal: new AbortController().signal,
    lines,
  };
}

/** The value of an ok result; a test failure (with the error) otherwise. */
export function must<T>(r: Result<T, string>): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.value;
}
