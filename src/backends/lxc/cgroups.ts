// Which resource limits this host's kernel lets LXC set. A pure cgroup2 host
// lists its controllers in /sys/fs/cgroup/cgroup.controllers; a hybrid or
// legacy host mounts one v1 hierarchy per controller under /sys/fs/cgroup/
// (and maybe a mostly empty v2 tree at unified/). LXC ignores cgroup2 keys on
// a legacy host (with only a warning), so the key must match the hierarchy
// that actually holds the controller.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupVersion = 'v1' | 'v2';

export interface CgroupCaps {
  readonly memory?: CgroupVersion;
  readonly cpu?: CgroupVersion;
  /** Swap limit: v2 memory.swap.max, or v1 memsw (only with swap accounting on). */
  readonly swap?: CgroupVersion;
  /** Device allow-lists: v2 (eBPF) or the v1 devices controller. */
  readonly devices?: CgroupVersion;
}

function v2Controllers(root: string): Set<string> {
  for (const file of [
    join(root, 'cgroup.controllers'),
    join(root, 'unified', 'cgroup.controllers'),
  ]) {
    if (existsSync(file)) return new Set(readFileSync(file, 'utf8').trim().split(/\s+/));
  }
  return new Set();
}

export function detectCgroups(root = '/sys/fs/cgroup'): CgroupCaps {
  const pureV2 = existsSync(join(root, 'cgroup.controllers'));
  const v2 = pureV2 ? v2Controllers(root) : new Set<string>();
  // On a hybrid host the v2 tree at unified/ cannot take controllers that v1 holds.
  const v1 = (c: string): boolean => !pureV2 && existsSync(join(root, c));
  const pick = (c: string): CgroupVersion | undefined =>
    v2.has(c) ? 'v2' : v1(c) ? 'v1' : undefined;
  const memory = pick('memory');
  const swap =
    memory === 'v2'
      ? 'v2'
      : memory === 'v1' && existsSync(join(root, 'memory', 'memory.memsw.limit_in_bytes'))
        ? 'v1'
        : undefined;
  return {
    ...(memory === undefined ? {} : { memory }),
    ...(pick('cpu') === undefined ? {} : { cpu: pick('cpu') }),
    ...(swap === undefined ? {} : { swap }),
    ...(pureV2 ? { devices: 'v2' as const } : v1('devices') ? { devices: 'v1' as const } : {}),
  };
}
