// Lifecycle verbs of the Phoenix CLI (status, start, stop, restart, delete,
// reconfigure, test, setup) are registered here.
import type { Command } from 'commander';
import type { CommandContext } from './context.ts';

export function registerLifecycle(
  _program: Command,
  _context: () => CommandContext,
  _set: (p: Promise<number>) => Promise<void>,
): void {
  // Filled in by the lifecycle issue.
}
