// Plain progress lines for logs and CI (no TTY, or CI set): one line per
// finished target with done/total, its time, and what else is running so the
// build's parallelism shows in a log; `--verbose` adds starts and every log
// line, prefixed by its target.
import type { BuildEvent } from '../../core/events.ts';
import type { CancelReason } from '../../core/failure.ts';
import type { Palette } from './colour.ts';
import { failureText } from './failure-text.ts';
import { Progress, visible } from './progress.ts';

export interface PlainOptions {
  readonly write: (text: string) => void;
  readonly verbose: boolean;
  readonly palette: Palette;
}

export function plainView(opts: PlainOptions): (e: BuildEvent) => void {
  const progress = new Progress();
  const { write, palette: c } = opts;
  const count = () => `[${progress.done}/${progress.total}]`;
  const others = () =>
    progress.running.size === 0
      ? ''
      : c.dim(`  · running ${[...progress.running.keys()].join(', ')}`);
  const took = (ms: number) => `(${(ms / 1000).toFixed(1)}s)`;
  return (e) => {
    const startedMs = e.type === 'cancelled' ? progress.running.get(e.target.id)?.startedMs : 0;
    progress.apply(e);
    switch (e.type) {
      case 'started':
        if (opts.verbose) write(`${count()} start ${e.target.id}\n`);
        return;
      case 'log':
        if (opts.verbose) write(c.dim(`  ${e.target} | `) + visible(e.line) + '\n');
        return;
      case 'built':
        write(`${count()} ${c.green('built')} ${e.target.id} ${took(e.durationMs)}${others()}\n`);
        return;
      case 'failed':
        write(
          `${count()} ${c.red('FAILED')} ${e.target.id} ${took(e.durationMs)}: ` +
            `${failureText(e.failure, e.target.id)}${others()}\n`,
        );
        return;
      case 'cancelled':
        write(
          `${count()} ${c.yellow('cancelled')} ${e.target.id}` +
            (startedMs === undefined ? '' : ` ${took(e.atMs - startedMs)}`) +
            ` (${cancelText(e.reason)})${others()}\n`,
        );
        return;
      case 'planned':
      case 'skipped':
      case 'finished':
        return;
    }
  };
}

export function cancelText(reason: CancelReason): string {
  switch (reason) {
    case 'failure-upstream':
      return 'something it needs failed';
    case 'stopped':
      return 'stopped after a failure; --keep-going builds it';
    case 'interrupted':
      return 'interrupted';
  }
}
