// A temp workspace, the real `phx` binary run on it, and the sim node
// controlled by the test (PHX_SIM_SCALE=0, faults that hold an operation until
// the test releases it by creating a file): no sleeps decide an outcome.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const phxBin = join(repoRoot, 'bin', 'phx.js');

export interface PhxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SimFaultSpec {
  readonly target?: string;
  readonly match?: readonly string[];
  readonly action: 'fail' | 'hang' | 'wait-file';
  readonly path?: string;
  readonly message?: string;
  readonly times?: number;
}

export class Rig {
  private constructor(readonly dir: string) {}

  /** A workspace with the given configs folder (repo-relative) and the repo's features. */
  static create(opts: { configs?: string; features?: string } = {}): Rig {
    const dir = mkdtempSync(join(tmpdir(), 'phx-rig-'));
    cpSync(join(repoRoot, opts.configs ?? 'configs'), join(dir, 'configs'), { recursive: true });
    cpSync(join(repoRoot, opts.features ?? 'features'), join(dir, 'features'), { recursive: true });
    rmSync(join(dir, 'configs', 'schemas'), { recursive: true, force: true });
    rmSync(join(dir, 'configs', '.keep'), { force: true });
    return new Rig(dir);
  }

  /** A rig over an existing workspace folder (a copy of another rig's). */
  static at(dir: string): Rig {
    return new Rig(dir);
  }

  path(rel: string): string {
    return join(this.dir, rel);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  write(rel: string, content: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), content);
  }

  append(rel: string, content: string): void {
    this.write(rel, this.read(rel) + content);
  }

  /** Edit a JSON config in place. */
  editJson(rel: string, edit: (doc: any) => void): void {
    const doc = JSON.parse(this.read(rel)) as unknown;
    edit(doc);
    this.write(rel, JSON.stringify(doc, null, 2) + '\n');
  }

  env(extra: Record<string, string> = {}, faults: readonly SimFaultSpec[] = []): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PHX_SIM_SCALE: '0',
      NO_COLOR: '1',
      ...(faults.length > 0 ? { PHX_SIM_FAULTS: JSON.stringify(faults) } : {}),
      ...extra,
    };
  }

  /** Start `phx ARGS` without waiting: for kill -9 and two-process tests. */
  spawn(
    args: readonly string[],
    opts: { env?: Record<string, string>; faults?: readonly SimFaultSpec[] } = {},
  ): {
    child: ChildProcess;
    done: Promise<PhxResult>;
  } {
    const child = spawn(process.execPath, [phxBin, ...args], {
      cwd: this.dir,
      env: this.env(opts.env, opts.faults),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<PhxResult>((res) => {
      child.on('close', (code, signal) => {
        res({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stdout, stderr });
      });
    });
    return { child, done };
  }

  phx(
    args: readonly string[],
    opts: { env?: Record<string, string>; faults?: readonly SimFaultSpec[] } = {},
  ): Promise<PhxResult> {
    return this.spawn(args, opts).done;
  }

  /** `phx build --json …` parsed; throws with stderr when the output is not JSON. */
  async buildJson(
    args: readonly string[],
    opts: { env?: Record<string, string>; faults?: readonly SimFaultSpec[] } = {},
  ) {
    const r = await this.phx(['build', '--json', ...args], opts);
    try {
      return { ...r, json: JSON.parse(r.stdout) as BuildJson };
    } catch {
      throw new Error(`phx build did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  async planJson(args: readonly string[] = [], opts: { env?: Record<string, string> } = {}) {
    const r = await this.phx(['plan', '--json', ...args], opts);
    try {
      return { ...r, json: JSON.parse(r.stdout) as PlanJson };
    } catch {
      throw new Error(`phx plan did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  /** Sim journal entries (one JSON object per command). */
  journal(): any[] {
    const p = this.path('.phoenix-sim/journal.jsonl');
    if (!existsSync(p)) return [];
    return readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  }

  /** Wait (polling a file the sim writes, not a timer deciding an outcome) until `path` exists. */
  async waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface BuildJson {
  version: number;
  targets: {
    id: string;
    entry: string;
    kind: string;
    action: string;
    start_ms?: number;
    end_ms?: number;
    commands: string[][];
  }[];
  wall_ms: number;
}

export interface PlanJson {
  version: number;
  targets: {
    id: string;
    entry: string;
    kind: string;
    hash: string;
    action: string;
    reasons: any[];
  }[];
  summary: { build: number; skip: number };
}

export function built(json: BuildJson): string[] {
  return json.targets
    .filter((t) => t.action === 'built')
    .map((t) => t.id)
    .sort();
}

export function toBuild(json: PlanJson): string[] {
  return json.targets
    .filter((t) => t.action === 'build')
    .map((t) => t.id)
    .sort();
}
