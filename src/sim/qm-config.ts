// qm set, qm config, qm resize, qm cloudinit update, qm template: a VM's
// configuration. Set applies at once (the sim models no VM hotplug
// `[pve:pending]`; phx sets a VM's settings while it is stopped).
import { randomMac } from './node.ts';
import { encodeText, renderSection } from './conf-file.ts';
import { cloneSection, type ConfigSection } from './ct-state.ts';
import { done, rejected, type OpEnv, type Outcome } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { printConfig } from './pct-config.ts';
import { findOption } from './pct-spec.ts';
import { formatDiskSize, parseDiskSize } from './pve-formats.ts';
import {
  addUnused,
  allocateDrive,
  driveBytes,
  parseDrive,
  printDrive,
  usedVolnames,
} from './qm-drives.ts';
import { bootOrderDevices, isDriveKey, parseNet, printNet } from './qm-formats.ts';
import { vmConfigIndexed, vmConfigOptions } from './qm-spec.ts';
import type { VmNode } from './vm-node.ts';
import type { VmState } from './vm-state.ts';

const configSpec = { options: vmConfigOptions, indexed: vmConfigIndexed };

/** `/etc/pve/qemu-server/<id>.conf` as qemu-server writes it. */
export function renderVmConf(vm: VmState): string {
  let out = renderSection(vm.config, vm.lock ? { lock: vm.lock.name } : {});
  for (const snap of [...vm.snapshots].sort((a, b) => a.name.localeCompare(b.name)))
    out += `\n[${snap.name}]\n${renderSection(snap.config)}`;
  return out;
}

/** The cloud-init values a VM's drive is generated from: a change needs `qm cloudinit update`. */
export function cloudinitValues(keys: Readonly<Record<string, string>>): string {
  const ci = Object.keys(keys)
    .filter((k) =>
      /^(?:ipconfig\d+|net\d+|ciuser|cipassword|sshkeys|nameserver|searchdomain|citype)$/.test(k),
    )
    .sort()
    .map((k) => `${k}=${keys[k]!}`);
  return ci.join('\n');
}

/** Remove `key` as `qm set --delete` does: a disk's volume stays as unusedN, unusedN is freed. */
function removeVmKey(keys: Record<string, string>, key: string): void {
  const old = keys[key];
  if (old === undefined) return;
  if (isDriveKey(key)) {
    const d = parseDrive(key, old);
    if (d?.volid !== undefined && !d.volname!.endsWith('-cloudinit')) addUnused(keys, d.volid);
  }
  Reflect.deleteProperty(keys, key);
}

/** Options `qm set` handles itself rather than storing as keys. */
const notKeys = new Set(['delete', 'revert', 'digest', 'description', 'lock', 'skiplock', 'force']);

/** Apply `qm set`/`qm create` options to `vm` (mutated); an error message on refusal. */
export function applyVmOptions(
  vmNode: VmNode,
  vm: VmState,
  options: ReadonlyMap<string, string>,
): string | undefined {
  const keys = vm.config.keys;
  const deletions = (options.get('delete') ?? '').split(/[,;\s]+/).filter((k) => k !== '');
  for (const k of deletions) {
    if (options.has(k)) return `unable to delete '${k}' - option is also set`;
    if (!findOption(configSpec, k) && k !== 'description') return `invalid configuration ID '${k}'`;
  }
  if (keys.template === '1' && [...options.keys()].some((k) => isDriveKey(k)))
    return 'unable to change disks of a template';
  for (const k of deletions) {
    if (k === 'description') vm.config.description = '';
    else removeVmKey(keys, k);
  }
  const description = options.get('description');
  if (description !== undefined)
    vm.config.description = description === '' ? '' : `${description}\n`;
  const used = usedVolnames([keys, ...vm.snapshots.map((s) => s.config.keys)]);
  for (const [k, v] of options) {
    if (notKeys.has(k)) continue;
    if (isDriveKey(k)) {
      const old = keys[k];
      const r = allocateDrive(vmNode, vm.vmid, k, v, keys, used);
      if ('error' in r) return r.error;
      // A replaced disk's volume stays on the storage as unusedN.
      const before = old === undefined ? undefined : parseDrive(k, old);
      const after = parseDrive(k, r.value);
      if (before?.volid !== undefined && before.volid !== after?.volid) removeVmKey(keys, k);
      keys[k] = r.value;
    } else if (/^net\d+$/.test(k)) {
      // A NIC without a MAC gets one, as qemu-server generates it.
      const { props } = parseNet(v, k);
      if (!props.has('macaddr')) {
        const old = keys[k] === undefined ? undefined : parseNet(keys[k], k).props.get('macaddr');
        props.set('macaddr', old ?? randomMac());
      }
      keys[k] = printNet(props);
    } else if (k === 'sshkeys') keys[k] = v;
    else keys[k] = v;
  }
  const boot = keys.boot;
  if (boot !== undefined)
    for (const dev of bootOrderDevices(boot))
      if (keys[dev] === undefined) return `invalid bootorder: device '${dev}' does not exist'`;
  return undefined;
}

export function qmSet(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    if (vm.lock && a.options.get('skiplock') !== '1')
      return { result: rejected(vmNode.lockedMessage(vm)) };
    const next: VmState = { ...vm, config: cloneSection(vm.config) };
    const problem = applyVmOptions(vmNode, next, a.options);
    if (problem !== undefined) return { result: rejected(problem) };
    return { result: done(), save: next };
  });
}

function printVmConfig(section: ConfigSection, extra: Record<string, string> = {}): string {
  return printConfig(section, extra);
}

export function qmConfig(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    const snapname = a.options.get('snapshot');
    if (snapname !== undefined) {
      const snap = vm.snapshots.find((s) => s.name === snapname);
      return {
        result: snap
          ? done(printVmConfig(snap.config))
          : rejected(`snapshot '${snapname}' does not exist`),
      };
    }
    return { result: done(printVmConfig(vm.config, vm.lock ? { lock: vm.lock.name } : {})) };
  });
}

export function qmResize(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const disk = a.positionals.disk!;
  const sizeArg = a.positionals.size!;
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    if (vm.lock && a.options.get('skiplock') !== '1')
      return { result: rejected(vmNode.lockedMessage(vm)) };
    const value = vm.config.keys[disk];
    if (value === undefined) return { result: rejected(`disk '${disk}' does not exist`) };
    const d = parseDrive(disk, value);
    if (d?.volid === undefined)
      return { result: rejected(`disk '${disk}' has no associated volume`) };
    if (d.props.get('media') === 'cdrom') return { result: rejected("you can't resize a cdrom") };
    if (vm.config.keys.template === '1')
      return { result: rejected("you can't resize a template's disk") };
    const current = driveBytes(disk, value);
    const grow = sizeArg.startsWith('+');
    const amount = parseDiskSize(grow ? sizeArg.slice(1) : sizeArg)!;
    const wanted = grow ? current + amount : amount;
    if (wanted < current) return { result: rejected('shrinking disks is not supported') };
    const props = new Map(d.props);
    props.set('size', formatDiskSize(wanted));
    vm.config.keys[disk] = printDrive(disk, props);
    return { result: done(), save: vm };
  });
}

export function qmCloudinitUpdate(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return vmNode.update(id, env, (vm) => {
    if (!vm) return { result: rejected(vmNode.missingMessage(id)) };
    if (vm.lock) return { result: rejected(vmNode.lockedMessage(vm)) };
    const drive = Object.entries(vm.config.keys).find(
      ([k, v]) => isDriveKey(k) && parseDrive(k, v)?.volname?.endsWith('-cloudinit'),
    );
    if (!drive) return { result: rejected('no cloudinit drive found') };
    vm.cloudinit = cloudinitValues(vm.config.keys);
    return { result: done('generating cloud-init ISO\n'), save: vm };
  });
}

export async function qmTemplate(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const problem = await vmNode.acquire(id, 'create', env, (vm) => {
    if (vm.config.keys.template === '1') return "you can't convert a template to a template";
    if (vm.status === 'running') return "you can't convert a VM to template if VM is running";
    if (vm.snapshots.length > 0) return 'unable to create template, because VM contains snapshots';
    return undefined;
  });
  if (problem !== undefined) return rejected(problem);
  return vmNode.locked(env, [{ id }], async () => {
    await vmNode.release(id, env, (vm) => {
      // Disks become base volumes (`base-<id>-disk-<n>`): what linked clones stand on.
      for (const [k, v] of Object.entries(vm.config.keys)) {
        if (!isDriveKey(k)) continue;
        const d = parseDrive(k, v);
        if (d?.volid === undefined || d.volname!.endsWith('-cloudinit')) continue;
        const props = new Map(d.props);
        props.set('file', `${d.storage!}:${d.volname!.replace(/^vm-/, 'base-')}`);
        vm.config.keys[k] = printDrive(k, props);
      }
      vm.config.keys.template = '1';
    });
    return done();
  });
}

/** `description` encoded as qm config prints it; exported for the API views. */
export const encodeDescription = (d: string): string => encodeText(d.replace(/\n$/, ''));
