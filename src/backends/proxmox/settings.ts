// The DESIRED settings of a container, computed from its entry alone (DESIGN
// §2: the keys that feed the `settings` target). Every value is format-checked
// here, so a bad value becomes one 'rejected' failure and never a command.
import { intSetting } from '../int-setting.ts';
import type { Guest } from '../../model/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  absPathProblem,
  bridgeProblem,
  gw6Problem,
  ifNameProblem,
  ip6Problem,
  rangeProblem,
  searchDomainProblem,
  isHostname,
  isIpv4,
  isIpv4Cidr,
  isMac,
  sizeGbProblem,
  splitNameservers,
  storageIdProblem,
} from '../../model/pve/formats.ts';
import { parsePctFeatures } from '../../model/pve/pct-features.ts';
import { printPropertyString } from './property-string.ts';
import { desiredRawLines } from './raw-lines.ts';

/** A mount point as declared, before it is given an mpN index. */
export type DesiredMount =
  | { readonly kind: 'bind'; readonly hostPath: string; readonly ctPath: string }
  | {
      readonly kind: 'volume';
      readonly pool: string;
      readonly sizeGb: number;
      readonly ctPath: string;
    };

export interface DesiredSettings {
  /** `pct set` keys → values, mpN numbered positionally (mount_points, then zfs_volumes). */
  readonly options: Readonly<Record<string, string>>;
  /** The same mounts, structured: reconcile matches them to live mpN to keep indices stable. */
  readonly mounts: readonly DesiredMount[];
  /** Raw `lxc.*` lines, normalised `key: value`, each once. */
  readonly rawLines: readonly string[];
  readonly rootfsSizeGb?: number;
}

/** The pct keys phx owns: live keys among these that the entry does not declare are deleted. */
export const MANAGED_KEYS: readonly string[] = [
  'hostname',
  'memory',
  'cores',
  'swap',
  'onboot',
  'startup',
  'net0',
  'nameserver',
  'searchdomain',
  'features',
];

export function isManagedKey(key: string): boolean {
  return MANAGED_KEYS.includes(key) || /^mp\d+$/.test(key);
}

export function printMount(m: DesiredMount): string {
  return m.kind === 'bind'
    ? `${m.hostPath},mp=${m.ctPath}`
    : `${m.pool}:${m.sizeGb},mp=${m.ctPath}`;
}

type Obj = Readonly<Record<string, unknown>>;
const asObj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** A whole-number setting as pct wants it: its decimal text. */
function intText(
  v: number | undefined,
  what: string,
  min: number,
  errors: string[],
): string | undefined {
  const n = intSetting(v, what, min, errors);
  return n === undefined ? undefined : String(n);
}

function net0(guest: Guest, errors: string[]): string | undefined {
  const nc = asObj(guest.config.network_config);
  if (nc === undefined) return undefined;
  const name = str(nc.name) ?? 'eth0';
  const bridge = str(nc.bridge) ?? 'vmbr0';
  const ip = str(nc.ip);
  const gw = str(nc.gw);
  const mac = str(guest.config.mac_address);
  const ip6 = str(nc.ip6);
  const gw6 = str(nc.gw6);
  const tag = str(nc.tag);
  const mtu = str(nc.mtu);
  const problems = [
    ['name', ifNameProblem(name)],
    ['bridge', bridgeProblem(bridge)],
    ['ip6', ip6 === undefined ? undefined : ip6Problem(ip6)],
    ['gw6', gw6 === undefined ? undefined : gw6Problem(gw6)],
    ['tag', tag === undefined ? undefined : rangeProblem(tag, 1, 4094)],
    ['mtu', mtu === undefined ? undefined : rangeProblem(mtu, 64, 65535)],
  ] as const;
  for (const [k, problem] of problems)
    if (problem !== undefined) errors.push(`network_config.${k} ${problem}`);
  if (ip !== undefined && ip !== 'dhcp' && ip !== 'manual' && !isIpv4Cidr(ip)) {
    errors.push(`network_config.ip "${ip}" is not an IPv4 CIDR (a.b.c.d/n), dhcp or manual`);
  }
  if (gw !== undefined && !isIpv4(gw))
    errors.push(`network_config.gw "${gw}" is not an IPv4 address`);
  if (mac !== undefined && !isMac(mac))
    errors.push(`mac_address "${mac}" is not a unicast MAC (XX:XX:XX:XX:XX:XX)`);
  return printPropertyString([
    ['name', name],
    ['bridge', bridge],
    ['ip', ip],
    ['gw', gw],
    ['ip6', ip6],
    ['gw6', gw6],
    ['tag', tag],
    ['mtu', mtu],
    ['hwaddr', mac?.toUpperCase()],
    ['firewall', guest.firewall?.enabled === true ? '1' : undefined],
  ]);
}

function searchdomain(guest: Guest, errors: string[]): string | undefined {
  const raw = str(asObj(guest.config.network_config)?.searchdomain);
  if (raw === undefined) return undefined;
  const problem = searchDomainProblem(raw);
  if (problem !== undefined) errors.push(`network_config.searchdomain ${problem}`);
  return raw.trim().split(/\s+/).join(' ');
}

function nameserver(guest: Guest, errors: string[]): string | undefined {
  const raw = asObj(guest.config.network_config)?.nameservers;
  if (raw === undefined) return undefined;
  const { ips, problem } = splitNameservers(raw);
  if (problem !== undefined) errors.push(`network_config.nameservers: ${problem}`);
  return ips.join(' ');
}

function startup(guest: Guest, errors: string[]): string | undefined {
  if (guest.bootOrder === undefined && guest.bootDelay === undefined) return undefined;
  const order = intText(guest.bootOrder, 'boot_order', 0, errors);
  const delay = intText(guest.bootDelay, 'boot_delay', 0, errors);
  // lxc-manager used the one boot_delay for both directions.
  return printPropertyString([
    ['order', order],
    ['up', delay],
    ['down', delay],
  ]);
}

function features(guest: Guest, errors: string[]): string | undefined {
  const raw = guest.config.pct_options;
  if (raw === undefined) return undefined;
  const { features: parsed, problems } = parsePctFeatures(Array.isArray(raw) ? raw : [raw]);
  for (const { problem } of problems) errors.push(`pct_options item ${problem}`);
  return parsed.length === 0 ? undefined : parsed.map((f) => `${f.key}=${f.value}`).join(',');
}

function mounts(guest: Guest, errors: string[]): DesiredMount[] {
  const out: DesiredMount[] = [];
  const list = (v: unknown, key: string): Obj[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      errors.push(`${key} must be a list`);
      return [];
    }
    return v.map((x) => asObj(x) ?? {});
  };
  // The first problem of each mount, in the words `validate` uses.
  const pathProblem = (v: unknown) =>
    typeof v === 'string' ? absPathProblem(v) : `${JSON.stringify(v)} is not a path`;
  const first = (...checks: [string, string | undefined][]) => {
    const bad = checks.find(([, p]) => p !== undefined);
    if (bad !== undefined) errors.push(`${bad[0]} ${bad[1] ?? ''}`);
    return bad === undefined;
  };
  for (const [i, m] of list(guest.config.mount_points, 'mount_points').entries()) {
    const at = `mount_points[${i}]`;
    const ok = first(
      [`${at}.host_path`, pathProblem(m.host_path)],
      [`${at}.container_path`, pathProblem(m.container_path)],
    );
    if (ok)
      out.push({ kind: 'bind', hostPath: String(m.host_path), ctPath: String(m.container_path) });
  }
  for (const [i, v] of list(guest.config.zfs_volumes, 'zfs_volumes').entries()) {
    const at = `zfs_volumes[${i}]`;
    const pool = str(v.pool) ?? '';
    const sizeGb = Number(v.size_gb);
    const ok = first(
      [`${at}.pool`, storageIdProblem(pool)],
      [`${at}.size_gb`, sizeGbProblem(sizeGb)],
      [`${at}.mount_point`, pathProblem(v.mount_point)],
    );
    if (ok) out.push({ kind: 'volume', pool, sizeGb, ctPath: String(v.mount_point) });
  }
  const paths = out.map((m) => m.ctPath);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup !== undefined) errors.push(`two mounts target ${dup} inside the container`);
  return out;
}

/** The entry's settings, or every problem found in it (joined, for one 'rejected' failure). */
export function desiredSettings(guest: Guest): Result<DesiredSettings, string> {
  const errors: string[] = [];
  if (!isHostname(guest.name))
    errors.push(`name "${guest.name}" is not a valid hostname (letters, digits, "-", ".")`);
  const options: Record<string, string | undefined> = {
    hostname: guest.name,
    memory: intText(guest.memoryMb, 'memory_mb', 16, errors),
    cores: intText(guest.cores, 'cores', 1, errors),
    swap: intText(guest.swapMb, 'swap_mb', 0, errors),
    onboot: guest.startAtBoot ? '1' : '0',
    startup: startup(guest, errors),
    net0: net0(guest, errors),
    nameserver: nameserver(guest, errors),
    searchdomain: searchdomain(guest, errors),
    features: features(guest, errors),
  };
  const ms = mounts(guest, errors);
  ms.forEach((m, i) => (options[`mp${i}`] = printMount(m)));
  const raw = desiredRawLines(guest);
  if (!raw.ok) errors.push(raw.error);
  if (guest.storageSizeGb !== undefined) intText(guest.storageSizeGb, 'storage_size_gb', 1, errors);
  if (errors.length > 0) return err(`CT ${guest.id}: ${errors.join('; ')}`);
  const defined = Object.fromEntries(
    Object.entries(options).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return ok({
    options: defined,
    mounts: ms,
    rawLines: raw.ok ? raw.value : [],
    ...(guest.storageSizeGb === undefined ? {} : { rootfsSizeGb: guest.storageSizeGb }),
  });
}
