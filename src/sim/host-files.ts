// Host files of the sim node. `/etc/pve/lxc/<id>.conf` is a view of the CT's
// state: reading renders it, writing parses it and updates the CT (so `pct
// config` shows the change). `/etc/pve/firewall/<id>.fw` must parse as a PVE
// firewall file. Any other path is kept as plain text under `<dir>/host/`.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseConf, renderConf } from './conf-file.ts';
import { parseFirewall } from './firewall-file.ts';
import { clusterFirewallErrors } from './cluster-firewall.ts';
import { pendingFromSection, renderLxcConfig } from './pending.ts';
import type { LockName } from './pct-spec.ts';
import type { OpEnv, SimNode } from './node.ts';
import { writeAtomic } from './store.ts';
import { VmStore } from './vm-state.ts';
import { renderVmConf } from './qm-config.ts';

/** A host-file write the node refused: which file, and why (Proxmox-style lines). */
export class HostFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`${path}: ${problems.join(`\n${path}: `)}`);
    this.name = 'HostFileError';
  }
}

const confPath = /^\/etc\/pve\/(?:nodes\/[^/]+\/)?lxc\/(\d+)\.conf$/;
const fwPath = /^\/etc\/pve\/firewall\/(\d+)\.fw$/;
/** A VM's config: a read-only view of its state (qm changes it). */
const vmConfPath = /^\/etc\/pve\/(?:nodes\/[^/]+\/)?qemu-server\/(\d+)\.conf$/;
/** The running config update_lxc_config writes at each start (read-only here). */
const lxcConfigPath = /^\/var\/lib\/lxc\/(\d+)\/config$/;

function plainPath(dir: string, path: string): string {
  return join(dir, 'host', path.replace(/^\/+/, ''));
}

export async function readHostFile(
  node: SimNode,
  path: string,
  env: OpEnv,
): Promise<string | undefined> {
  const conf = confPath.exec(path);
  if (conf) {
    const ct = await node.read(Number(conf[1]), env);
    return ct ? renderConf(ct) : undefined;
  }
  const vmConf = vmConfPath.exec(path);
  if (vmConf) {
    const vm = await new VmStore(node.store).load(Number(vmConf[1]));
    return vm ? renderVmConf(vm) : undefined;
  }
  const running = lxcConfigPath.exec(path);
  if (running) {
    const ct = await node.read(Number(running[1]), env);
    return ct ? renderLxcConfig(ct) : undefined;
  }
  // A file no one wrote reads as a fresh install has it (/etc/subgid), or is missing.
  return readFile(plainPath(node.store.dir, path), 'utf8').catch(() => node.paths.installed(path));
}

export async function writeHostFile(
  node: SimNode,
  path: string,
  content: string,
  env: OpEnv,
): Promise<void> {
  const conf = confPath.exec(path);
  if (conf) return writeConf(node, Number(conf[1]), path, content, env);
  if (fwPath.test(path)) {
    const { errors } = parseFirewall(content);
    if (errors.length > 0) throw new HostFileError(path, errors);
  } else if (path === '/etc/pve/firewall/cluster.fw') {
    const errors = clusterFirewallErrors(content);
    if (errors.length > 0) throw new HostFileError(path, errors);
  } else if (path.startsWith('/etc/pve/')) {
    throw new HostFileError(path, ['this /etc/pve path is not modelled by the sim node']);
  }
  const target = plainPath(node.store.dir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeAtomic(target, content);
}

async function writeConf(
  node: SimNode,
  id: number,
  path: string,
  content: string,
  env: OpEnv,
): Promise<void> {
  const { conf, errors } = parseConf(content);
  if (errors.length > 0) throw new HostFileError(path, errors);
  if (conf.main.keys.rootfs === undefined)
    throw new HostFileError(path, ["missing 'rootfs' (every CT has a root filesystem)"]);
  const problem = await node.update(id, env, (ct) => {
    if (!ct)
      return {
        result: `CT ${id} does not exist (the sim creates CTs only through pct create/clone)`,
      };
    if (ct.lock) return { result: `CT ${id} is locked (${ct.lock.name})` };
    const have = ct.snapshots.map((s) => s.name).sort();
    const given = conf.snapshots.map((s) => s.name).sort();
    if (have.join('\0') !== given.join('\0')) {
      return {
        result: `snapshot sections [${given.join(', ')}] do not match the CT's snapshots [${have.join(', ')}]`,
      };
    }
    ct.config = conf.main;
    if (conf.pending === undefined) delete ct.pending;
    else ct.pending = pendingFromSection(conf.pending);
    for (const s of conf.snapshots) ct.snapshots.find((x) => x.name === s.name)!.config = s.config;
    if (conf.lock !== undefined) ct.lock = { name: conf.lock as LockName, since: Date.now() };
    return { result: undefined, save: ct };
  });
  if (problem !== undefined) throw new HostFileError(path, [problem]);
}
