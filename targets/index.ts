// Expansion of a whole project: every container entry into its targets,
// clone sources before their clones so a clone can name its source's output.
// VMs, host setup and stacks are not built by this version: they take part
// in validation and start order only.
import type { Guest, Project } from '../src/model/model.ts';
import type { GuestId } from '../src/core/ids.ts';
import type { Target } from './target.ts';
import type { TargetId } from '../src/core/target-id.ts';
import { expandLxc } from './lxc.ts';

export interface Expansion {
  readonly targets: Target[];
  /** Guests phx does not build yet (VMs), for the plan's one-line note. */
  readonly unbuilt: Guest[];
}

export async function expandProject(project: Project): Promise<Expansion> {
  const cloneOutputs = new Map<GuestId, TargetId>();
  const targets: Target[] = [];
  const unbuilt: Guest[] = [];
  const visiting = new Set<GuestId>();

  const visit = async (guest: Guest): Promise<void> => {
    if (cloneOutputs.has(guest.id) || visiting.has(guest.id)) return;
    visiting.add(guest.id);
    let sourceOutput: TargetId | undefined;
    if (guest.cloneFrom !== undefined) {
      const source = project.guests.get(guest.cloneFrom);
      if (source && source.kind === guest.kind) {
        await visit(source);
        sourceOutput = cloneOutputs.get(source.id);
      }
    }
    const expanded = await expandLxc(project, guest, sourceOutput);
    targets.push(...expanded.targets);
    cloneOutputs.set(guest.id, expanded.cloneOutput);
  };

  for (const guest of project.guests.values()) {
    if (guest.kind === 'lxc') await visit(guest);
    else unbuilt.push(guest);
  }
  return { targets, unbuilt };
}
