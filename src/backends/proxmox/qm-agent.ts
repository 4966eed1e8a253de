// Programs and files inside a VM, through the QEMU guest agent: a program is
// started with `qm guest exec --synchronous 0` and polled with `qm guest
// exec-status` until it exits (so no qm-side timeout cuts a long feature
// short, and cancellation is ours); a file goes through the API's agent
// file-write, whose content is at most 60 KiB, so larger files are written
// in chunks and joined in the guest with `dd … oflag=append conv=notrunc`;
// a folder travels as one tar archive that way and is unpacked in the guest.
import { setTimeout as sleep } from 'node:timers/promises';
import { OpError } from '../../core/failure.ts';
import type { OpContext } from '../backend.ts';
import type { RunResult } from '../runner.ts';
import { execStatusArgv, fileWriteArgv, guestExecArgv } from './qm-args.ts';

/** Bytes per file-write: their base64 (61 440 characters) is exactly the API's content limit. */
export const CHUNK_BYTES = 45 * 1024;

/** Where phx keeps its transfer files inside a VM. */
export const AGENT_DIR = '/var/lib/phx';

export interface AgentChannel {
  /** Node name in pvesh paths. */
  readonly node: string;
  /** Run one command: recorded (content redacted), output not logged; never throws on exit code. */
  query(argv: string[], ctx: OpContext): Promise<RunResult>;
}

export interface GuestResult {
  readonly exitcode: number;
  readonly out: string;
  readonly err: string;
}

interface ExecStatus {
  exited?: unknown;
  exitcode?: unknown;
  signal?: unknown;
  'out-data'?: unknown;
  'err-data'?: unknown;
}

function commandFailed(argv: readonly string[], r: RunResult): OpError {
  return new OpError({ type: 'command-failed', argv, exitCode: r.exitCode, stderr: r.stderr });
}

function parseJson(argv: readonly string[], text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new OpError({
      type: 'command-failed',
      argv,
      exitCode: 0,
      stderr: `unreadable agent answer: ${text.slice(0, 200)}`,
    });
  }
}

/**
 * Run `program` in VM `id` until it exits; its output lines go to the log
 * unless `quiet` (a base64 archive is data, not a log). Cancellation stops
 * the wait and asks the agent to kill the process.
 */
export async function agentExec(
  ch: AgentChannel,
  id: number,
  program: readonly string[],
  ctx: OpContext,
  quiet = false,
): Promise<GuestResult> {
  const start = guestExecArgv(id, program);
  const started = await ch.query(start, ctx);
  if (started.exitCode !== 0) throw commandFailed(start, started);
  const pid = Number((parseJson(start, started.stdout) as { pid?: unknown }).pid);
  if (!Number.isInteger(pid))
    throw new OpError({
      type: 'command-failed',
      argv: start,
      exitCode: 0,
      stderr: `no pid in the agent's answer: ${started.stdout.slice(0, 200)}`,
    });
  for (let wait = 50; ; wait = Math.min(wait * 2, 2000)) {
    const statusArgv = execStatusArgv(id, pid);
    let r: RunResult;
    try {
      r = await ch.query(statusArgv, ctx);
    } catch (e) {
      if (ctx.signal.aborted) await killGuestProcess(ch, id, pid, ctx);
      throw e;
    }
    if (r.exitCode !== 0) throw commandFailed(statusArgv, r);
    const s = parseJson(statusArgv, r.stdout) as ExecStatus;
    if (s.exited === 1 || s.exited === true) {
      const out = typeof s['out-data'] === 'string' ? s['out-data'] : '';
      const err = typeof s['err-data'] === 'string' ? s['err-data'] : '';
      if (!quiet) for (const line of `${out}${err}`.split('\n')) if (line !== '') ctx.log(line);
      const code = typeof s.exitcode === 'number' ? s.exitcode : 128 + Number(s.signal ?? 0);
      return { exitcode: code, out, err };
    }
    try {
      await sleep(wait, undefined, { signal: ctx.signal });
    } catch {
      await killGuestProcess(ch, id, pid, ctx);
      throw new OpError({ type: 'cancelled' });
    }
  }
}

/** Best effort, outside the cancelled signal: the guest's process should not outlive the build. */
async function killGuestProcess(
  ch: AgentChannel,
  id: number,
  pid: number,
  ctx: OpContext,
): Promise<void> {
  const own: OpContext = { ...ctx, signal: AbortSignal.timeout(5000) };
  await ch.query(guestExecArgv(id, ['kill', '-TERM', String(pid)]), own).catch(() => undefined);
}

/** agentExec that throws 'command-failed' on a non-zero exit, naming the program. */
export async function agentRun(
  ch: AgentChannel,
  id: number,
  program: readonly string[],
  ctx: OpContext,
  quiet = false,
): Promise<GuestResult> {
  const r = await agentExec(ch, id, program, ctx, quiet);
  if (r.exitcode !== 0)
    throw new OpError({
      type: 'command-failed',
      argv: guestExecArgv(id, program),
      exitCode: r.exitcode,
      stderr: r.err.slice(-2000),
    });
  return r;
}

/**
 * Write `data` to `path` in VM `id` (its folder must exist): one file-write
 * when it fits, else chunks through `<path>.part` appended with dd.
 */
export async function agentWriteFile(
  ch: AgentChannel,
  id: number,
  path: string,
  data: Buffer,
  ctx: OpContext,
): Promise<void> {
  const write = async (file: string, bytes: Buffer) => {
    const argv = fileWriteArgv(ch.node, id, file, bytes.toString('base64'));
    const r = await ch.query(argv, ctx);
    if (r.exitCode !== 0) throw commandFailed(argv, r);
  };
  if (data.length <= CHUNK_BYTES) {
    await write(path, data);
    return;
  }
  const part = `${path}.part`;
  await agentRun(ch, id, ['rm', '-f', path, part], ctx);
  for (let off = 0; off < data.length; off += CHUNK_BYTES) {
    await write(part, data.subarray(off, off + CHUNK_BYTES));
    await agentRun(
      ch,
      id,
      ['dd', `if=${part}`, `of=${path}`, 'oflag=append', 'conv=notrunc', 'status=none'],
      ctx,
    );
  }
  await agentRun(ch, id, ['rm', '-f', part], ctx);
}
