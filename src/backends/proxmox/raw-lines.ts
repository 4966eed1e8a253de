// The raw `lxc.*` lines phx owns in /etc/pve/lxc/<id>.conf: AppArmor,
// `lxc_options`, GPU passthrough and id maps. The real lxc-manager appended
// these and never removed them (phoenix-real.md §5.5); phx computes the whole
// set from the entry so reconcile can write exactly it.
import type { Guest } from '../../model/model.ts';
import { apparmorProfileProblem, parseRawLine } from '../../model/pve/lxc-keys.ts';
import { err, ok, type Result } from '../../core/result.ts';

// Raw keys and their spelling are Proxmox formats (src/model/pve/lxc-keys.ts).
export { normalizeRawLine } from '../../model/pve/lxc-keys.ts';

/**
 * Device lines for NVIDIA passthrough, as lxc-manager wrote them (§2.1):
 * control nodes once, then one /dev/nvidiaN per assigned index. Major 243 is
 * nvidia-uvm as the real project hard-coded it.
 */
export function gpuLines(gpus: readonly number[]): string[] {
  if (gpus.length === 0) return [];
  const bind = (dev: string): string =>
    `lxc.mount.entry: /dev/${dev} dev/${dev} none bind,optional,create=file`;
  return [
    'lxc.cgroup2.devices.allow: c 195:* rwm',
    'lxc.cgroup2.devices.allow: c 243:* rwm',
    bind('nvidiactl'),
    bind('nvidia-uvm'),
    bind('nvidia-uvm-tools'),
    ...[...new Set(gpus)].sort((a, b) => a - b).map((i) => bind(`nvidia${i}`)),
  ];
}

/**
 * `unconfined` writes nothing (lxc-manager deleted the line; entries that
 * want it unconfined say so in lxc_options, as every real one does). Any
 * other profile is named, with the nesting include when the profile manages
 * nesting. Loading the profile into the host's AppArmor is a host target.
 */
export function apparmorLines(config: Readonly<Record<string, unknown>>): Result<string[], string> {
  const profile = config.apparmor_profile;
  if (profile === undefined || profile === 'unconfined') return ok([]);
  if (typeof profile !== 'string')
    return err(`apparmor_profile ${JSON.stringify(profile)} is not a profile name`);
  const problem = apparmorProfileProblem(profile);
  if (problem !== undefined) return err(`apparmor_profile ${problem}`);
  const lines = [`lxc.apparmor.profile: ${profile}`];
  if (config.apparmor_manages_nesting === true) {
    lines.push('lxc.apparmor.allow_nesting: 1', 'lxc.include: /usr/share/lxc/config/nesting.conf');
  }
  return ok(lines);
}

export function lxcOptionLines(
  config: Readonly<Record<string, unknown>>,
): Result<string[], string> {
  const opts = config.lxc_options;
  if (opts === undefined) return ok([]);
  if (!Array.isArray(opts)) return err('lxc_options must be a list of "lxc.key=value" strings');
  const out: string[] = [];
  for (const o of opts as unknown[]) {
    const r = parseRawLine(o);
    if (!r.ok) return err(`lxc_options item ${r.error}`);
    out.push(`${r.value.key}: ${r.value.value}`);
  }
  return ok(out);
}

interface IdMap {
  readonly type: 'u' | 'g';
  readonly hostId: number;
  readonly containerId: number;
  readonly size: number;
}

const ID_RANGE = 65536;
const ID_OFFSET = 100000;

function parseIdMaps(raw: unknown): Result<IdMap[], string> {
  if (!Array.isArray(raw))
    return err('id_maps must be a list of {type, host_id, container_id, size}');
  const out: IdMap[] = [];
  for (const m of raw as unknown[]) {
    const o = (m ?? {}) as Record<string, unknown>;
    const type =
      o.type === 'uid' || o.type === 'u'
        ? 'u'
        : o.type === 'gid' || o.type === 'g'
          ? 'g'
          : undefined;
    const [hostId, containerId, size] = [o.host_id, o.container_id, o.size ?? 1].map(Number);
    if (
      type === undefined ||
      !Number.isInteger(hostId) ||
      !Number.isInteger(containerId) ||
      !Number.isInteger(size) ||
      hostId! < 0 ||
      containerId! < 0 ||
      size! < 1 ||
      containerId! + size! > ID_RANGE
    ) {
      return err(
        `id_maps item ${JSON.stringify(m)} needs type uid|gid and integer ids inside 0..${ID_RANGE - 1}`,
      );
    }
    out.push({ type, hostId: hostId!, containerId: containerId!, size: size! });
  }
  return ok(out);
}

/**
 * The declared maps, with every id they leave out mapped the unprivileged
 * default way (container id + 100000), so the container still has its whole
 * 0..65535 range: a declared `gid 33 → 33` becomes g 0..32, g 33→33, g 34.. .
 * The host also needs `root:33:1` in /etc/subgid (a host target's job).
 */
export function idMapLines(guest: Guest): Result<string[], string> {
  const raw = guest.config.id_maps;
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return ok([]);
  if (!guest.unprivileged)
    return err('id_maps apply to unprivileged containers only (unprivileged is false)');
  const parsed = parseIdMaps(raw);
  if (!parsed.ok) return parsed;
  const lines: string[] = [];
  for (const type of ['u', 'g'] as const) {
    const maps = parsed.value
      .filter((m) => m.type === type)
      .sort((a, b) => a.containerId - b.containerId);
    let next = 0;
    for (const m of maps) {
      if (m.containerId < next)
        return err(`id_maps: ${type}id range at ${m.containerId} overlaps another`);
      if (m.containerId > next)
        lines.push(`lxc.idmap: ${type} ${next} ${ID_OFFSET + next} ${m.containerId - next}`);
      lines.push(`lxc.idmap: ${type} ${m.containerId} ${m.hostId} ${m.size}`);
      next = m.containerId + m.size;
    }
    if (next < ID_RANGE)
      lines.push(`lxc.idmap: ${type} ${next} ${ID_OFFSET + next} ${ID_RANGE - next}`);
  }
  return ok(lines);
}

/** Every raw line the entry declares, in a stable order, each once. */
export function desiredRawLines(guest: Guest): Result<string[], string> {
  const parts = [
    apparmorLines(guest.config),
    lxcOptionLines(guest.config),
    ok(gpuLines(guest.gpus)),
    idMapLines(guest),
  ];
  const lines: string[] = [];
  for (const p of parts) {
    if (!p.ok) return p;
    lines.push(...p.value);
  }
  return ok([...new Set(lines)]);
}
