// `phx logs TARGET [--follow] [--all-runs]`: the step logs a build kept.
// TARGET is a target id, or a CTID/VMID for each of its targets in build
// order. The logs hold what the views showed, so no secret is in them
// (execute.ts writes the same lines it emits as events).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetId } from '../core/target-id.ts';
import { didYouMean } from '../model/suggest.ts';
import type { Prepared } from '../engine/pipeline.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { isOpenBy, logDirOf, openLogIn, runningBuild, runsOf, type LogRun } from './log-runs.ts';
import { prepare } from './prepare.ts';

export interface LogsArgs {
  readonly target: string;
  readonly follow: boolean;
  readonly allRuns: boolean;
}

/** How often --follow looks at the log and the build (a poll survives rewrites that fs.watch misses). */
const POLL_MS = 100;

export async function run(ctx: CommandContext, args: LogsArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const targets = resolve(prepared.value, args.target);
  if (!targets.ok) {
    ctx.io.err(`phx: ${targets.error}\n`);
    return ExitCode.error;
  }
  const { cacheDir } = prepared.value.paths;
  if (args.follow) {
    if (targets.value.length !== 1 || args.allRuns) {
      ctx.io.err('phx: --follow takes one target id (not a guest id, not with --all-runs)\n');
      return ExitCode.error;
    }
    return follow(ctx, cacheDir, targets.value[0]!);
  }
  const byGuest = targets.value.length > 1 || /^\d+$/.test(args.target);
  const runs = targets.value.flatMap((id) => {
    const all = runsOf(cacheDir, id);
    return args.allRuns ? all : all.slice(-1);
  });
  if (runs.length === 0) {
    ctx.io.err(
      `phx: ${args.target} has no logs yet (no build has run it since the last cache gc)\n`,
    );
    return ExitCode.error;
  }
  if (ctx.globals.json) {
    const out = runs.map((r) => ({
      target: r.target,
      written_at: r.writtenAt.toISOString(),
      path: r.path,
      text: readFileSync(r.path, 'utf8'),
    }));
    ctx.io.out(JSON.stringify({ version: 1, runs: out }, null, 2) + '\n');
    return ExitCode.ok;
  }
  for (const r of runs) {
    // One target's last run prints bare, so it pipes like a file.
    const head = headOf(r, byGuest, args.allRuns);
    if (head !== undefined) ctx.io.out(head);
    ctx.io.out(withNewline(readFileSync(r.path, 'utf8')));
  }
  return ExitCode.ok;
}

/** The target ids TARGET names, in build order; an unknown one with the nearest known id. */
export function resolve(
  prepared: Prepared,
  target: string,
): { ok: true; value: TargetId[] } | { ok: false; error: string } {
  const { graph, project } = prepared;
  if (/^\d+$/.test(target)) {
    const own = graph.order.filter((t) => t.entry === target).map((t) => t.id);
    if (own.length > 0) return { ok: true, value: own };
    const entries = [...project.guests.keys()].map(String);
    return {
      ok: false,
      error: `${target} is not a CTID or VMID with targets in the configs${didYouMean(target, entries)}`,
    };
  }
  if (graph.targets.has(target as TargetId)) return { ok: true, value: [target as TargetId] };
  return {
    ok: false,
    error: `no target ${target} in this project${didYouMean(target, graph.targets.keys())}`,
  };
}

function headOf(r: LogRun, byGuest: boolean, allRuns: boolean): string | undefined {
  const when = `run of ${r.writtenAt.toISOString()}`;
  if (byGuest) return `==> ${r.target}${allRuns ? `, ${when}` : ''} <==\n`;
  return allRuns ? `==> ${when} <==\n` : undefined;
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : text + '\n';
}

/**
 * Follow TARGET's run in the build that holds the cache lock: wait for it to
 * start, print its log as it grows, end when the build closes the log (the
 * run ended, built, failed or cancelled). With no build running, or a build
 * that ran the target before we looked, the last run prints whole.
 */
async function follow(ctx: CommandContext, cacheDir: string, id: TargetId): Promise<number> {
  const dir = logDirOf(cacheDir, id);
  let told = false;
  for (;;) {
    if (ctx.signal.aborted) return ExitCode.interrupted;
    const build = runningBuild(cacheDir);
    const open = build && openLogIn(build.pid, dir);
    if (build && open !== undefined) return stream(ctx, build.pid, open);
    const last = runsOf(cacheDir, id).at(-1);
    // No build, or this one already ran the target: its last run is the whole story.
    if (!build || (last && last.writtenAt >= build.since)) {
      if (!last) {
        ctx.io.err(`phx: ${id} has no logs yet and no build is running\n`);
        return ExitCode.error;
      }
      ctx.io.out(withNewline(readFileSync(last.path, 'utf8')));
      return ExitCode.ok;
    }
    if (!told) {
      ctx.io.err(`phx: waiting for the running build (pid ${String(build.pid)}) to start ${id}\n`);
      told = true;
    }
    if (!(await pause(ctx.signal))) return ExitCode.interrupted;
  }
}

/** Print `path` from its start and as it grows, until process `pid` closes it. */
async function stream(ctx: CommandContext, pid: number, path: string): Promise<number> {
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  for (;;) {
    // Asked before reading: whatever the run wrote before it closed the log is then read below.
    const stillOpen = isOpenBy(pid, path);
    offset = readFrom(path, offset, (text) => {
      ctx.io.out(decoder.write(text));
    });
    if (!stillOpen) {
      ctx.io.out(decoder.end());
      return ExitCode.ok;
    }
    if (!(await pause(ctx.signal))) return ExitCode.interrupted;
  }
}

/** Read `path` from `offset` to its end; a file rewritten shorter is read again from its start. */
function readFrom(path: string, offset: number, out: (chunk: Buffer) => void): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return offset; // gone: `cache gc` runs only under the lock, so this is a moment's race
  }
  try {
    let at = statSync(path).size < offset ? 0 : offset;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) return at;
      out(buf.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

async function pause(signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(POLL_MS, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
