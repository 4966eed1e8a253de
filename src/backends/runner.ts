// Where the proxmox backend's command lines run: on this host, over SSH, or
// inside the simulated node. Every argument is an argv element; a runner never
// hands a config value to a shell (SSH quotes each element once, POSIX-style).
import type { TargetId, TargetKind } from '../core/target-id.ts';

export interface RunOptions {
  readonly signal: AbortSignal;
  /** Bytes for the command's stdin. */
  readonly stdin?: string;
  /** Each output line as it arrives (stdout and stderr), for the target's log. */
  readonly onLine?: (line: string) => void;
  /** Environment of a spawned command (local runners); default: phx's own. */
  readonly env?: NodeJS.ProcessEnv;
  /** The target this command serves: the sim sleeps and injects faults by it. */
  readonly target?: TargetId;
  readonly targetKind?: TargetKind;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunner {
  /** One line saying where commands run, e.g. "sim node at .phoenix-sim". */
  describe(): string;
  run(argv: readonly string[], opts: RunOptions): Promise<RunResult>;
  /** Read a host file (e.g. /etc/pve/lxc/950.conf); undefined if absent. */
  readFile(path: string, opts: RunOptions): Promise<string | undefined>;
  /** Replace a host file whole. */
  writeFile(path: string, content: string, opts: RunOptions): Promise<void>;
  /**
   * Make a local folder available on the host that runs the commands and
   * return its path there (identity locally and in the sim; a copy over SSH).
   */
  stage(localDir: string, opts: RunOptions): Promise<string>;
  /** Give up a folder `stage` returned, once its files are pushed (a no-op where stage copied nothing). */
  unstage(hostDir: string, opts: RunOptions): Promise<void>;
  close(): Promise<void>;
}
