// qm create, importdisk, clone, destroy, start, stop, shutdown, status,
// list, unlock: a VM's life on the sim node.
import { randomUUID } from 'node:crypto';
import { baseFs, cloneFs, cloneSection, emptySection } from './ct-state.ts';
import { done, randomMac, rejected, type OpEnv, type Outcome } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { applyVmOptions, cloudinitValues } from './qm-config.ts';
import {
  addUnused,
  nextVmDisk,
  nodeFileSize,
  parseDrive,
  printDrive,
  usedVolnames,
} from './qm-drives.ts';
import { isDriveKey, parseNet, printNet } from './qm-formats.ts';
import type { VmNode } from './vm-node.ts';
import type { VmState } from './vm-state.ts';

/** Keys qemu-server gives every new VM: identity it regenerates on clone. */
function identityKeys(): Record<string, string> {
  return {
    smbios1: `uuid=${randomUUID()}`,
    vmgenid: randomUUID(),
    meta: `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`,
  };
}

export async function qmCreate(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const vmid = Number(a.positionals.vmid);
  const fail = (m: string) => rejected(`unable to create VM ${vmid} - ${m}`);
  const storage = a.options.get('storage');
  if (storage !== undefined) {
    const sp = vmNode.diskStorageProblem(storage);
    if (sp !== undefined) return fail(sp);
  }
  const vm: VmState = {
    vmid,
    status: 'stopped',
    config: { ...emptySection(), keys: identityKeys() },
    snapshots: [],
    // A cloud image holds a standard root filesystem; what phx puts there is modelled.
    fs: baseFs(),
  };
  const taken = await vmNode.idTaken(vmid);
  if (taken !== undefined) return fail(taken);
  const options = new Map(a.options);
  for (const k of ['storage', 'pool', 'unique', 'start', 'force']) options.delete(k);
  const problem = applyVmOptions(vmNode, vm, options);
  if (problem !== undefined) return fail(problem);
  const claim = await vmNode.claimNew(vm, 'create');
  if (claim !== undefined) return fail(claim);
  return vmNode.locked(env, [{ id: vmid, fresh: true }], async () => {
    await vmNode.release(vmid, env, (v) => {
      if (a.options.get('start') === '1') startVm(vmNode, v);
    });
    return done();
  });
}

/** `qm importdisk`/`qm disk import`: a node file becomes the VM's unusedN volume. */
export async function qmImportdisk(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const source = a.positionals.source!;
  const storage = a.positionals.storage!;
  const sp = vmNode.diskStorageProblem(storage);
  if (sp !== undefined) return rejected(sp);
  if (!source.startsWith('/') || nodeFileSize(vmNode, source) === undefined)
    return rejected(`source '${source}' does not exist`);
  const problem = await vmNode.acquire(id, 'create', env, (vm) =>
    vm.config.keys.template === '1' ? 'unable to import a disk into a template' : undefined,
  );
  if (problem !== undefined) return rejected(problem);
  return vmNode.locked(env, [{ id }], async () => {
    let line = '';
    await vmNode.release(id, env, (vm) => {
      const used = usedVolnames([vm.config.keys, ...vm.snapshots.map((s) => s.config.keys)]);
      const volid = `${storage}:${nextVmDisk(id, used)}`;
      addUnused(vm.config.keys, volid);
      const key = Object.entries(vm.config.keys).find(([, v]) => v === volid)![0];
      line = `Successfully imported disk as '${key}:${volid}'\n`;
    });
    return done(line);
  });
}

/** Start: the agent answers `agentDelayMs` later; the cloud-init drive is regenerated. */
export function startVm(vmNode: VmNode, vm: VmState): void {
  vm.status = 'running';
  vm.agentFrom = Date.now() + vmNode.options.agentDelayMs;
  vm.processes = {};
  if (Object.entries(vm.config.keys).some(([k, v]) => isDriveKey(k) && v.includes('-cloudinit')))
    vm.cloudinit = cloudinitValues(vm.config.keys);
}

export function stopVm(vm: VmState): void {
  vm.status = 'stopped';
  delete vm.agentFrom;
  delete vm.processes;
}

export function qmPower(
  vmNode: VmNode,
  verb: 'start' | 'stop' | 'shutdown',
  a: ParsedArgs,
  env: OpEnv,
): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    if (vm.lock && a.options.get('skiplock') !== '1')
      return { result: rejected(vmNode.lockedMessage(vm)) };
    if (verb === 'start') {
      if (vm.config.keys.template === '1')
        return { result: rejected("you can't start a vm if it's a template") };
      if (vm.status === 'running') return { result: rejected(`VM ${id} already running`) };
      startVm(vmNode, vm);
    } else {
      // qm stop/shutdown of a stopped VM succeed without doing anything.
      if (vm.status !== 'running') return { result: done() };
      stopVm(vm);
    }
    return { result: done(), save: vm };
  });
}

export function qmStatus(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => ({
    result: vm ? done(`status: ${vm.status}\n`) : rejected(vmNode.missingMessage(id)),
  }));
}

export function qmUnlock(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    delete vm.lock;
    return { result: done(), save: vm };
  });
}

export function qmDestroy(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    if (vm.lock && a.options.get('skiplock') !== '1')
      return { result: rejected(vmNode.lockedMessage(vm)) };
    if (vm.status === 'running')
      return { result: rejected(`VM ${id} is running - destroy failed`) };
    if (vm.config.keys.protection === '1')
      return { result: rejected(`can't remove VM ${id} - protection mode enabled`) };
    return { result: done(), remove: true };
  });
}

export async function qmList(vmNode: VmNode): Promise<Outcome> {
  const rows = [`${'VMID'.padStart(10)} ${'NAME'.padEnd(24)} ${'STATUS'.padEnd(10)}`];
  for (const id of await vmNode.vms.ids()) {
    const vm = await vmNode.vms.load(id);
    if (vm)
      rows.push(
        `${String(id).padStart(10)} ${(vm.config.keys.name ?? '').padEnd(24)} ${vm.status.padEnd(10)}`,
      );
  }
  return done(`${rows.join('\n')}\n`);
}

export async function qmClone(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const src = Number(a.positionals.vmid);
  const newid = Number(a.positionals.newid);
  const opts = a.options;
  const snapname = opts.get('snapname');
  const storage = opts.get('storage');
  const target = opts.get('target');
  if (target !== undefined && !vmNode.node.nodeNames.includes(target))
    return rejected(`Target node '${target}' does not exist`);
  if (storage !== undefined) {
    const sp = vmNode.diskStorageProblem(storage);
    if (sp !== undefined) return rejected(sp);
  }
  if (src === newid) return rejected(`unable to create VM ${newid}: config file already exists`);
  let full = false;
  const problem = await vmNode.acquire(src, 'clone', env, (vm) => {
    if (snapname !== undefined && !vm.snapshots.some((s) => s.name === snapname))
      return `snapshot '${snapname}' does not exist`;
    const template = vm.config.keys.template === '1';
    full = opts.has('full') ? opts.get('full') === '1' : !template;
    if (!full && storage !== undefined) return "parameter 'storage' not allowed for linked clones";
    if (!full && opts.has('format')) return "parameter 'format' not allowed for linked clones";
    if (!full && !template) {
      const from =
        snapname === undefined ? vm.config : vm.snapshots.find((s) => s.name === snapname)!.config;
      const disk = Object.entries(from.keys).find(
        ([k, v]) =>
          isDriveKey(k) && parseDrive(k, v)?.volid !== undefined && !v.includes('-cloudinit'),
      );
      if (disk)
        return `Linked clone feature is not supported for${snapname ? ' a snapshot of' : ''} '${parseDrive(disk[0], disk[1])!.volid!}' (${disk[0]})`;
    }
    return undefined;
  });
  if (problem !== undefined) return rejected(problem);
  const placeholder: VmState = {
    vmid: newid,
    status: 'stopped',
    config: emptySection(),
    snapshots: [],
    fs: baseFs(),
  };
  const claim = await vmNode.claimNew(placeholder, 'clone');
  if (claim !== undefined) {
    await vmNode.release(src, env);
    return rejected(`unable to create VM ${newid}: ${claim}`);
  }
  return vmNode.locked(env, [{ id: src }, { id: newid, fresh: true }], async () => {
    const source = (await vmNode.vms.load(src))!;
    const from =
      snapname === undefined
        ? { config: source.config, fs: source.fs }
        : source.snapshots.find((s) => s.name === snapname)!;
    const config = cloneSection(from.config);
    for (const k of ['parent', 'snaptime', 'template', 'vmstate', 'lock'])
      Reflect.deleteProperty(config.keys, k);
    Object.assign(config.keys, identityKeys());
    const used = new Set<string>();
    for (const k of Object.keys(config.keys)) {
      const v = config.keys[k]!;
      if (/^unused\d+$/.test(k)) Reflect.deleteProperty(config.keys, k);
      else if (/^net\d+$/.test(k)) {
        const { props } = parseNet(v, k);
        props.set('macaddr', randomMac());
        config.keys[k] = printNet(props);
      } else if (isDriveKey(k)) {
        const d = parseDrive(k, v);
        if (
          d?.volid === undefined ||
          (d.props.get('media') === 'cdrom' && !d.volname!.endsWith('-cloudinit'))
        )
          continue;
        const props = new Map(d.props);
        const store = full ? (storage ?? d.storage!) : d.storage!;
        if (d.volname!.endsWith('-cloudinit')) props.set('file', `${store}:vm-${newid}-cloudinit`);
        else {
          const name = nextVmDisk(newid, used);
          used.add(name);
          props.set('file', full ? `${store}:${name}` : `${store}:${d.volname!}/${name}`);
        }
        config.keys[k] = printDrive(k, props);
      }
    }
    const name = opts.get('name');
    if (name !== undefined) config.keys.name = name;
    const description = opts.get('description');
    if (description !== undefined) config.description = `${description}\n`;
    await vmNode.release(newid, env, (v) => {
      v.config = config;
      v.fs = cloneFs(from.fs);
    });
    await vmNode.release(src, env);
    return done(
      `create ${full ? 'full' : 'linked'} clone of drive scsi0 (${from.config.keys.scsi0 ?? ''})\n`,
    );
  });
}
