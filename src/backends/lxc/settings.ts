// The DESIRED LXC config lines of a container, computed from its entry and
// what this host's cgroups allow. Every value is format-checked first, so a
// bad value becomes one 'rejected' failure and never a config line. What the
// lxc backend cannot express (ZFS volumes, pct features, id shifting) comes
// back as notes for the log: reported, not silently dropped.
import { intSetting } from '../int-setting.ts';
import type { Guest } from '../../model/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  isBridge,
  isHostname,
  isIfName,
  isIpv4,
  isIpv4Cidr,
  isIpv6Cidr,
  ip6Problem,
  gw6Problem,
  rangeProblem,
  isMac,
  isSafeAbsPath,
} from '../../model/pve/formats.ts';
import { apparmorLines, gpuLines, lxcOptionLines } from '../proxmox/raw-lines.ts';
import type { ConfigLine } from './config-file.ts';
import type { CgroupCaps } from './cgroups.ts';

export interface DesiredLxcSettings {
  readonly lines: readonly ConfigLine[];
  /** Bridges the config attaches to: they must exist before the container can start. */
  readonly bridges: readonly string[];
  /** Declared settings this backend does not apply, one sentence each. */
  readonly notes: readonly string[];
}

type Obj = Readonly<Record<string, unknown>>;
const asObj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const MiB = 1024 * 1024;
const CPU_PERIOD_US = 100_000;

/** `lxc.key: value` (the form the shared raw-line helpers produce) → a config line. */
function fromRaw(raw: string): ConfigLine {
  const i = raw.indexOf(':');
  return { key: raw.slice(0, i).trim(), value: raw.slice(i + 1).trim() };
}

function broadcast(cidr: string): string {
  const [ip = '', bits = '32'] = cidr.split('/');
  const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const hostBits = 32 - Number(bits);
  const b =
    hostBits === 0 ? n : Math.floor(n / 2 ** hostBits) * 2 ** hostBits + (2 ** hostBits - 1);
  return [24, 16, 8, 0].map((s) => Math.floor(b / 2 ** s) % 256).join('.');
}

function network(
  guest: Guest,
  errors: string[],
  notes: string[],
): { lines: ConfigLine[]; bridge?: string } {
  const nc = asObj(guest.config.network_config);
  // No declared network: a network namespace with loopback only, never the host's.
  if (nc === undefined) return { lines: [{ key: 'lxc.net.0.type', value: 'empty' }] };
  const name = str(nc.name) ?? 'eth0';
  const bridge = str(nc.bridge) ?? 'vmbr0';
  const ip = str(nc.ip);
  const gw = str(nc.gw);
  const mac = str(guest.config.mac_address);
  if (!isIfName(name)) errors.push(`network_config.name "${name}" is not an interface name`);
  if (!isBridge(bridge)) errors.push(`network_config.bridge "${bridge}" is not a bridge name`);
  if (ip !== undefined && ip !== 'dhcp' && ip !== 'manual' && !isIpv4Cidr(ip))
    errors.push(`network_config.ip "${ip}" is not an IPv4 CIDR (a.b.c.d/n), dhcp or manual`);
  if (gw !== undefined && !isIpv4(gw))
    errors.push(`network_config.gw "${gw}" is not an IPv4 address`);
  if (mac !== undefined && !isMac(mac))
    errors.push(`mac_address "${mac}" is not a unicast MAC (XX:XX:XX:XX:XX:XX)`);
  if (ip === 'dhcp')
    notes.push(
      'network_config.ip "dhcp": LXC sets no address; the guest\'s own DHCP client must ask for one',
    );
  if (nc.nameservers !== undefined)
    notes.push(
      "network_config.nameservers: not applied (LXC has no nameserver key; the guest's resolv.conf is its own)",
    );
  const ip6 = str(nc.ip6);
  const gw6 = str(nc.gw6);
  const mtu = str(nc.mtu);
  if (ip6 !== undefined && ip6Problem(ip6) !== undefined)
    errors.push(`network_config.ip6 ${ip6Problem(ip6) ?? ''}`);
  if (gw6 !== undefined && gw6Problem(gw6) !== undefined)
    errors.push(`network_config.gw6 ${gw6Problem(gw6) ?? ''}`);
  if (mtu !== undefined && rangeProblem(mtu, 64, 65535) !== undefined)
    errors.push(`network_config.mtu ${rangeProblem(mtu, 64, 65535) ?? ''}`);
  if (nc.tag !== undefined)
    notes.push('network_config.tag: not applied (a veth on an LXC bridge carries no VLAN tag)');
  if (nc.searchdomain !== undefined)
    notes.push("network_config.searchdomain: not applied (the guest's resolv.conf is its own)");
  const static6 = ip6 !== undefined && isIpv6Cidr(ip6);
  if (ip6 !== undefined && !static6)
    notes.push(`network_config.ip6 "${ip6}": LXC sets no address; the guest configures it`);
  const static4 = ip !== undefined && isIpv4Cidr(ip);
  const lines: ConfigLine[] = [
    { key: 'lxc.net.0.type', value: 'veth' },
    { key: 'lxc.net.0.link', value: bridge },
    { key: 'lxc.net.0.name', value: name },
    { key: 'lxc.net.0.flags', value: 'up' },
    ...(mac === undefined ? [] : [{ key: 'lxc.net.0.hwaddr', value: mac.toLowerCase() }]),
    // LXC computes a wrong broadcast (0.0.0.255) unless it is given one.
    ...(static4 ? [{ key: 'lxc.net.0.ipv4.address', value: `${ip} ${broadcast(ip)}` }] : []),
    ...(static4 && gw !== undefined ? [{ key: 'lxc.net.0.ipv4.gateway', value: gw }] : []),
    ...(static6 ? [{ key: 'lxc.net.0.ipv6.address', value: ip6 }] : []),
    ...(static6 && gw6 !== undefined ? [{ key: 'lxc.net.0.ipv6.gateway', value: gw6 }] : []),
    ...(mtu === undefined ? [] : [{ key: 'lxc.net.0.mtu', value: mtu }]),
  ];
  return { lines, bridge };
}

function limits(guest: Guest, caps: CgroupCaps, errors: string[], notes: string[]): ConfigLine[] {
  const out: ConfigLine[] = [];
  const memory = intSetting(guest.memoryMb, 'memory_mb', 16, errors);
  const swap = intSetting(guest.swapMb, 'swap_mb', 0, errors);
  const cores = intSetting(guest.cores, 'cores', 1, errors);
  if (memory !== undefined) {
    if (caps.memory === 'v2')
      out.push({ key: 'lxc.cgroup2.memory.max', value: String(memory * MiB) });
    else if (caps.memory === 'v1')
      out.push({ key: 'lxc.cgroup.memory.limit_in_bytes', value: String(memory * MiB) });
    else
      notes.push(`memory_mb ${memory}: not applied (this kernel has no memory cgroup controller)`);
  }
  if (swap !== undefined) {
    if (caps.swap === 'v2')
      out.push({ key: 'lxc.cgroup2.memory.swap.max', value: String(swap * MiB) });
    else if (caps.swap === 'v1' && memory !== undefined)
      // v1 limits memory+swap together.
      out.push({
        key: 'lxc.cgroup.memory.memsw.limit_in_bytes',
        value: String((memory + swap) * MiB),
      });
    else
      notes.push(
        `swap_mb ${swap}: not applied (no swap limit in this kernel's cgroups, or no memory_mb to add it to)`,
      );
  }
  if (cores !== undefined) {
    // A CPU-time quota of `cores` CPUs: unlike a cpuset it never names CPUs the host lacks.
    if (caps.cpu === 'v2')
      out.push({ key: 'lxc.cgroup2.cpu.max', value: `${cores * CPU_PERIOD_US} ${CPU_PERIOD_US}` });
    else if (caps.cpu === 'v1')
      out.push(
        { key: 'lxc.cgroup.cpu.cfs_period_us', value: String(CPU_PERIOD_US) },
        { key: 'lxc.cgroup.cpu.cfs_quota_us', value: String(cores * CPU_PERIOD_US) },
      );
    else notes.push(`cores ${cores}: not applied (this kernel has no cpu cgroup controller)`);
  }
  return out;
}

function startup(guest: Guest, errors: string[]): ConfigLine[] {
  const order = intSetting(guest.bootOrder, 'boot_order', 0, errors);
  const delay = intSetting(guest.bootDelay, 'boot_delay', 0, errors);
  return [
    ...(guest.startAtBoot ? [{ key: 'lxc.start.auto', value: '1' }] : []),
    ...(order === undefined ? [] : [{ key: 'lxc.start.order', value: String(order) }]),
    ...(delay === undefined ? [] : [{ key: 'lxc.start.delay', value: String(delay) }]),
  ];
}

function bindMounts(guest: Guest, errors: string[]): ConfigLine[] {
  const raw = guest.config.mount_points;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push('mount_points must be a list');
    return [];
  }
  const out: ConfigLine[] = [];
  for (const [i, m] of (raw as unknown[]).entries()) {
    const host = str(asObj(m)?.host_path);
    const ct = str(asObj(m)?.container_path);
    if (host === undefined || !isSafeAbsPath(host) || ct === undefined || !isSafeAbsPath(ct))
      errors.push(`mount_points[${i}] needs plain absolute host_path and container_path`);
    // The target is relative to the rootfs, as lxc.mount.entry wants it.
    else
      out.push({
        key: 'lxc.mount.entry',
        value: `${host} ${ct.slice(1)} none bind,create=dir 0 0`,
      });
  }
  return out;
}

function unsupported(guest: Guest, notes: string[]): void {
  const c = guest.config;
  const has = (k: string): boolean =>
    c[k] !== undefined && !(Array.isArray(c[k]) && c[k].length === 0);
  if (has('zfs_volumes'))
    notes.push('zfs_volumes: not applied (the lxc backend has no storage pools; use mount_points)');
  if (has('pct_options'))
    notes.push(
      `pct_options ${JSON.stringify(c.pct_options)}: not applied (pct features have no plain LXC equivalent)`,
    );
  if (guest.unprivileged)
    notes.push(
      'unprivileged: the lxc backend runs privileged containers (the rootfs is not id-shifted)',
    );
  if (has('id_maps')) notes.push('id_maps: not applied (only unprivileged containers map ids)');
}

export function desiredLxcSettings(
  guest: Guest,
  caps: CgroupCaps,
): Result<DesiredLxcSettings, string> {
  const errors: string[] = [];
  const notes: string[] = [];
  if (!isHostname(guest.name))
    errors.push(`name "${guest.name}" is not a valid hostname (letters, digits, "-", ".")`);
  const net = network(guest, errors, notes);
  const raw: string[] = [];
  for (const r of [apparmorLines(guest.config), lxcOptionLines(guest.config)]) {
    if (r.ok) raw.push(...r.value);
    else errors.push(r.error);
  }
  // GPU device lines are written for cgroup2; a legacy host needs the v1 key.
  const gpu = gpuLines(guest.gpus).map((l) =>
    caps.devices === 'v1' ? l.replace(/^lxc\.cgroup2\.devices\./, 'lxc.cgroup.devices.') : l,
  );
  const lines: ConfigLine[] = [
    { key: 'lxc.uts.name', value: guest.name },
    ...net.lines,
    ...limits(guest, caps, errors, notes),
    ...startup(guest, errors),
    ...bindMounts(guest, errors),
    ...[...gpu, ...raw].map(fromRaw),
  ];
  unsupported(guest, notes);
  if (errors.length > 0) return err(errors.join('; '));
  return ok({
    lines,
    bridges: net.bridge === undefined ? [] : [net.bridge],
    notes,
  });
}
