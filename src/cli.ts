// The command line: parse → options → run the command → exit code. Thin on
// purpose; each verb lives in src/commands/ and is imported only when used.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, type CommandContext, type GlobalOptions, type Io } from './commands/context.ts';
import { cacheProblemOf, describeCacheProblem, type CacheProblem } from './cache/cache-problem.ts';
import { containStrayFailures } from './cache/lmdb-strays.ts';
import { cacheDirOf } from './engine/paths.ts';
import { decorateHelp } from './commands/help-text.ts';
import { phxVersion } from './commands/version.ts';
import { runFlags, type BuildFlags } from './commands/run-flags.ts';
import { hostEntry } from './core/target-id.ts';

interface RawGlobals {
  configDir?: string;
  featuresDir?: string;
  cacheDir?: string;
  backend?: GlobalOptions['backend'];
  host?: string;
  jobs?: number;
  json?: boolean;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  wait?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

export async function main(
  argv: readonly string[],
  io: Io = processIo(),
  cwd = process.cwd(),
): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    io.err('\nphx: interrupted; stopping (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let exitCode: number = ExitCode.ok;
  const program = new Command('phx');
  const context = (): CommandContext => {
    const g = program.opts<RawGlobals>();
    return {
      cwd,
      env: process.env,
      signal: controller.signal,
      io,
      globals: {
        ...(g.configDir !== undefined ? { configDir: g.configDir } : {}),
        ...(g.featuresDir !== undefined ? { featuresDir: g.featuresDir } : {}),
        ...(g.cacheDir !== undefined ? { cacheDir: g.cacheDir } : {}),
        ...(g.backend !== undefined ? { backend: g.backend } : {}),
        ...(g.host !== undefined ? { host: g.host } : {}),
        ...(g.jobs !== undefined ? { jobs: g.jobs } : {}),
        json: g.json ?? false,
        strict: g.strict ?? false,
        quiet: g.quiet ?? false,
        verbose: g.verbose ?? false,
        // Commander defaults --color to true, so NO_COLOR (any non-empty value) must be read beside it.
        color: g.color !== false && !process.env.NO_COLOR,
        wait: g.wait ?? true,
      },
    };
  };
  const strays = containStrayFailures(() => cacheDirOf(context()));
  program
    .description('Incremental builds of a Proxmox host from the Phoenix Hypervisor configs')
    .version(phxVersion(), '-V, --version', 'print the version')
    // Subcommands inherit this when created: their help lists the global flags too.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        io.out(s);
      },
      writeErr: (s) => {
        io.err(s);
      },
    })
    .option('--config-dir <dir>', 'folder of the four Phoenix config files')
    .option('--features-dir <dir>', 'folder of features and apps/')
    .option('--cache-dir <dir>', 'cache folder (default .phoenix-cache)')
    .addOption(new Option('--backend <kind>', 'backend').choices(['auto', 'proxmox', 'lxc', 'sim']))
    .option('--host <user@host>', 'drive a Proxmox node over SSH')
    .option('-j, --jobs <n>', 'parallel jobs', positiveInt)
    .option('--json', 'machine-readable output')
    .option('--strict', 'treat warnings as errors')
    .option('-q, --quiet', 'less output')
    .option('-v, --verbose', 'more output')
    .option('--no-color', 'no colours')
    .option('--no-wait', 'exit 3 instead of waiting when another phx holds the cache');

  const set = async (p: Promise<number>): Promise<void> => {
    exitCode = await p;
  };

  program
    .command('validate')
    .description('schema and cross-reference checks')
    .action(async () => {
      const { run } = await import('./commands/validate.ts');
      await set(run(context(), await buildFileDirs(context())));
    });
  program
    .command('schema')
    .description('write JSON Schemas of the config files into configs/schemas/')
    .action(async () => {
      const { run } = await import('./commands/schema.ts');
      await set(run(context(), await buildFileDirs(context())));
    });
  program
    .command('plan [ids...]')
    .description('what would build and why')
    .option('--all', 'every target (the default)')
    .option('--detailed-exitcode', 'exit 2 when something would build')
    .option('--offline', 'trust the records without asking the host')
    .option('--state <file>', 'plan against an exported state')
    .option('--force', 'as if every target were forced')
    .action(
      async (
        ids: string[],
        o: { detailedExitcode?: boolean; offline?: boolean; state?: string; force?: boolean },
      ) => {
        const { run } = await import('./commands/plan.ts');
        await set(run(context(), { ids, ...o }));
      },
    );
  program
    .command('setup')
    .description('bring the host up to date: every target of the hypervisor config (build host)')
    .addOption(runFlags.dryRun())
    .addOption(runFlags.keepGoing())
    .addOption(runFlags.force())
    .addOption(runFlags.allowDestructive())
    .addOption(runFlags.events())
    .action(async (o: Omit<BuildFlags, 'all' | 'restart' | 'replace' | 'yes'>) => {
      const { run } = await import('./commands/build.ts');
      await set(run(context(), { ids: [hostEntry], ...o, noRestart: true }));
    });
  program
    .command('build [ids...]')
    .description('bring IDS (or everything) up to date')
    .option('--all', 'everything, then start the start_at_boot guests')
    .addOption(runFlags.dryRun())
    .addOption(runFlags.keepGoing())
    .addOption(runFlags.force())
    .option('--no-restart', 'leave running guests running; report settings that wait for a restart')
    .option(
      '--replace <id>',
      'consent to destroying and re-creating service guest ID (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--yes', 'consent to every destruction the plan shows')
    .addOption(runFlags.allowDestructive())
    .addOption(runFlags.events())
    .action(async (ids: string[], o: BuildFlags) => {
      const { run } = await import('./commands/build.ts');
      const { restart, ...rest } = o;
      await set(run(context(), { ids, ...rest, noRestart: restart === false }));
    });
  program
    .command('graph [ids...]')
    .description('the target graph')
    .option('--all', 'every target (the default)')
    .addOption(
      new Option('--format <format>', 'output format (svg and html are drawn by Graphviz dot)')
        .choices(['dot', 'svg', 'html', 'mermaid', 'json'])
        .default('dot'),
    )
    .option(
      '--deps <id>',
      'ID and what it needs (as IDS)',
      (v: string, a: string[]) => [...a, v],
      [],
    )
    .option(
      '--rdeps <id>',
      'ID and everything built on it',
      (v: string, a: string[]) => [...a, v],
      [],
    )
    .option('--status', 'status of each node from the host instead of the records')
    .option('--offline', 'trust the records without asking the host')
    .action(
      async (
        ids: string[],
        o: {
          format: 'dot' | 'svg' | 'html' | 'mermaid' | 'json';
          deps: string[];
          rdeps: string[];
          status?: boolean;
          offline?: boolean;
        },
      ) => {
        const { run } = await import('./commands/graph.ts');
        await set(run(context(), { ids, ...o }));
      },
    );
  program
    .command('explain <target>')
    .description('why TARGET would rebuild, walked back to the root cause')
    .option('--offline', 'trust the records without asking the host')
    .option('--state <file>', 'explain against an exported state')
    .action(async (target: string, o: { offline?: boolean; state?: string }) => {
      const { run } = await import('./commands/explain.ts');
      await set(run(context(), { target, ...o }));
    });
  const cache = program.command('cache').description('look after the cache');
  const cacheActions = {
    ls: 'list the build records: target, fingerprint, output, when built',
    verify: "check that every record's output still exists on the host",
    rebuild: 'recreate the records from the snapshot descriptions on the host',
    gc: 'drop records of targets that no longer exist, and old logs',
  } as const;
  for (const [action, text] of Object.entries(cacheActions) as [
    keyof typeof cacheActions,
    string,
  ][]) {
    cache
      .command(action)
      .description(text)
      .action(async () => {
        const { run } = await import('./commands/cache.ts');
        await set(run(context(), { action }));
      });
  }
  cache
    .command('export <file>')
    .description(
      "write the records and the host's snapshots to FILE ('-': stdout), for plan --state elsewhere",
    )
    .action(async (file: string) => {
      const { run } = await import('./commands/cache.ts');
      await set(run(context(), { action: 'export', file }));
    });
  program
    .command('import <dir>')
    .description('turn a bash Phoenix tree (/usr/local/phoenix_hypervisor) into a workspace')
    .option('--into <workspace>', 'the workspace folder (default: the current folder)')
    .option('--force', 'overwrite files the import would write')
    .action(async (dir: string, o: { into?: string; force?: boolean }) => {
      const { run } = await import('./commands/import.ts');
      await set(run(context(), { dir, ...o }));
    });
  const { registerLifecycle } = await import('./commands/lifecycle-commands.ts');
  registerLifecycle(program, context, set);
  program
    .command('logs <target>')
    .description("the step log of TARGET's last run (a CTID: each of its targets, in build order)")
    .option('--follow', "follow the running build's log of TARGET until its run ends")
    .option('--all-runs', 'every kept run, oldest first')
    .action(async (target: string, o: { follow?: boolean; allRuns?: boolean }) => {
      const { run } = await import('./commands/logs.ts');
      await set(run(context(), { target, follow: o.follow ?? false, allRuns: o.allRuns ?? false }));
    });
  const { registerCompletion } = await import('./commands/completion.ts');
  registerCompletion(program, context, set);
  // Last, once every command exists: examples, global flags, the usage line after an error.
  decorateHelp(program);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    let problem: CacheProblem | undefined;
    if (e instanceof CommanderError) {
      exitCode =
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
          ? ExitCode.ok
          : ExitCode.usage;
    } else if ((problem = cacheProblemOf(e, cacheDirOf(context())))) {
      // A damaged cache or a full disk: what is wrong and what to do, no trace.
      io.err(`phx: ${describeCacheProblem(problem)}\n`);
      exitCode = ExitCode.error;
    } else {
      // A broken invariant, not a user error: say so plainly, once.
      io.err(`phx: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      exitCode = ExitCode.error;
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    strays.release();
  }
  const stray = strays.problem();
  if (stray !== undefined && exitCode === ExitCode.ok) {
    // A write lmdb failed outside any promise phx holds: the command did not do all it says.
    io.err(`phx: ${describeCacheProblem(stray)}\n`);
    exitCode = ExitCode.error;
  }
  if (controller.signal.aborted && exitCode !== ExitCode.cacheBusy) exitCode = ExitCode.interrupted;
  return exitCode;
}

/** The config and features folders phoenix.build.ts names, for the commands that need no engine. */
async function buildFileDirs(
  ctx: CommandContext,
): Promise<{ configDir?: string; featuresDir?: string }> {
  const [{ loadBuildFile }, { initHash }, { cacheDirOf }] = await Promise.all([
    import('./engine/build-file.ts'),
    import('./core/hash.ts'),
    import('./engine/paths.ts'),
  ]);
  await initHash();
  const bf = await loadBuildFile(ctx.cwd, cacheDirOf(ctx));
  if (!bf.ok) return {};
  return {
    ...(bf.value.configDir !== undefined ? { configDir: bf.value.configDir } : {}),
    ...(bf.value.featuresDir !== undefined ? { featuresDir: bf.value.featuresDir } : {}),
  };
}

function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
  };
}
