// A host file write, recorded among a target's commands so `build --json`
// lists every host action (a reviewer sees `/etc/pve` edits beside the pct
// lines). The content is not recorded: the path and the order say what was
// touched, and the file is on the host to read.
import type { OpContext } from './backend.ts';

/** The pseudo-argv of a host file write in `commands`. */
export const WRITE_FILE = 'write-file';

export function recordWrite(ctx: Pick<OpContext, 'commands'>, path: string): void {
  ctx.commands.push([WRITE_FILE, path]);
}
