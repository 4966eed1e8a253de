// `pvesh get` for the two paths the backend reads: a node's CT list and a
// CT's snapshot list, as JSON the way the API returns them.
import { done, rejected, type OpEnv, type Outcome, type SimNode } from './node.ts';
import { volumeSize } from './volumes.ts';

const usage = 'USAGE: pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]';

export async function pvesh(node: SimNode, words: readonly string[], env: OpEnv): Promise<Outcome> {
  const [verb, path, ...rest] = words;
  if (verb === undefined) return rejected(`ERROR: no command specified\n${usage}`);
  if (verb !== 'get')
    return rejected(`sim: pvesh ${verb} is not modelled by the sim node (only 'pvesh get')`);
  if (path === undefined) return rejected(`400 not enough arguments\n${usage}`);
  let format = 'text';
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === '--output-format') format = rest[++i] ?? '';
    else if (w.startsWith('--output-format=')) format = w.slice('--output-format='.length);
    else if (w === '--noborder' || w === '--noheader' || w === '--human-readable') continue;
    else
      return rejected(
        `Unknown option: ${w.replace(/^--?/, '')}\n400 unable to parse option\n${usage}`,
      );
  }
  if (!['json', 'json-pretty', 'text', 'yaml'].includes(format)) {
    return rejected(
      `400 Parameter verification failed.\noutput-format: value '${format}' does not have a value in the enumeration 'text, json, json-pretty, yaml'`,
    );
  }
  if (format !== 'json' && format !== 'json-pretty')
    return rejected(
      `sim: pvesh output format '${format}' is not modelled (use --output-format json)`,
    );
  const m = /^\/?nodes\/([^/]+)\/lxc(?:\/(\d+)\/snapshot)?\/?$/.exec(path);
  if (!m) return rejected(`sim: API path '${path}' is not modelled by the sim node`);
  if (!node.nodeNames.includes(m[1]!))
    return rejected(
      `500 hostname lookup '${m[1]!}' failed - failed to get address info for: ${m[1]!}: Name or service not known`,
    );
  const print = (data: unknown) =>
    done(`${format === 'json' ? JSON.stringify(data) : JSON.stringify(data, null, 4)}\n`);

  if (m[2] === undefined) {
    const list: unknown[] = [];
    for (const id of await node.store.ids()) {
      const ct = await node.peek(id, env);
      if (!ct) continue;
      const k = ct.config.keys;
      list.push({
        vmid: id,
        name: k.hostname ?? `CT${id}`,
        status: ct.status,
        type: 'lxc',
        maxmem: Number(k.memory ?? 512) * 1024 * 1024,
        maxswap: Number(k.swap ?? 512) * 1024 * 1024,
        maxdisk: k.rootfs === undefined ? 0 : (volumeSize('rootfs', k.rootfs) ?? 0),
        cpus: Number(k.cores ?? 1),
        uptime: 0,
        ...(ct.lock ? { lock: ct.lock.name } : {}),
        ...(k.template === '1' ? { template: 1 } : {}),
        ...(k.tags === undefined ? {} : { tags: k.tags }),
      });
    }
    return print(list);
  }
  const id = Number(m[2]);
  const ct = await node.peek(id, env);
  if (!ct) return rejected(node.missingMessage(id));
  const snaps: Record<string, unknown>[] = ct.snapshots.map((s) => ({
    name: s.name,
    description: s.config.description.replace(/\n$/, ''),
    snaptime: Number(s.config.keys.snaptime ?? 0),
    ...(s.config.keys.parent === undefined ? {} : { parent: s.config.keys.parent }),
  }));
  snaps.push({
    name: 'current',
    description: 'You are here!',
    running: ct.status === 'running' ? 1 : 0,
    ...(ct.config.keys.parent === undefined ? {} : { parent: ct.config.keys.parent }),
  });
  return print(snaps);
}
