// The proxmox backend's runner for the contract suite when no Proxmox node
// exists: every command line is a real process (`pct`/`pvesh` on the PATH are
// shims for bin/phx-sim.js), so argv crosses an exec boundary exactly as it
// would on a node; host files go through the same simulated node. Only the
// node is simulated; the backend and its runner path are the real ones.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnArgv } from '../../src/backends/local-runner.ts';
import type { CommandRunner, RunOptions, RunResult } from '../../src/backends/runner.ts';
import { repoRoot } from '../helpers/rig.ts';

export class ProcessSimRunner implements CommandRunner {
  private readonly env: NodeJS.ProcessEnv;
  private readonly bin: string;

  constructor(simDir: string, binDir: string) {
    mkdirSync(binDir, { recursive: true });
    for (const tool of ['pct', 'pvesh']) {
      const shim = join(binDir, tool);
      writeFileSync(
        shim,
        `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'phx-sim.js')}" ${tool} "$@"\n`,
      );
      chmodSync(shim, 0o755);
    }
    this.bin = binDir;
    this.env = { ...process.env, PHX_SIM_DIR: simDir, PHX_SIM_SCALE: '0' };
  }

  describe(): string {
    return `pct/pvesh shims in ${this.bin}`;
  }

  run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const [tool, ...rest] = argv;
    return spawnArgv([join(this.bin, tool ?? ''), ...rest], { ...opts, env: this.env });
  }

  async readFile(path: string, opts: RunOptions): Promise<string | undefined> {
    const r = await spawnArgv(
      [process.execPath, join(repoRoot, 'bin', 'phx-sim.js'), '--read-file', path],
      { ...opts, env: this.env },
    );
    return r.exitCode === 0 ? r.stdout : undefined;
  }

  async writeFile(path: string, content: string, opts: RunOptions): Promise<void> {
    const r = await spawnArgv(
      [process.execPath, join(repoRoot, 'bin', 'phx-sim.js'), '--write-file', path],
      {
        ...opts,
        stdin: content,
        env: this.env,
      },
    );
    if (r.exitCode !== 0) throw new Error(r.stderr.trim());
  }

  stage(localDir: string): Promise<string> {
    return Promise.resolve(localDir);
  }
  unstage(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
