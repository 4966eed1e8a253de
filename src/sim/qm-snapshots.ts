// qm snapshot, delsnapshot, rollback, listsnapshot. A snapshot keeps the
// config and the guest's filesystem model; rollback restores both and stops
// the VM. On ZFS (and any storage whose type the sim does not know) only the
// newest snapshot can be rolled back to; qcow2 on a `dir` storage allows any.
import { cloneFs, cloneSection, type CtState, type SnapshotState } from './ct-state.ts';
import { done, rejected, type OpEnv, type Outcome } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { renderSnapshotTree } from './pct-snapshots.ts';
import { vmVolumes } from './qm-drives.ts';
import { startVm, stopVm } from './qm-lifecycle.ts';
import type { VmNode } from './vm-node.ts';

const isTemplate = (keys: Readonly<Record<string, string>>) => keys.template === '1';

export async function qmSnapshot(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const description = a.options.get('description');
  if (name === 'current') return rejected(`snapshot name 'current' is reserved`);
  const problem = await vmNode.acquire(id, 'snapshot', env, (vm) => {
    if (isTemplate(vm.config.keys)) return "you can't take a snapshot if it's a template";
    return vm.snapshots.some((s) => s.name === name)
      ? `snapshot name '${name}' already used`
      : undefined;
  });
  if (problem !== undefined) return rejected(problem);
  return vmNode.locked(env, [{ id }], async () => {
    await vmNode.release(id, env, (vm) => {
      const config = cloneSection(vm.config);
      config.description =
        description === undefined || description === '' ? '' : `${description}\n`;
      config.keys.snaptime = String(Math.floor(Date.now() / 1000));
      const snap: SnapshotState = { name, config, fs: cloneFs(vm.fs) };
      vm.snapshots.push(snap);
      vm.config.keys.parent = name;
    });
    return done();
  });
}

export async function qmDelsnapshot(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const problem = await vmNode.acquire(id, 'snapshot-delete', env, (vm) => {
    if (isTemplate(vm.config.keys)) return "you can't delete a snapshot if vm is a template";
    return vm.snapshots.some((s) => s.name === name)
      ? undefined
      : `snapshot '${name}' does not exist`;
  });
  if (problem !== undefined) return rejected(problem);
  return vmNode.locked(env, [{ id }], async () => {
    await vmNode.release(id, env, (vm) => {
      const gone = vm.snapshots.find((s) => s.name === name)!;
      const parent = gone.config.keys.parent;
      vm.snapshots = vm.snapshots.filter((s) => s !== gone);
      for (const section of [vm.config, ...vm.snapshots.map((s) => s.config)]) {
        if (section.keys.parent !== name) continue;
        if (parent === undefined) delete section.keys.parent;
        else section.keys.parent = parent;
      }
    });
    return done();
  });
}

export async function qmRollback(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const problem = await vmNode.acquire(id, 'rollback', env, (vm) => {
    if (isTemplate(vm.config.keys)) return "you can't rollback if vm is a template";
    if (!vm.snapshots.some((s) => s.name === name)) return `snapshot '${name}' does not exist`;
    const storages = [...vmVolumes(vm.config.keys).values()].map((v) => v.slice(0, v.indexOf(':')));
    if (
      vmNode.rollbackNeedsNewest(storages) &&
      vm.snapshots[vm.snapshots.length - 1]?.name !== name
    )
      return `can't rollback, '${name}' is not most recent snapshot`;
    return undefined;
  });
  if (problem !== undefined) return rejected(problem);
  return vmNode.locked(env, [{ id }], async () => {
    await vmNode.release(id, env, (vm) => {
      const snap = vm.snapshots.find((s) => s.name === name)!;
      const config = cloneSection(snap.config);
      delete config.keys.snaptime;
      config.description = vm.config.description;
      config.keys.parent = name;
      vm.config = config;
      vm.fs = cloneFs(snap.fs);
      // A snapshot without RAM state: rollback leaves the VM stopped; --start boots it.
      stopVm(vm);
      if (a.options.get('start') === '1') startVm(vmNode, vm);
    });
    return done();
  });
}

export function qmListsnapshot(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => ({
    result: vm
      ? done(renderSnapshotTree(vm as unknown as CtState))
      : rejected(vmNode.missingMessage(id)),
  }));
}
