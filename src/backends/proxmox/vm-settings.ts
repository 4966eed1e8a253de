// The DESIRED settings of a VM, computed from its entry alone, and the
// reconcile against its live /etc/pve/qemu-server/<id>.conf: one `qm set`
// (values that differ, `--delete` for managed keys the entry no longer
// declares), disk growth (never shrink), and `qm cloudinit update` when a
// value the cloud-init drive carries changed. Pure: "the second apply is a
// no-op" is a unit test, and drift is this plan.
import { intSetting } from '../int-setting.ts';
import type { Guest } from '../../model/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  bridgeProblem,
  isHostname,
  isIpv4,
  isIpv4Cidr,
  isMac,
  searchDomainProblem,
  splitNameservers,
} from '../../model/pve/formats.ts';
import type { LiveConf } from './conf-file.ts';
import { parsePropertyString, parseSizeGb, printPropertyString } from './property-string.ts';

export interface DesiredVmSettings {
  /** `qm set` keys → values. */
  readonly options: Readonly<Record<string, string>>;
  /** scsi0's size in GiB, grown to when smaller. */
  readonly diskSizeGb?: number;
}

/** The qm keys phx owns on a VM: live ones the entry does not declare are deleted. */
export const VM_MANAGED_KEYS: readonly string[] = [
  'name',
  'memory',
  'cores',
  'net0',
  'ipconfig0',
  'nameserver',
  'searchdomain',
  'ciuser',
  'sshkeys',
  'onboot',
  'startup',
  'agent',
];

/** Keys the cloud-init drive is generated from: a change needs `qm cloudinit update`. */
export const CLOUDINIT_KEYS: readonly string[] = [
  'net0',
  'ipconfig0',
  'nameserver',
  'searchdomain',
  'ciuser',
  'sshkeys',
];

/** The boot disk phx creates and resizes. */
export const BOOT_DISK = 'scsi0';

type Obj = Readonly<Record<string, unknown>>;
const asObj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** The bridge a VM's NIC joins: network_config.bridge, else network_bridge (vm_defaults), else vmbr0. */
export function vmBridge(guest: Guest): string {
  return (
    str(asObj(guest.config.network_config)?.bridge) ?? str(guest.config.network_bridge) ?? 'vmbr0'
  );
}

function net0(guest: Guest, errors: string[]): string {
  const bridge = vmBridge(guest);
  const problem = bridgeProblem(bridge);
  if (problem !== undefined) errors.push(`network bridge ${problem}`);
  const mac = str(guest.config.mac_address);
  if (mac !== undefined && !isMac(mac))
    errors.push(`mac_address "${mac}" is not a unicast MAC (XX:XX:XX:XX:XX:XX)`);
  // `virtio=<MAC>` pins the MAC; bare `virtio` lets Proxmox pick one.
  const model = mac === undefined ? 'virtio' : `virtio=${mac.toUpperCase()}`;
  const rest = printPropertyString([
    ['bridge', bridge],
    ['firewall', guest.firewall?.enabled === true ? '1' : undefined],
  ]);
  return `${model},${rest}`;
}

function ipconfig0(guest: Guest, errors: string[]): string | undefined {
  const nc = asObj(guest.config.network_config);
  const ip = str(nc?.ip);
  const gw = str(nc?.gw);
  if (ip === undefined && gw === undefined) return undefined;
  if (ip !== undefined && ip !== 'dhcp' && !isIpv4Cidr(ip))
    errors.push(`network_config.ip "${ip}" is not an IPv4 CIDR (a.b.c.d/n) or dhcp`);
  if (gw !== undefined && !isIpv4(gw))
    errors.push(`network_config.gw "${gw}" is not an IPv4 address`);
  if (gw !== undefined && ip === 'dhcp') errors.push('network_config.gw is set but ip is dhcp');
  return printPropertyString([
    ['ip', ip],
    ['gw', gw],
  ]);
}

function nameserver(guest: Guest, errors: string[]): string | undefined {
  const nc = asObj(guest.config.network_config);
  const raw = nc?.nameserver ?? nc?.nameservers;
  if (raw === undefined) return undefined;
  const { ips, problem } = splitNameservers(raw);
  if (problem !== undefined) errors.push(`network_config.nameserver: ${problem}`);
  return ips.join(' ');
}

function searchdomain(guest: Guest, errors: string[]): string | undefined {
  const raw = str(asObj(guest.config.network_config)?.searchdomain);
  if (raw === undefined) return undefined;
  const problem = searchDomainProblem(raw);
  if (problem !== undefined) errors.push(`network_config.searchdomain ${problem}`);
  return raw.trim().split(/\s+/).join(' ');
}

/**
 * `sshkeys`: user_config.ssh_keys (a list or one string), one key per line,
 * URL-encoded as the API wants it (encodeURIComponent leaves exactly the
 * characters pve-common's `urlencoded` format allows).
 */
function sshkeys(guest: Guest, errors: string[]): string | undefined {
  const uc = asObj(guest.config.user_config);
  const raw = uc?.ssh_keys ?? uc?.ssh_authorized_keys;
  if (raw === undefined) return undefined;
  const keys = (Array.isArray(raw) ? raw : [raw]).map(str);
  if (keys.some((k) => k === undefined || k.includes('\n') || k.trim() === '')) {
    errors.push('user_config.ssh_keys must be one key per string');
    return undefined;
  }
  return encodeURIComponent(`${(keys as string[]).map((k) => k.trim()).join('\n')}\n`);
}

function startup(guest: Guest, errors: string[]): string | undefined {
  if (guest.bootOrder === undefined && guest.bootDelay === undefined) return undefined;
  const order = intSetting(guest.bootOrder, 'boot_order', 0, errors);
  const delay = intSetting(guest.bootDelay, 'boot_delay', 0, errors);
  return printPropertyString([
    ['order', order === undefined ? undefined : String(order)],
    ['up', delay === undefined ? undefined : String(delay)],
    ['down', delay === undefined ? undefined : String(delay)],
  ]);
}

/** The VM's settings, or every problem found in it (joined, for one 'rejected' failure). */
export function desiredVmSettings(guest: Guest): Result<DesiredVmSettings, string> {
  const errors: string[] = [];
  if (!isHostname(guest.name))
    errors.push(`name "${guest.name}" is not a valid DNS name (letters, digits, "-", ".")`);
  const memory = intSetting(guest.memoryMb, 'memory_mb', 16, errors);
  const cores = intSetting(guest.cores, 'cores', 1, errors);
  const username = str(asObj(guest.config.user_config)?.username);
  const options: Record<string, string | undefined> = {
    name: guest.name,
    memory: memory === undefined ? undefined : String(memory),
    cores: cores === undefined ? undefined : String(cores),
    net0: net0(guest, errors),
    ipconfig0: ipconfig0(guest, errors),
    nameserver: nameserver(guest, errors),
    searchdomain: searchdomain(guest, errors),
    ciuser: username,
    sshkeys: sshkeys(guest, errors),
    onboot: guest.startAtBoot ? '1' : '0',
    startup: startup(guest, errors),
    agent: '1',
  };
  const disk = intSetting(guest.storageSizeGb, 'disk_size_gb', 1, errors);
  if (errors.length > 0) return err(`VM ${guest.id}: ${errors.join('; ')}`);
  return ok({
    options: Object.fromEntries(
      Object.entries(options).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    ...(disk === undefined ? {} : { diskSizeGb: disk }),
  });
}

export interface VmReconcilePlan {
  readonly set: readonly (readonly [string, string])[];
  readonly delete: readonly string[];
  /** The boot disk's size to grow to (GiB), when it is smaller. */
  readonly resizeGb?: number;
  /** Whether the cloud-init drive must be regenerated (a cloud-init value changed). */
  readonly cloudinit: boolean;
  readonly notes: readonly string[];
}

/** Whether a live value already says what the desired one says (PVE re-prints some). */
export function sameVmOption(key: string, desired: string, live: string | undefined): boolean {
  if (live === undefined) return false;
  if (key === 'net0') {
    // `virtio=MAC` is model + MAC; a MAC the entry does not pin is Proxmox's.
    const norm = (s: string, keepMac: boolean) => {
      const m = parsePropertyString(s);
      for (const [k, v] of [...m]) {
        if (/^(?:virtio|e1000|rtl8139|vmxnet3)$/.test(k)) {
          m.delete(k);
          m.set('model', k);
          if (keepMac && v !== '') m.set('macaddr', v.toUpperCase());
        }
      }
      if (m.get('firewall') === '0') m.delete('firewall');
      return [...m].sort().join(',');
    };
    const pinned = /^[a-z0-9]+=/.test(desired.split(',')[0] ?? '');
    return norm(desired, pinned) === norm(live, pinned);
  }
  if (key === 'memory') return desired === live.replace(/^current=/, '');
  if (key === 'agent') return parsePropertyString(live, 'enabled').get('enabled') === '1';
  if (key === 'startup') {
    const a = parsePropertyString(desired, 'order');
    const b = parsePropertyString(live, 'order');
    return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  }
  if (key === 'ipconfig0') {
    const a = parsePropertyString(desired);
    const b = parsePropertyString(live);
    return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  }
  if (key === 'nameserver')
    return desired.split(/[\s,;]+/).join(' ') === live.split(/[\s,;]+/).join(' ');
  return desired === live.trim();
}

/** scsi0's live size in GiB, or undefined when it has none. */
export function liveDiskGb(conf: LiveConf): number | undefined {
  const v = conf.options.get(BOOT_DISK);
  if (v === undefined) return undefined;
  const size = parsePropertyString(v, 'file').get('size');
  return size === undefined ? undefined : parseSizeGb(size);
}

export function reconcileVm(desired: DesiredVmSettings, conf: LiveConf): VmReconcilePlan {
  const set: [string, string][] = [];
  const del: string[] = [];
  const notes: string[] = [];
  for (const [k, v] of Object.entries(desired.options))
    if (!sameVmOption(k, v, conf.options.get(k))) set.push([k, v]);
  for (const k of VM_MANAGED_KEYS)
    if (desired.options[k] === undefined && conf.options.has(k)) del.push(k);
  let resizeGb: number | undefined;
  const live = liveDiskGb(conf);
  if (desired.diskSizeGb !== undefined && live !== undefined) {
    if (live < desired.diskSizeGb) resizeGb = desired.diskSizeGb;
    else if (live > desired.diskSizeGb)
      notes.push(
        `${BOOT_DISK} is ${live}G, larger than disk_size_gb ${desired.diskSizeGb}: disks only grow, left as is`,
      );
  }
  const isTemplate = conf.options.get('template') === '1';
  const hasCloudinit = [...conf.options.values()].some((v) => /:vm-\d+-cloudinit\b/.test(v));
  const cloudinit =
    hasCloudinit &&
    !isTemplate &&
    [...set.map(([k]) => k), ...del].some((k) => CLOUDINIT_KEYS.includes(k));
  return { set, delete: del, ...(resizeGb === undefined ? {} : { resizeGb }), cloudinit, notes };
}
