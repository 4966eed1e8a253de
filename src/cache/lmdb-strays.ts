// lmdb-js reports a failed commit (a full disk, an I/O error) three ways: it
// prints the cause with console.error, rejects every write of the
// transaction (phx awaits each one and reports "no space left in <dir>"),
// and rejects promises nobody was handed: the `commitError` hung on those
// errors, and writes of its own batches (kriszyp/lmdb-js#368). Left alone,
// the print is a stack trace on the user's terminal and a stray rejection
// ends the process mid-build. This keeps both: lmdb's prints and strays are
// collected as the cache problem they stand for, which the command line
// prints once, in one paragraph, if nothing else said it.
import { cacheProblemOf, commitCause, type CacheProblem } from './cache-problem.ts';

export interface StrayFailures {
  /** The first cache problem lmdb reported outside a handled promise since the call. */
  readonly problem: () => CacheProblem | undefined;
  /**
   * Restores console.error. The rejection handler stays for the life of the
   * process: a stray may settle after the command returned, and its failure
   * was reported (or recorded as missing) by the write phx awaited.
   */
  readonly release: () => void;
}

let current: ((e: unknown) => void) | undefined;
let installed = false;

/** A rejection from lmdb's commit machinery rather than from phx's own code. */
function isCommitFailure(reason: unknown): boolean {
  return (
    reason instanceof Error &&
    ('commitError' in reason || /\/lmdb\/write\.js:\d+/.test(reason.stack ?? ''))
  );
}

export function containStrayFailures(cacheDir: () => string): StrayFailures {
  let problem: CacheProblem | undefined;
  const note = (e: unknown) => {
    problem ??= cacheProblemOf(e, cacheDir()) ?? {
      type: 'write-failed',
      dir: cacheDir(),
      detail: e instanceof Error ? e.message : String(e),
    };
  };
  current = note;
  if (!installed) {
    installed = true;
    process.on('unhandledRejection', (reason: unknown) => {
      if (!isCommitFailure(reason)) throw reason;
      void commitCause(reason).then((cause) => current?.(cause));
    });
  }
  const printError = console.error;
  // phx itself never prints through console (commands write through io), so
  // what arrives here is a dependency's report of a failure.
  console.error = (...args: unknown[]) => {
    const error = args.find((a) => a instanceof Error);
    if (error !== undefined && isCommitFailure(error)) note(error);
    else printError(...args);
  };
  return {
    problem: () => problem,
    release: () => {
      console.error = printError;
      if (current === note) current = undefined;
    },
  };
}
