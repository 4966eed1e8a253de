// `pvesh` for the qemu paths the backend uses: a node's VM list, a VM's
// snapshot list (JSON, as the API returns them) and the agent's file-write.
// Other qemu paths are refused as not modelled.
import { done, rejected, type OpEnv, type Outcome } from './node.ts';
import { agentFileWrite } from './qm-agent.ts';
import { driveBytes } from './qm-drives.ts';
import type { VmNode } from './vm-node.ts';

const qemuPath = /^\/?nodes\/([^/]+)\/qemu(?:\/(\d+)(\/.*)?)?\/?$/;

/** Whether a pvesh command line addresses a qemu path (and so is answered here). */
export function isQemuPvesh(words: readonly string[]): boolean {
  return qemuPath.test(words[1] ?? '');
}

function parseParams(words: readonly string[]): { params: Map<string, string>; error?: string } {
  const params = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) return { params, error: `400 too many arguments` };
    const body = w.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) params.set(body.slice(0, eq), body.slice(eq + 1));
    else if (words[i + 1] === undefined)
      return { params, error: `Option ${body} requires an argument` };
    else params.set(body, words[++i]!);
  }
  return { params };
}

export async function vmPvesh(
  vmNode: VmNode,
  words: readonly string[],
  env: OpEnv,
): Promise<Outcome> {
  const [verb, path, ...rest] = words;
  const m = qemuPath.exec(path ?? '')!;
  if (!vmNode.node.nodeNames.includes(m[1]!))
    return rejected(
      `500 hostname lookup '${m[1]!}' failed - failed to get address info for: ${m[1]!}: Name or service not known`,
    );
  const { params, error } = parseParams(rest);
  if (error !== undefined) return rejected(error);
  const format = params.get('output-format') ?? 'text';
  params.delete('output-format');
  const print = (data: unknown) =>
    done(`${format === 'json' ? JSON.stringify(data) : JSON.stringify(data, null, 4)}\n`);
  const id = m[2] === undefined ? undefined : Number(m[2]);
  const sub = m[3] ?? '';

  if (verb === 'get' && id === undefined) {
    const list: unknown[] = [];
    for (const vmid of await vmNode.vms.ids()) {
      const vm = await vmNode.vms.load(vmid);
      if (!vm) continue;
      const k = vm.config.keys;
      list.push({
        vmid,
        name: k.name ?? `VM ${vmid}`,
        status: vm.status,
        maxmem: Number((k.memory ?? '512').replace(/^current=/, '')) * 1024 * 1024,
        maxdisk: k.scsi0 === undefined ? 0 : driveBytes('scsi0', k.scsi0),
        cpus: Number(k.cores ?? 1) * Number(k.sockets ?? 1),
        uptime: 0,
        ...(vm.lock ? { lock: vm.lock.name } : {}),
        ...(k.template === '1' ? { template: 1 } : {}),
      });
    }
    return print(list);
  }
  if (id === undefined) return rejected(`sim: pvesh ${verb ?? ''} ${path ?? ''} is not modelled`);
  if (verb === 'get' && sub === '/snapshot') {
    const vm = await vmNode.read(id, env);
    if (!vm) return rejected(vmNode.missingMessage(id));
    const snaps: Record<string, unknown>[] = vm.snapshots.map((s) => ({
      name: s.name,
      description: s.config.description.replace(/\n$/, ''),
      snaptime: Number(s.config.keys.snaptime ?? 0),
      vmstate: 0,
      ...(s.config.keys.parent === undefined ? {} : { parent: s.config.keys.parent }),
    }));
    snaps.push({
      name: 'current',
      description: 'You are here!',
      running: vm.status === 'running' ? 1 : 0,
      ...(vm.config.keys.parent === undefined ? {} : { parent: vm.config.keys.parent }),
    });
    return print(snaps);
  }
  if (verb === 'create' && sub === '/agent/file-write') {
    const r = await agentFileWrite(vmNode, id, params, env);
    return r.exitCode === 0 ? done('') : r;
  }
  return rejected(`sim: pvesh ${verb ?? ''} ${path ?? ''} is not modelled by the sim node`);
}

/**
 * A command line as the node's journal keeps it: the agent file-write's
 * content (a pushed file, maybe an entry with resolved secrets) replaced by
 * its length.
 */
export function journalArgv(argv: readonly string[]): readonly string[] {
  const at = argv.indexOf('--content');
  if (at < 0 || posixBase(argv[0]) !== 'pvesh') return argv;
  const out = [...argv];
  out[at + 1] = `<${argv[at + 1]?.length ?? 0} chars>`;
  return out;
}

const posixBase = (p: string | undefined): string => (p ?? '').split('/').pop() ?? '';
