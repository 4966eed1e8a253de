// No-shell spawn with line streaming, like local-runner's spawnArgv, except
// that stdin is closed ('ignore') rather than written: lxc-start daemonises
// and lxc-attach may exit before reading, and an end('') on their pipe then
// raises an unhandled EPIPE that kills the whole process.
import { spawn } from 'node:child_process';
import type { RunResult } from '../runner.ts';

export interface SpawnOptions {
  readonly signal: AbortSignal;
  readonly onLine?: (line: string) => void;
}

export function spawnNoStdin(argv: readonly string[], opts: SpawnOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      resolve({ exitCode: 127, stdout: '', stderr: 'empty command' });
      return;
    }
    const child = spawn(cmd, args, { signal: opts.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const streams = [
      { stream: child.stdout, rest: '', add: (d: string) => (stdout += d) },
      { stream: child.stderr, rest: '', add: (d: string) => (stderr += d) },
    ];
    for (const s of streams) {
      s.stream.setEncoding('utf8').on('data', (d: string) => {
        s.add(d);
        if (!opts.onLine) return;
        const parts = (s.rest + d).split('\n');
        s.rest = parts.pop() ?? '';
        for (const line of parts) opts.onLine(line);
      });
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ exitCode: e.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr + e.message });
    });
    child.on('close', (code, sig) => {
      for (const s of streams) if (s.rest !== '' && opts.onLine) opts.onLine(s.rest);
      resolve({ exitCode: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}
