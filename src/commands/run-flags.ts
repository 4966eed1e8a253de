// The flags `phx build` and `phx setup` share, defined once so both spell
// and explain them alike. Each is a fresh Option: Commander keeps state on
// an option once it is added to a command.
import { Option } from 'commander';

const repeatable = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export const runFlags = {
  dryRun: () => new Option('--dry-run', 'print the plan, change nothing'),
  keepGoing: () =>
    new Option('--keep-going', 'build every branch that does not depend on a failure'),
  force: () => new Option('--force', 'rebuild the selected targets even when up to date'),
  allowDestructive: () =>
    new Option(
      '--allow-destructive <pool>',
      'allow creating ZFS pool POOL on its disks, destroying what they hold (repeatable)',
    ).argParser(repeatable),
  events: () =>
    new Option('--events <file>', "stream the build's events as NDJSON to FILE ('-': stdout)"),
};

/** What the build command's flags parse to. */
export interface BuildFlags {
  all?: boolean;
  dryRun?: boolean;
  keepGoing?: boolean;
  force?: boolean;
  restart?: boolean;
  replace?: string[];
  yes?: boolean;
  allowDestructive?: string[];
  events?: string;
}
