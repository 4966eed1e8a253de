// pct create, clone, destroy, start, stop, shutdown, status, list, unlock.
import { baseFs, cloneFs, cloneSection, emptySection, type CtState } from './ct-state.ts';
import {
  done,
  randomMac,
  rejected,
  usedDiskNames,
  type OpEnv,
  type Outcome,
  type SimNode,
} from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { configIndexed, configOptions, findOption } from './pct-spec.ts';
import { netSpec, parsePropertyString, printPropertyString } from './property-string.ts';
import { removeKey } from './pct-config.ts';
import { startCt } from './pending.ts';
import { allocateVolumes, configVolumes, ownerOf } from './volumes.ts';
import { startProblem } from './ct-start-checks.ts';

const configSpec = { options: configOptions, indexed: configIndexed };

function guessOstype(template: string): string {
  const t = template.toLowerCase();
  for (const os of [
    'ubuntu',
    'debian',
    'alpine',
    'centos',
    'fedora',
    'archlinux',
    'opensuse',
    'gentoo',
    'devuan',
    'nixos',
  ]) {
    if (t.includes(os)) return os;
  }
  return 'unmanaged';
}

export async function pctCreate(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const vmid = Number(a.positionals.vmid);
  const template = a.positionals.ostemplate!;
  const opts = a.options;
  const storage = opts.get('storage') ?? 'local';
  const problems: string[] = [];
  const sp = node.storageProblem(storage);
  if (sp !== undefined) problems.push(sp);
  const tv = /^([^:/]+):(.+)$/.exec(template);
  if (tv) {
    const tp = node.storageProblem(tv[1]!);
    if (tp !== undefined) problems.push(tp);
    else if (!tv[2]!.startsWith('vztmpl/') && !tv[2]!.startsWith('backup/'))
      problems.push(`volume '${template}' is not a container template`);
  } else if (!template.startsWith('/')) problems.push(`unable to parse volume ID '${template}'`);

  const section = emptySection();
  section.keys = {
    arch: 'amd64',
    hostname: `CT${vmid}`,
    memory: '512',
    swap: '512',
    ostype: guessOstype(template),
  };
  for (const [k, v] of opts) {
    if (k === 'description') section.description = `${v}\n`;
    else if (k !== 'lock' && findOption(configSpec, k)) section.keys[k] = v;
  }
  // Without --rootfs, Proxmox puts a 4 GiB root disk on --storage.
  if (!opts.has('rootfs')) section.keys.rootfs = `${storage}:4`;
  problems.push(...allocateVolumes(node, vmid, section.keys, new Set()));
  if (problems.length > 0) return rejected(`unable to create CT ${vmid} - ${problems.join('\n')}`);

  const ct: CtState = { vmid, status: 'stopped', config: section, snapshots: [], fs: baseFs() };
  const claim = await node.claimNew(ct, 'create', env);
  if (claim !== undefined) return rejected(`unable to create CT ${vmid} - ${claim}`);
  return node.locked(env, [{ id: vmid, fresh: true }], async () => {
    await node.release(vmid, env, (c) => {
      if (opts.get('start') === '1') startCt(c, removeKey);
    });
    return done(
      `extracting archive '${template}'\nDetected container architecture: ${section.keys.arch!}\n`,
    );
  });
}

export async function pctClone(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const src = Number(a.positionals.vmid);
  const newid = Number(a.positionals.newid);
  const opts = a.options;
  const snapname = opts.get('snapname');
  const storage = opts.get('storage');
  const target = opts.get('target');
  if (target !== undefined && !node.nodeNames.includes(target))
    return rejected(`Target node '${target}' does not exist`);
  if (storage !== undefined) {
    const sp = node.storageProblem(storage);
    if (sp !== undefined) return rejected(sp);
  }
  if (src === newid) return rejected(`CT ${newid} already exists on node '${node.nodeName}'`);
  const problem = await node.acquire(src, 'disk', env, (ct) => {
    if (snapname !== undefined && !ct.snapshots.some((s) => s.name === snapname))
      return `snapshot '${snapname}' does not exist`;
    const template = ct.config.keys.template === '1';
    const full = opts.has('full') ? opts.get('full') === '1' : !template;
    if (!full && !template) return 'clone_image only works on base images';
    if (!full && storage !== undefined) return "parameter 'storage' not allowed for linked clones";
    return undefined;
  });
  if (problem !== undefined) return rejected(problem);
  const placeholder: CtState = {
    vmid: newid,
    status: 'stopped',
    config: emptySection(),
    snapshots: [],
    fs: baseFs(),
  };
  const claim = await node.claimNew(placeholder, 'create', env);
  if (claim !== undefined) {
    await node.release(src, env);
    return rejected(claim);
  }
  return node.locked(env, [{ id: src }, { id: newid, fresh: true }], async () => {
    const source = (await node.store.load(src))!;
    const from =
      snapname === undefined
        ? { config: source.config, fs: source.fs }
        : source.snapshots.find((s) => s.name === snapname)!;
    const config = cloneSection(from.config);
    delete config.keys.parent;
    delete config.keys.snaptime;
    for (const k of Object.keys(config.keys))
      if (/^unused\d+$/.test(k)) Reflect.deleteProperty(config.keys, k);
    for (const k of Object.keys(config.keys)) {
      const m = /^net\d+$/.test(k) ? parsePropertyString(config.keys[k]!, netSpec, k) : undefined;
      if (m && m.props.has('hwaddr')) {
        const next = new Map(m.props);
        next.set('hwaddr', randomMac());
        config.keys[k] = printPropertyString(next, netSpec);
      }
    }
    const errors = allocateVolumes(node, newid, config.keys, usedDiskNames([]), {
      reallocateExisting: true,
      ...(storage === undefined ? {} : { storageOverride: storage }),
    });
    if (errors.length > 0)
      throw new Error(`sim: clone of CT ${src} has unallocatable volumes: ${errors.join('; ')}`);
    const hostname = opts.get('hostname');
    if (hostname !== undefined) config.keys.hostname = hostname;
    const description = opts.get('description');
    if (description !== undefined) config.description = `${description}\n`;
    await node.release(newid, env, (c) => {
      c.config = config;
      c.fs = cloneFs(from.fs);
    });
    await node.release(src, env);
    return done(`create full clone of mountpoint rootfs (${from.config.keys.rootfs ?? ''})\n`);
  });
}

export function pctDestroy(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    if (ct.lock) return { result: rejected(`CT ${id} is locked (${ct.lock.name})`) };
    if (ct.status === 'running')
      return { result: rejected(`CT ${id} is running - destroy failed`) };
    if (ct.config.keys.protection === '1')
      return { result: rejected(`can't remove CT ${id} - protection mode enabled`) };
    // destroy_lxc_container frees the volumes of rootfs, mpN and unusedN
    // that this CT owns (their files go with the CT's state); a volume of
    // another owner is not freed, only warned about.
    const warnings = [...new Set(configVolumes(ct.config.keys).values())]
      .filter((v) => ownerOf(v) !== id)
      .map((v) => `ignore deletion of '${v}', CT ${id} isn't the owner!\n`);
    const purge = a.options.get('purge') === '1';
    return {
      result: {
        ...done(purge ? `purging CT ${id} from related configurations..\n` : ''),
        stderr: warnings.join(''),
      },
      remove: true,
    };
  });
}

/** start, stop, shutdown: status changes, refused while locked unless --skiplock. */
export function pctPower(
  node: SimNode,
  verb: 'start' | 'stop' | 'shutdown',
  a: ParsedArgs,
  env: OpEnv,
): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    if (ct.lock && a.options.get('skiplock') !== '1')
      return { result: rejected(`CT ${id} is locked (${ct.lock.name})`) };
    if (verb === 'start') {
      if (ct.status === 'running') return { result: rejected(`CT ${id} already running`) };
      const problem = startProblem(ct, node.paths);
      if (problem !== undefined) return { result: rejected(problem) };
      startCt(ct, removeKey);
    } else {
      if (ct.status !== 'running') return { result: rejected(`CT ${id} not running`) };
      ct.status = 'stopped';
    }
    return { result: done(), save: ct };
  });
}

export function pctStatus(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => ({
    result: ct ? done(`status: ${ct.status}\n`) : rejected(node.missingMessage(id)),
  }));
}

export function pctUnlock(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    delete ct.lock;
    return { result: done(), save: ct };
  });
}

export async function pctList(node: SimNode): Promise<Outcome> {
  const rows: string[] = [`${'VMID'.padEnd(10)} ${'Status'.padEnd(10)} ${'Lock'.padEnd(12)} Name`];
  for (const id of await node.store.ids()) {
    const ct = await node.store.load(id);
    if (!ct) continue;
    rows.push(
      `${String(id).padEnd(10)} ${ct.status.padEnd(10)} ${(ct.lock?.name ?? '').padEnd(12)} ${ct.config.keys.hostname ?? ''}`,
    );
  }
  return done(`${rows.join('\n')}\n`);
}
