// DOT → SVG with Graphviz's `dot` from the Debian package (graphviz), run as
// argv with the DOT on stdin: nothing is downloaded at run time, and the
// same `dot` the tests use draws the picture.
import { spawn } from 'node:child_process';
import { err, ok, type Result } from '../../core/result.ts';

export type SvgError =
  | { readonly type: 'no-graphviz' }
  | { readonly type: 'dot-failed'; readonly code: number | null; readonly stderr: string };

export function describeSvgError(e: SvgError): string {
  switch (e.type) {
    case 'no-graphviz':
      return 'graphviz is not installed: `dot` renders --format svg and html (apt-get install graphviz)';
    case 'dot-failed':
      return `dot -Tsvg failed (exit ${String(e.code)}): ${e.stderr.trim()}`;
  }
}

export function renderSvg(
  dotText: string,
  signal?: AbortSignal,
): Promise<Result<string, SvgError>> {
  return new Promise((resolve) => {
    const child = spawn('dot', ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    const errs: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => errs.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve(
        e.code === 'ENOENT'
          ? err({ type: 'no-graphviz' })
          : err({ type: 'dot-failed', code: null, stderr: e.message }),
      );
    });
    child.on('close', (code) => {
      const stderr = Buffer.concat(errs).toString('utf8');
      if (code === 0) resolve(ok(Buffer.concat(out).toString('utf8')));
      else resolve(err({ type: 'dot-failed', code, stderr }));
    });
    // A dot that died early closes stdin; its exit code says why, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(dotText);
  });
}
