// Values that reach Proxmox: storage ids, the template, `net0`'s fields,
// nameservers, raw `lxc.*` lines, the AppArmor profile, pct features, mount
// paths and firewall rule fields. Each is held to src/model/pve/, the formats
// the proxmox backend checks again before it builds a command, so a value
// Proxmox would refuse mid-build (after `create` ran) is refused here, at its
// place in the file.
import type { PlacedGuest } from '../guests.ts';
import { join } from '../pointer.ts';
import type { PointerSegment } from '../pointer.ts';
import { offsetOf } from '../source.ts';
import { ruleProblems } from '../pve/firewall.ts';
import {
  absPathProblem,
  bridgeProblem,
  gw6Problem,
  ifNameProblem,
  ip6Problem,
  rangeProblem,
  searchDomainProblem,
  splitNameservers,
  storageIdProblem,
  templateProblem,
} from '../pve/formats.ts';
import { apparmorProfileProblem, parseRawLine } from '../pve/lxc-keys.ts';
import { parsePctFeatures } from '../pve/pct-features.ts';
import type { CheckContext } from './context.ts';

type Obj = Readonly<Record<string, unknown>>;
const asObj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;

/**
 * Where a value is written: in the entry, or, for a key the entry leaves out,
 * where it falls back to (the LXC file's root, or `vm_defaults`). The merge is
 * shallow, so the top key decides.
 */
function pointerOf(p: PlacedGuest, at: readonly PointerSegment[]): string {
  const entry = p.guest.source.pointer;
  const top = at[0];
  const own = top === undefined || offsetOf(p.file, join(entry, top)) !== offsetOf(p.file, entry);
  if (own) return join(entry, ...at);
  return p.guest.kind === 'lxc' ? join('', ...at) : join('/vm_defaults', ...at);
}

export function checkPveValues(ctx: CheckContext): void {
  // A fallback value is reported once, where it is written, not once per entry.
  const reported = new Set<string>();
  for (const p of ctx.placed) {
    const report = (at: readonly PointerSegment[], code: string, problem: string | undefined) => {
      if (problem === undefined) return;
      const pointer = pointerOf(p, at);
      const key = `${p.file.display}\0${pointer}`;
      if (reported.has(key)) return;
      reported.add(key);
      ctx.reporter.at(p.file, { severity: 'error', code, pointer, message: problem });
    };
    const text = (
      at: readonly PointerSegment[],
      code: string,
      check: (s: string) => string | undefined,
    ) => {
      const v = valueAt(p.guest.config, at);
      if (typeof v === 'string') report(at, code, check(v));
    };
    text(['storage_pool'], 'bad-storage-id', storageIdProblem);
    text(['network_config', 'bridge'], 'bad-bridge', bridgeProblem);
    if (p.guest.kind === 'lxc') {
      text(['template'], 'bad-template', templateProblem);
      text(['network_config', 'name'], 'bad-ifname', ifNameProblem);
      text(['network_config', 'ip6'], 'bad-ip6', ip6Problem);
      text(['network_config', 'gw6'], 'bad-gw6', gw6Problem);
      text(['network_config', 'searchdomain'], 'bad-searchdomain', searchDomainProblem);
      for (const [key, min, max] of [
        ['tag', 1, 4094],
        ['mtu', 64, 65535],
      ] as const) {
        const at = ['network_config', key];
        const v = valueAt(p.guest.config, at);
        if (v !== undefined) report(at, `bad-${key}`, rangeProblem(v, min, max));
      }
      nameservers(p, ['network_config', 'nameservers'], report);
      text(['apparmor_profile'], 'bad-apparmor-profile', apparmorProfileProblem);
      lxcOptions(p, report);
      pctOptions(p, report);
      mounts(p, report);
    } else {
      text(['network_bridge'], 'bad-bridge', bridgeProblem);
      nameservers(p, ['network_config', 'nameserver'], report);
    }
    firewall(p, report);
  }
}

type Report = (at: readonly PointerSegment[], code: string, problem: string | undefined) => void;

function valueAt(config: Obj, at: readonly PointerSegment[]): unknown {
  let node: unknown = config;
  for (const s of at) node = asObj(node)?.[s];
  return node;
}

function nameservers(p: PlacedGuest, at: readonly PointerSegment[], report: Report): void {
  const raw = valueAt(p.guest.config, at);
  if (raw !== undefined) report(at, 'bad-nameserver', splitNameservers(raw).problem);
}

function lxcOptions(p: PlacedGuest, report: Report): void {
  const opts = p.guest.config['lxc_options'];
  if (!Array.isArray(opts)) return;
  opts.forEach((o: unknown, i) => {
    const r = parseRawLine(o);
    if (!r.ok) report(['lxc_options', i], 'bad-lxc-option', r.error);
  });
}

function pctOptions(p: PlacedGuest, report: Report): void {
  const opts = p.guest.config['pct_options'];
  if (!Array.isArray(opts)) return;
  for (const { index, problem } of parsePctFeatures(opts).problems)
    report(['pct_options', index], 'bad-pct-option', problem);
}

/** Bind mounts and volumes: plain absolute paths, storage ids, one mount per path inside. */
function mounts(p: PlacedGuest, report: Report): void {
  const seen = new Map<string, string>();
  const inside = (at: readonly PointerSegment[], path: unknown) => {
    if (typeof path !== 'string') return;
    const problem = absPathProblem(path);
    report(at, 'bad-path', problem);
    if (problem !== undefined) return;
    const first = seen.get(path);
    if (first === undefined) seen.set(path, at.join('/'));
    else report(at, 'duplicate-mount', `${path} is already mounted by ${first}`);
  };
  const list = (key: string): Obj[] => {
    const v = p.guest.config[key];
    return Array.isArray(v) ? v.map((x: unknown) => asObj(x) ?? {}) : [];
  };
  list('mount_points').forEach((m, i) => {
    if (typeof m['host_path'] === 'string')
      report(['mount_points', i, 'host_path'], 'bad-path', absPathProblem(m['host_path']));
    inside(['mount_points', i, 'container_path'], m['container_path']);
  });
  list('zfs_volumes').forEach((v, i) => {
    if (typeof v['pool'] === 'string')
      report(['zfs_volumes', i, 'pool'], 'bad-storage-id', storageIdProblem(v['pool']));
    inside(['zfs_volumes', i, 'mount_point'], v['mount_point']);
  });
}

function firewall(p: PlacedGuest, report: Report): void {
  p.guest.firewall?.rules.forEach((r, i) => {
    for (const { field, problem } of ruleProblems(r))
      report(['firewall', 'rules', i, field], 'bad-firewall-rule', problem);
  });
}
