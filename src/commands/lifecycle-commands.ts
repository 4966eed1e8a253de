// Lifecycle verbs of the Phoenix CLI (status, start, stop, restart, delete,
// reconfigure, test). Each lives in src/commands/lifecycle/ and is imported
// only when used, like the build verbs in cli.ts.
import type { Command } from 'commander';
import type { CommandContext } from './context.ts';

export function registerLifecycle(
  program: Command,
  context: () => CommandContext,
  set: (p: Promise<number>) => Promise<void>,
): void {
  program
    .command('status [ids...]')
    .description('live state, recorded fingerprint and drift of each guest (all when no ids)')
    .action(async (ids: string[]) => {
      const { run } = await import('./lifecycle/status.ts');
      await set(run(context(), { ids }));
    });
  for (const [verb, text] of [
    [
      'start',
      'start guests, their dependencies first (--all: the start_at_boot guests in boot_order)',
    ],
    ['stop', 'stop guests, what depends on them first'],
    ['restart', 'stop, then start again'],
  ] as const) {
    program
      .command(`${verb} [ids...]`)
      .description(text)
      .option('--all', 'every guest (start: the start_at_boot guests, templates skipped)')
      .action(async (ids: string[], o: { all?: boolean }) => {
        const { run } = await import('./lifecycle/start-stop.ts');
        await set(run(context(), { verb, ids, ...o }));
      });
  }
  program
    .command('delete <id>')
    .description('stop and destroy a guest and forget its build records')
    .option('--force', 'even while clones of it exist on the host')
    .action(async (id: string, o: { force?: boolean }) => {
      const { run } = await import('./lifecycle/delete.ts');
      await set(run(context(), { id, ...o }));
    });
  program
    .command('adopt <ids...>')
    .description(
      "take over guests phx did not make: mark them as this workspace's and record what matches the config",
    )
    .action(async (ids: string[]) => {
      const { run } = await import('./lifecycle/adopt.ts');
      await set(run(context(), { ids }));
    });
  program
    .command('reconfigure <id>')
    .description('rebuild every layer of one guest (its clone source only if out of date)')
    .action(async (id: string) => {
      const { run } = await import('./lifecycle/reconfigure.ts');
      await set(run(context(), { id }));
    });
  program
    .command('test [suiteOrId]')
    .description(
      "run the configs' tests and health checks inside the guests (a suite, one guest's, or all)",
    )
    .action(async (suiteOrId: string | undefined) => {
      const { run } = await import('./lifecycle/test.ts');
      await set(run(context(), { ...(suiteOrId === undefined ? {} : { selector: suiteOrId }) }));
    });
}
