// Runs the proxmox backend's command lines on this machine (a Proxmox node):
// argv straight to spawn, no shell; host files through the filesystem.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CommandRunner, RunOptions, RunResult } from './runner.ts';

export function spawnArgv(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      resolve({ exitCode: 127, stdout: '', stderr: 'empty command' });
      return;
    }
    // stdin is a pipe only when there is something to send: a command that
    // exits at once would otherwise fail the write with EPIPE.
    const child = spawn(cmd, args, {
      signal: opts.signal,
      ...(opts.env ? { env: opts.env } : {}),
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const lines = (chunk: string, carry: { rest: string }) => {
      if (!opts.onLine) return;
      const parts = (carry.rest + chunk).split('\n');
      carry.rest = parts.pop() ?? '';
      for (const line of parts) opts.onLine(line);
    };
    const outCarry = { rest: '' };
    const errCarry = { rest: '' };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      lines(d, outCarry);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      lines(d, errCarry);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ exitCode: e.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr + e.message });
    });
    child.on('close', (code, sig) => {
      for (const rest of [outCarry.rest, errCarry.rest]) if (rest && opts.onLine) opts.onLine(rest);
      resolve({ exitCode: code ?? (sig ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {
        /* the command closed its stdin early; its exit code tells the story */
      });
      child.stdin.end(opts.stdin);
    }
  });
}

export class LocalRunner implements CommandRunner {
  describe(): string {
    return 'this host';
  }
  run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    return spawnArgv(argv, opts);
  }
  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  }
  async writeFile(path: string, content: string): Promise<void> {
    // /etc/pve is a FUSE filesystem where rename works within a folder.
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.phx-tmp`;
    await writeFile(tmp, content);
    await rename(tmp, path);
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
