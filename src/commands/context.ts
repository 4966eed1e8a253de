// What every command receives: the parsed global options and where to write.
// Library code never calls console; commands write through `io`.

export interface GlobalOptions {
  readonly configDir?: string;
  readonly featuresDir?: string;
  readonly cacheDir?: string;
  readonly backend?: 'auto' | 'proxmox' | 'lxc' | 'sim';
  readonly host?: string;
  readonly jobs?: number;
  readonly json: boolean;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
  readonly wait: boolean;
}

export interface Io {
  /** Results (plans, graphs, JSON) go to stdout. */
  out(text: string): void;
  /** Progress, diagnostics and messages go to stderr. */
  err(text: string): void;
  /**
   * The terminal `err` writes to, when there is one to redraw on: the build's
   * live view draws there (the same stream as `err`, so their order holds).
   */
  readonly terminal?: {
    readonly isTTY?: boolean;
    readonly columns?: number;
    readonly rows?: number;
    write(text: string): unknown;
  };
}

export interface CommandContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly globals: GlobalOptions;
  readonly io: Io;
  /** Aborted on Ctrl-C; long-running commands re-check it after every await. */
  readonly signal: AbortSignal;
}

/** Exit codes of DESIGN §6. */
export const ExitCode = {
  ok: 0,
  error: 1,
  // A usage error is an error (DESIGN §6): 2 is kept for "changes present" alone.
  usage: 1,
  changes: 2,
  cacheBusy: 3,
  interrupted: 130,
} as const;
