// Which views a build's events go to (DESIGN §6): the live view when stderr
// is a terminal and CI is not set, else plain lines; nothing under --quiet;
// and NDJSON to `--events FILE|-` beside either. `--events -` writes to
// stdout, which `--json` keeps for its final document: the two together are
// a usage error rather than one stream interleaved into the other.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BuildEvent } from '../../core/events.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { CommandContext } from '../context.ts';
import { palette, wantColour } from './colour.ts';
import { liveView, type Terminal } from './live.ts';
import { ndjsonView } from './ndjson.ts';
import { plainView } from './plain.ts';

export interface Views {
  readonly onEvent: (e: BuildEvent) => void;
  /** Ends the live block and closes the events file; safe to call twice. */
  readonly close: () => void;
  /** Writes to stderr without garbling the live view (the build's other messages). */
  readonly err: (text: string) => void;
}

export interface ViewOptions {
  /** `--events`: a file to write, or `-` for stdout. */
  readonly events?: string;
  /** The terminal behind stderr, if any (the live view draws there). */
  readonly terminal?: Terminal;
}

export function openViews(ctx: CommandContext, opts: ViewOptions): Result<Views, string> {
  const sinks: ((e: BuildEvent) => void)[] = [];
  const closers: (() => void)[] = [];
  let writeErr = (text: string) => {
    ctx.io.err(text);
  };
  if (opts.events !== undefined) {
    if (opts.events === '-') {
      if (ctx.globals.json)
        return err('--events - and --json both write to stdout; give --events a file name');
      sinks.push(
        ndjsonView((line) => {
          ctx.io.out(line);
        }),
      );
    } else {
      const path = resolve(ctx.cwd, opts.events);
      let fd: number;
      try {
        fd = openSync(path, 'w');
      } catch (e) {
        return err(`--events ${opts.events}: cannot write: ${(e as Error).message}`);
      }
      // Synchronous appends: each line is whole in the file the moment it is
      // emitted, so a CI tool tailing it (or a killed build) never sees half one.
      sinks.push(
        ndjsonView((line) => {
          writeSync(fd, line);
        }),
      );
      closers.push(() => {
        closeSync(fd);
      });
    }
  }
  if (!ctx.globals.quiet) {
    const t = opts.terminal;
    const colour = palette(wantColour(ctx.globals.color, ctx.env, t));
    if (t?.isTTY === true && !ctx.env.CI) {
      const live = liveView({ terminal: t, palette: colour });
      sinks.push(live.onEvent);
      closers.unshift(live.close);
      writeErr = (text) => {
        if (!live.print(text)) ctx.io.err(text);
      };
    } else {
      const write = (s: string) => {
        ctx.io.err(s);
      };
      sinks.push(plainView({ write, verbose: ctx.globals.verbose, palette: colour }));
    }
  }
  let closed = false;
  return ok({
    onEvent: (e) => {
      for (const sink of sinks) sink(e);
    },
    err: (text) => {
      writeErr(text);
    },
    close: () => {
      if (closed) return;
      closed = true;
      for (const c of closers) c();
    },
  });
}
