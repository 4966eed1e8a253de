// The live view on a terminal: one line per running target (its elapsed time
// and last log line) under a header with done/total, the build's time, an
// ETA from recorded durations and the GPU pools in use, redrawn in place by
// log-update. Each finished target leaves one line above the block, so the
// scrollback keeps the history a plain log would have.
import { createLogUpdate } from 'log-update';
import type { BuildEvent } from '../../core/events.ts';
import type { Palette } from './colour.ts';
import { failureText } from './failure-text.ts';
import { cancelText } from './plain.ts';
import { duration, Progress } from './progress.ts';

/** What the view draws on: process.stderr, or a fake terminal in tests. */
export interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  write(text: string): unknown;
}

export interface LiveOptions {
  readonly terminal: Terminal;
  readonly palette: Palette;
  /** A monotonic clock in ms (default performance.now); the view aligns it with the events'. */
  readonly clock?: () => number;
  /** Redraw this often even without events, so times move (0: only on events). */
  readonly tickMs?: number;
}

export interface LiveView {
  readonly onEvent: (e: BuildEvent) => void;
  /** Takes the block off the screen (the finished lines stay) and stops the timer. */
  readonly close: () => void;
  /**
   * Text for the same stream from elsewhere (a warning, a lock wait): written
   * above the block, which is drawn again under it, so neither garbles the other.
   * False when no block is on screen: the caller writes it as usual.
   */
  readonly print: (text: string) => boolean;
}

export function liveView(opts: LiveOptions): LiveView {
  const { terminal, palette: c } = opts;
  const update = createLogUpdate(terminal as NodeJS.WritableStream, {
    // log-update hides the cursor of process.stderr whatever stream it draws on.
    showCursor: terminal !== process.stderr,
  });
  const progress = new Progress();
  let closed = false;
  let pendingDraw: NodeJS.Timeout | undefined;
  // Events carry the build's clock; between them, times move on the view's own.
  const clock = opts.clock ?? (() => performance.now());
  let offset: number | undefined;
  const now = () => (offset === undefined ? 0 : clock() - offset);

  const draw = () => {
    if (closed) return;
    clearTimeout(pendingDraw);
    pendingDraw = undefined;
    update(frame(progress, now(), terminal.columns ?? 80, c));
  };
  // Started by the first event: before it (planning, a refusal) there is nothing to draw.
  let timer: NodeJS.Timeout | undefined;
  const tickMs = opts.tickMs ?? 1000;

  const onEvent = (e: BuildEvent) => {
    if (closed) return;
    offset ??= clock() - e.atMs;
    if (timer === undefined && tickMs > 0) timer = setInterval(draw, tickMs).unref();
    progress.apply(e);
    const done = finishedLine(e, c);
    if (done !== undefined) update.persist(done);
    if (e.type === 'finished') {
      close();
      return;
    }
    if (e.type === 'log') {
      // A chatty install would redraw per line: at most ten frames a second.
      pendingDraw ??= setTimeout(draw, 100).unref();
      return;
    }
    if (e.type !== 'skipped') draw();
  };
  const print = (text: string): boolean => {
    if (closed || offset === undefined) return false;
    update.persist(text.endsWith('\n') ? text.slice(0, -1) : text);
    draw();
    return true;
  };
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    clearTimeout(pendingDraw);
    update.clear();
    update.done();
  };
  return { onEvent, close, print };
}

function finishedLine(e: BuildEvent, c: Palette): string | undefined {
  switch (e.type) {
    case 'built':
      return `${c.green('✓')} ${e.target.id} ${c.dim(duration(e.durationMs))}`;
    case 'failed':
      return (
        `${c.red('✗')} ${e.target.id} ${c.dim(duration(e.durationMs))}: ` +
        `${failureText(e.failure, e.target.id)}\n  ${c.dim(`log: ${e.log}`)}`
      );
    case 'cancelled':
      return `${c.yellow('-')} ${e.target.id} ${c.dim(`cancelled: ${cancelText(e.reason)}`)}`;
    default:
      return undefined;
  }
}

/**
 * One frame: the header, then each running target, longest-running first,
 * each cut to the terminal's width so no line wraps and the redraw stays in
 * place.
 */
export function frame(p: Progress, nowMs: number, columns: number, c: Palette): string {
  const width = Math.max(20, columns - 1);
  const eta = p.etaMs(nowMs);
  const gpus = p.gpusInUse();
  const header = [
    `${p.done}/${p.total} done`,
    `${p.running.size} running`,
    duration(nowMs),
    ...(eta === undefined ? [] : [`ETA ~${duration(eta)}`]),
    ...(gpus.length === 0 ? [] : [`${gpus.join(' ')} in use`]),
  ].join(' · ');
  const rows = [...p.running].sort(
    (a, b) => a[1].startedMs - b[1].startedMs || (a[0] < b[0] ? -1 : 1),
  );
  const idWidth = Math.min(40, Math.max(0, ...rows.map(([id]) => id.length)));
  const lines = rows.map(([id, r]) => {
    const head = `  ${id.padEnd(idWidth)}  ${duration(nowMs - r.startedMs).padStart(6)}`;
    const room = width - head.length - 2;
    const last = r.lastLine === undefined || room < 8 ? '' : `  ${cut(r.lastLine, room)}`;
    return cut(head, width) + c.dim(last);
  });
  return [c.bold(cut(header, width)), ...lines].join('\n');
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : s.slice(0, Math.max(0, width - 1)) + '…';
}
