// pct rescan: PVE adds volumes found on the storages, owned by a CT but in
// none of its config keys, to that CT as unusedN. The sim's storages hold only
// volumes some CT refers to (a move renames and re-assigns in one step under
// both CTs' mutexes), so there is nothing to find; the command is accepted so
// that phx's crash recovery runs the same lines here as on a real node.
import { done, rejected, type OpEnv, type Outcome, type SimNode } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';

export async function pctRescan(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const vmid = a.options.get('vmid');
  if (vmid !== undefined && !(await node.peek(Number(vmid), env)))
    return rejected(node.missingMessage(Number(vmid)));
  return done('rescan volumes...\n');
}
