// Injected faults (PHX_SIM_FAULTS): make a given operation fail, hang until
// cancelled, or wait until a file exists (so a test releases it without
// sleeping). `times` limits how often a fault applies; the count lives in the
// state dir so it holds across processes.
//
// A VM's guest agent that never answers: `{"match": ["qm", "agent", "1001"],
// "action": "fail", "message": "QEMU guest agent is not running"}` fails
// every `qm agent 1001 ping`, so the backend's wait for the agent ends in
// 'agent-timeout' (without the id, every VM's agent is silent). A feature
// that fails inside a VM: a `fail` fault on `["qm", "guest", "exec"]` for its
// target. The agent itself answers only while the VM runs with `agent: 1`,
// from the `agent` duration (× scale) after its start (qm-agent.ts).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { withMutex, writeAtomic } from './store.ts';
import type { Result } from '../core/result.ts';

export interface SimFault {
  /** Only for commands serving this target id, e.g. `lxc/950/feature/vllm`. */
  readonly target?: string;
  /** Only for commands whose argv starts with these words; host files match `["writeFile", path]`. */
  readonly match?: readonly string[];
  readonly action: 'fail' | 'hang' | 'wait-file';
  /** For wait-file: the file whose appearance releases the operation. */
  readonly path?: string;
  /** For fail: stderr text (default "sim: injected fault"). */
  readonly message?: string;
  readonly exitCode?: number;
  /** Apply at most this many times (across processes), then never again. */
  readonly times?: number;
}

export type FaultsResult = Result<SimFault[], string>;

/** Parse PHX_SIM_FAULTS; a malformed value is an error, not silently no faults. */
export function parseFaults(json: string | undefined): FaultsResult {
  if (json === undefined || json.trim() === '') return { ok: true, value: [] };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `PHX_SIM_FAULTS is not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(data)) return { ok: false, error: 'PHX_SIM_FAULTS must be a JSON array' };
  const out: SimFault[] = [];
  for (const [i, f] of (data as unknown[]).entries()) {
    if (typeof f !== 'object' || f === null)
      return { ok: false, error: `PHX_SIM_FAULTS[${i}] must be an object` };
    const o = f as Record<string, unknown>;
    if (o.action !== 'fail' && o.action !== 'hang' && o.action !== 'wait-file') {
      return {
        ok: false,
        error: `PHX_SIM_FAULTS[${i}].action must be "fail", "hang" or "wait-file"`,
      };
    }
    if (o.action === 'wait-file' && typeof o.path !== 'string')
      return { ok: false, error: `PHX_SIM_FAULTS[${i}].path is required for wait-file` };
    if (
      o.match !== undefined &&
      !(Array.isArray(o.match) && o.match.every((m) => typeof m === 'string'))
    ) {
      return { ok: false, error: `PHX_SIM_FAULTS[${i}].match must be an array of strings` };
    }
    if (o.times !== undefined && !(Number.isInteger(o.times) && (o.times as number) >= 0)) {
      return { ok: false, error: `PHX_SIM_FAULTS[${i}].times must be a non-negative integer` };
    }
    out.push(o as unknown as SimFault);
  }
  return { ok: true, value: out };
}

function matches(f: SimFault, argv: readonly string[], target: string | undefined): boolean {
  if (f.target !== undefined && f.target !== target) return false;
  if (f.match !== undefined && !f.match.every((w, i) => argv[i] === w)) return false;
  return true;
}

/** The first fault that applies to this command, counting its use; undefined if none. */
export async function takeFault(
  dir: string,
  faults: readonly SimFault[],
  argv: readonly string[],
  target: string | undefined,
): Promise<SimFault | undefined> {
  const candidates = faults.filter((f) => matches(f, argv, target));
  if (candidates.length === 0) return undefined;
  const countFile = join(dir, 'faults-used.json');
  return withMutex(`${countFile}.mutex`, async () => {
    const used = JSON.parse(await readFile(countFile, 'utf8').catch(() => '{}')) as Record<
      string,
      number
    >;
    for (const f of candidates) {
      const key = JSON.stringify(f);
      const n = used[key] ?? 0;
      if (f.times !== undefined && n >= f.times) continue;
      used[key] = n + 1;
      await writeAtomic(countFile, JSON.stringify(used));
      return f;
    }
    return undefined;
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The operation was aborted', 'AbortError');
}

/** Sleep that ends early, with an AbortError, when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Block as a hang or wait-file fault says; rejects when the signal aborts. */
export async function blockFor(f: SimFault, signal: AbortSignal): Promise<void> {
  if (f.action === 'hang') {
    for (;;) await sleep(60_000, signal);
  }
  if (f.action === 'wait-file') {
    for (;;) {
      if (
        await access(f.path!).then(
          () => true,
          () => false,
        )
      )
        return;
      await sleep(10, signal);
    }
  }
}
