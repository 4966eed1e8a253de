// What `--help` adds to Commander's own text: examples for every command, the
// global flags in each subcommand's help, and the usage line after a usage
// error. Applied once to the whole command tree after every command is
// registered (src/cli.ts), so a command added later gets the same treatment.
import type { Command } from 'commander';

/** Examples by command path (`''` is phx itself); each line is `command  # what it does`. */
const examples: Readonly<Record<string, readonly string[]>> = {
  '': [
    'phx validate                   # check the four config files',
    'phx plan                       # what would build and why',
    'phx build --all                # build everything, then start the start_at_boot guests',
    'phx explain lxc/950/app        # why one target would rebuild',
  ],
  validate: ['phx validate', 'phx validate --json         # every diagnostic, machine-readable'],
  schema: ['phx schema                  # writes configs/schemas/*.schema.json'],
  plan: [
    'phx plan                              # every target',
    'phx plan 950 --json                   # one guest and what it consumes, as JSON',
    'phx plan --detailed-exitcode          # exit 2 when something would build (CI)',
    'phx plan --state state.json --detailed-exitcode   # CI: against a "phx cache export"',
  ],
  setup: [
    'phx setup                             # pools, datasets, storages… of the hypervisor config',
    'phx setup --dry-run                   # the plan of the host only',
    'phx setup --allow-destructive fastData   # may create pool fastData on its disks',
  ],
  build: [
    'phx build 950                         # guest 950 and what it consumes',
    'phx build --all                       # everything, then start the start_at_boot guests',
    'phx build --dry-run 901               # the plan only',
    'phx build --all --events run.ndjson   # also stream the events as NDJSON',
  ],
  graph: [
    'phx graph | dot -Tsvg > graph.svg     # Graphviz DOT',
    'phx graph 950 --format mermaid',
    'phx graph --status --format json',
  ],
  explain: ['phx explain lxc/950/app', 'phx explain 950 --offline    # every target of guest 950'],
  cache: ['phx cache ls', 'phx cache export state.json', 'phx cache verify'],
  'cache ls': ['phx cache ls', 'phx cache ls --json'],
  'cache export': [
    'phx cache export state.json        # on the host: the state a CI plan needs',
    'phx plan --state state.json        # elsewhere: plan against it',
  ],
  'cache verify': [
    'phx cache verify             # exit 1 when a recorded output is gone from the host',
  ],
  'cache rebuild': [
    'phx cache rebuild            # re-derive records from the snapshot descriptions on the host',
  ],
  'cache gc': [
    'phx cache gc                 # drop records of targets that no longer exist, and old logs',
  ],
  status: ['phx status', 'phx status 950 951 --json'],
  start: ['phx start 950                # its dependencies first', 'phx start --all'],
  stop: ['phx stop 950                 # what depends on it first', 'phx stop --all'],
  restart: ['phx restart 950'],
  delete: ['phx delete 951', 'phx delete 900 --force       # even while clones of it exist'],
  adopt: ['phx adopt 950 951'],
  reconfigure: ['phx reconfigure 950'],
  test: [
    'phx test                     # every suite',
    'phx test 950                 # the tests of guest 950',
  ],
  logs: ['phx logs lxc/950/app', 'phx logs lxc/950/app --follow'],
  completion: ['phx completion bash > /etc/bash_completion.d/phx'],
  import: ['phx import /usr/local/phoenix_hypervisor'],
};

/** The command's path below phx: `'cache export'`, `''` for phx itself. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c = cmd; c.parent !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function examplesFor(path: string): readonly string[] | undefined {
  return examples[path];
}

/** Adds examples, global flags and the usage line after errors to `cmd` and every subcommand. */
export function decorateHelp(cmd: Command): void {
  const path = commandPath(cmd);
  const lines = examplesFor(path);
  if (lines !== undefined)
    cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  cmd.configureHelp({ ...cmd.configureHelp(), showGlobalOptions: true });
  const full = path === '' ? 'phx' : `phx ${path}`;
  cmd.showHelpAfterError(`Usage: ${full} ${cmd.usage()}\n(${full} --help for more)`);
  for (const sub of cmd.commands) decorateHelp(sub);
}
