// SimRunner: the CommandRunner of the sim backend. Interprets the command
// lines and host-file writes the proxmox backend produces against a simulated
// node kept in a state folder; spends `durations[targetKind] × scale` ms per
// command; applies injected faults; journals every command.
import { hostname } from 'node:os';
import type { CommandRunner, RunOptions, RunResult } from '../backends/runner.ts';
import { blockFor, parseFaults, sleep, takeFault, type SimFault } from './faults.ts';
import { HostFileError, readHostFile, writeHostFile } from './host-files.ts';
import { appendJournal, type JournalEntry } from './journal.ts';
import { defaultPools, SimNode, type OpEnv, type Outcome } from './node.ts';
import { runCommand } from './pct.ts';
import { runHostService } from './host-service-tools.ts';
import { runHostSetup } from './host-setup-tools.ts';
import { HostStorage, type SimPool } from './host-storage.ts';
import { SimStore } from './store.ts';
import { routeVm } from './qm.ts';
import { journalArgv } from './vm-pvesh.ts';
import { VmNode } from './vm-node.ts';
import type { Result } from '../core/result.ts';

export interface SimOptions {
  /** State folder (`.phoenix-sim`, or PHX_SIM_DIR). */
  readonly dir: string;
  /** Milliseconds per target kind: create, clone, settings, feature, app, check, snapshot, firewall. */
  readonly durations: Readonly<Record<string, number>>;
  /** PHX_SIM_SCALE: multiplies every duration; 0 is instant. */
  readonly scale: number;
  readonly faults: readonly SimFault[];
  /** ZFS pools a fresh node has; default node.ts `defaultPools`. */
  readonly pools?: Readonly<Record<string, SimPool>>;
  /** Names the node answers to in API paths; default `localhost` and this host's name. */
  readonly nodeNames?: readonly string[];
  /** Messages of the node itself, e.g. a stale lock it cleared. */
  readonly onNote?: (note: string) => void;
}

export type SimOptionsResult = Result<SimOptions, string>;

/** Read PHX_SIM_DIR, PHX_SIM_DURATIONS (JSON object), PHX_SIM_SCALE and PHX_SIM_FAULTS over `defaults`. */
export function simOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: Partial<SimOptions> = {},
): SimOptionsResult {
  const scaleText = env.PHX_SIM_SCALE;
  const scale =
    scaleText === undefined || scaleText === '' ? (defaults.scale ?? 1) : Number(scaleText);
  if (!Number.isFinite(scale) || scale < 0)
    return { ok: false, error: `PHX_SIM_SCALE must be a number >= 0, got '${scaleText ?? ''}'` };
  let durations = defaults.durations ?? {};
  if (env.PHX_SIM_DURATIONS !== undefined && env.PHX_SIM_DURATIONS !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.PHX_SIM_DURATIONS);
    } catch (e) {
      return { ok: false, error: `PHX_SIM_DURATIONS is not JSON: ${(e as Error).message}` };
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Object.values(parsed).some((v) => typeof v !== 'number' || v < 0)
    ) {
      return {
        ok: false,
        error: 'PHX_SIM_DURATIONS must be a JSON object of kind → milliseconds (numbers >= 0)',
      };
    }
    durations = { ...durations, ...(parsed as Record<string, number>) };
  }
  const faults = parseFaults(env.PHX_SIM_FAULTS);
  if (!faults.ok) return faults;
  return {
    ok: true,
    value: {
      ...defaults,
      dir: env.PHX_SIM_DIR || defaults.dir || '.phoenix-sim',
      durations,
      scale,
      faults: [...(defaults.faults ?? []), ...faults.value],
    },
  };
}

export class SimRunner implements CommandRunner {
  readonly node: SimNode;
  /** The node's VMs (qm), sharing its store, storages and id space. */
  readonly vmNode: VmNode;
  private readonly ready: Promise<void>;

  constructor(readonly options: SimOptions) {
    const store = new SimStore(options.dir);
    this.node = new SimNode(
      store,
      new HostStorage(options.dir, options.pools ?? defaultPools),
      options.nodeNames ?? ['localhost', hostname()],
    );
    // The guest agent answers `agent` ms (× scale) after a VM starts; 1 s unless set.
    this.vmNode = new VmNode(this.node, {
      agentDelayMs: (options.durations.agent ?? 1000) * options.scale,
    });
    this.ready = store.init();
  }

  describe(): string {
    return `sim node at ${this.options.dir}`;
  }

  private durationOf(opts: RunOptions): number {
    return (
      (opts.targetKind === undefined ? 0 : (this.options.durations[opts.targetKind] ?? 0)) *
      this.options.scale
    );
  }

  /**
   * An OpEnv whose pause() spends this command's time once: a blocking fault
   * (hang, wait-file) if one applies, then the kind's duration.
   */
  private makeEnv(
    argv: readonly string[],
    opts: RunOptions,
    notes: string[],
    applied: { fault?: SimFault },
  ): OpEnv {
    let paused = false;
    const blocking = this.options.faults.filter((f) => f.action !== 'fail');
    return {
      signal: opts.signal,
      note: (line) => {
        notes.push(line);
        // The node's own messages (a stale lock cleared) are the user's to see.
        this.options.onNote?.(line);
      },
      pause: async () => {
        if (paused) return;
        paused = true;
        const f = await takeFault(this.options.dir, blocking, argv, opts.target);
        if (f) {
          applied.fault = f;
          await blockFor(f, opts.signal);
        }
        await sleep(this.durationOf(opts), opts.signal);
      },
    };
  }

  private async journal(
    entry: Omit<JournalEntry, 'pid' | 'target' | 'kind'>,
    opts: RunOptions,
  ): Promise<void> {
    await appendJournal(this.options.dir, {
      pid: process.pid,
      ...(opts.target === undefined ? {} : { target: opts.target }),
      ...(opts.targetKind === undefined ? {} : { kind: opts.targetKind }),
      ...entry,
    });
  }

  /** A `fail` fault that matches this command, taken (its count spent), if any. */
  private failFault(argv: readonly string[], opts: RunOptions): Promise<SimFault | undefined> {
    const failing = this.options.faults.filter((f) => f.action === 'fail');
    return takeFault(this.options.dir, failing, argv, opts.target);
  }

  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    await this.ready;
    const start = Date.now();
    const notes: string[] = [];
    const applied: { fault?: SimFault } = {};
    let outcome: Outcome;
    try {
      const failing = await this.failFault(argv, opts);
      if (failing) {
        applied.fault = failing;
        outcome = {
          exitCode: failing.exitCode ?? 255,
          stdout: '',
          stderr: `${failing.message ?? 'sim: injected fault'}\n`,
        };
      } else {
        const env = this.makeEnv(argv, opts, notes, applied);
        outcome =
          (await runHostService(this.node, argv, opts.stdin, env)) ??
          (await runHostSetup(this.node, argv, env)) ??
          (await routeVm(this.vmNode, argv, env)) ??
          (await runCommand(this.node, argv, env));
      }
    } catch (e) {
      const cancelled = opts.signal.aborted;
      await this.journal(
        {
          op: 'run',
          argv: journalArgv(argv),
          start_ms: start,
          end_ms: Date.now(),
          exit: -1,
          accepted: false,
          ...(cancelled ? { cancelled } : { error: String(e) }),
          ...(applied.fault ? { fault: applied.fault.action } : {}),
        },
        opts,
      );
      throw e;
    }
    const stderr = notes.map((n) => `${n}\n`).join('') + outcome.stderr;
    const firstError = outcome.stderr.split('\n')[0];
    // Read-only API queries (one per guest in every plan) change nothing on
    // the node and are not journaled: the journal is the record of actions.
    if (!(argv[0] === 'pvesh' && argv[1] === 'get'))
      await this.journal(
        {
          op: 'run',
          argv: journalArgv(argv),
          start_ms: start,
          end_ms: Date.now(),
          exit: outcome.exitCode,
          accepted: outcome.exitCode === 0,
          ...(outcome.exitCode !== 0 && firstError ? { error: firstError } : {}),
          ...(applied.fault ? { fault: applied.fault.action } : {}),
        },
        opts,
      );
    if (opts.onLine)
      for (const line of `${outcome.stdout}${stderr}`.split('\n'))
        if (line !== '') opts.onLine(line);
    return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr };
  }

  async readFile(path: string, opts: RunOptions): Promise<string | undefined> {
    await this.ready;
    const start = Date.now();
    const text = await readHostFile(
      this.node,
      path,
      this.makeEnv(['readFile', path], opts, [], {}),
    );
    await this.journal(
      {
        op: 'readFile',
        path,
        start_ms: start,
        end_ms: Date.now(),
        exit: text === undefined ? 1 : 0,
        accepted: true,
      },
      opts,
    );
    return text;
  }

  /** Throws HostFileError when the node refuses the content (as pct would refuse the config). */
  async writeFile(path: string, content: string, opts: RunOptions): Promise<void> {
    await this.ready;
    const start = Date.now();
    const argv = ['writeFile', path];
    const applied: { fault?: SimFault } = {};
    const notes: string[] = [];
    const faultInfo = () => (applied.fault ? { fault: applied.fault.action } : {});
    try {
      const failing = await this.failFault(argv, opts);
      if (failing) {
        applied.fault = failing;
        throw new HostFileError(path, [failing.message ?? 'sim: injected fault']);
      }
      const env = this.makeEnv(argv, opts, notes, applied);
      await env.pause();
      await writeHostFile(this.node, path, content, env);
    } catch (e) {
      const cancelled = opts.signal.aborted;
      await this.journal(
        {
          op: 'writeFile',
          path,
          start_ms: start,
          end_ms: Date.now(),
          exit: 255,
          accepted: false,
          ...(cancelled ? { cancelled } : { error: (e as Error).message.split('\n')[0]! }),
          ...faultInfo(),
        },
        opts,
      );
      throw e;
    }
    for (const n of notes) opts.onLine?.(n);
    await this.journal(
      {
        op: 'writeFile',
        path,
        start_ms: start,
        end_ms: Date.now(),
        exit: 0,
        accepted: true,
        ...faultInfo(),
      },
      opts,
    );
  }

  stage(localDir: string): Promise<string> {
    return Promise.resolve(localDir);
  }
  unstage(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
