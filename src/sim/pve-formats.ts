// Value formats of the Proxmox VE API (PVE 9.1, pve-common JSONSchema.pm and
// pve-container), written down as our own checks so the sim rejects exactly
// the values a real node rejects. A check returns the error lines Proxmox
// prints ("key: message"); an empty list means the value is accepted.
import { isIPv4, isIPv6 } from 'node:net';

export type Check = (value: string, key: string) => string[];

const ok: string[] = [];
const fail = (key: string, message: string): string[] => [`${key}: ${message}`];

export const vmidPattern = /^[1-9][0-9]{2,8}$/;
export const configIdPattern = /^[a-z][a-z0-9_-]+$/i;
export const storageIdPattern = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const dnsLabel = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const dnsNamePattern = new RegExp(`^${dnsLabel}(?:\\.${dnsLabel})*$`);
const macPattern = /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i;
const diskSizePattern = /^(\d+(?:\.\d+)?)([KMGT])?$/;
const tagPattern = /^[a-z0-9_][a-z0-9_\-+.]*$/i;
const poolIdPattern = /^[A-Za-z0-9_\-.]+$/;

const booleanWords = new Set(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off']);

/** PVE's parse_boolean: what `--full 1`, `--full yes`, `--full on` all mean. */
export function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (!booleanWords.has(v)) return undefined;
  return v === '1' || v === 'true' || v === 'yes' || v === 'on';
}

export const boolean: Check = (v, k) =>
  parseBoolean(v) === undefined ? fail(k, `type check ('boolean') failed - got '${v}'`) : ok;

export function integer(min?: number, max?: number): Check {
  return (v, k) => {
    if (!/^[+-]?\d+$/.test(v)) return fail(k, `type check ('integer') failed - got '${v}'`);
    const n = Number(v);
    if (min !== undefined && n < min) return fail(k, `value must have a minimum value of ${min}`);
    if (max !== undefined && n > max) return fail(k, `value must have a maximum value of ${max}`);
    return ok;
  };
}

export function number(min?: number, max?: number): Check {
  return (v, k) => {
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(v))
      return fail(k, `type check ('number') failed - got '${v}'`);
    const n = Number(v);
    if (min !== undefined && n < min) return fail(k, `value must have a minimum value of ${min}`);
    if (max !== undefined && n > max) return fail(k, `value must have a maximum value of ${max}`);
    return ok;
  };
}

export function oneOf(values: readonly string[]): Check {
  return (v, k) =>
    values.includes(v)
      ? ok
      : fail(k, `value '${v}' does not have a value in the enumeration '${values.join(', ')}'`);
}

export function text(maxLength?: number, pattern?: RegExp): Check {
  return (v, k) => {
    if (maxLength !== undefined && v.length > maxLength)
      return fail(k, `value may only be ${maxLength} characters long`);
    if (pattern && !pattern.test(v)) return fail(k, `value does not match the regex pattern`);
    return ok;
  };
}

export const vmid: Check = (v, k) => {
  const asInt = integer(100, 999999999)(v, k);
  if (asInt.length > 0) return asInt;
  return vmidPattern.test(v)
    ? ok
    : fail(k, `invalid format - value does not look like a valid VM ID`);
};

export const configId: Check = (v, k) =>
  configIdPattern.test(v) ? ok : fail(k, `invalid format - invalid configuration ID '${v}'`);

/** Snapshot names: pve-configid, at most 40 characters. */
export const snapname: Check = (v, k) => [...text(40)(v, k), ...configId(v, k)].slice(0, 1);

export const configIdList: Check = (v, k) => {
  for (const id of v.split(/[,;\s]+/).filter((s) => s !== '')) {
    if (!configIdPattern.test(id))
      return fail(k, `invalid format - invalid configuration ID '${id}'`);
  }
  return ok;
};

export const storageId: Check = (v, k) =>
  storageIdPattern.test(v)
    ? ok
    : fail(k, `invalid format - storage ID '${v}' contains illegal characters`);

export const dnsName: Check = (v, k) =>
  v.length <= 255 && dnsNamePattern.test(v)
    ? ok
    : fail(k, `invalid format - value does not look like a valid DNS name`);

export const dnsNameList: Check = (v, k) => {
  for (const name of v.split(/[,;\s]+/).filter((s) => s !== '')) {
    if (!dnsNamePattern.test(name))
      return fail(k, `invalid format - value does not look like a valid DNS name`);
  }
  return ok;
};

export const ipList: Check = (v, k) => {
  for (const ip of v.split(/[,;\s]+/).filter((s) => s !== '')) {
    const bare = ip.replace(/%[\w.-]+$/, ''); // link-local may name its interface
    if (!isIPv4(bare) && !isIPv6(bare))
      return fail(k, `invalid format - value does not look like a valid IP address`);
  }
  return ok;
};

export const tagList: Check = (v, k) => {
  for (const tag of v.split(/[,;\s]+/).filter((s) => s !== '')) {
    if (!tagPattern.test(tag)) return fail(k, `invalid format - invalid tag '${tag}'`);
  }
  return ok;
};

export const poolId: Check = (v, k) =>
  poolIdPattern.test(v) ? ok : fail(k, `invalid format - invalid pool ID '${v}'`);

export const ipv4: Check = (v, k) =>
  isIPv4(v) ? ok : fail(k, `invalid format - value does not look like a valid IPv4 address`);
export const ipv6: Check = (v, k) =>
  isIPv6(v) ? ok : fail(k, `invalid format - value does not look like a valid IPv6 address`);

function cidr(v: string, family: 4 | 6): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const bits = Number(m[2]);
  return family === 4 ? isIPv4(m[1]!) && bits <= 32 : isIPv6(m[1]!) && bits <= 128;
}

export const ipv4Config: Check = (v, k) =>
  v === 'dhcp' || v === 'manual' || cidr(v, 4)
    ? ok
    : fail(k, `invalid format - invalid IPv4 configuration '${v}' (IPv4/CIDR|dhcp|manual)`);
export const ipv6Config: Check = (v, k) =>
  ['auto', 'dhcp', 'manual'].includes(v) || cidr(v, 6)
    ? ok
    : fail(k, `invalid format - invalid IPv6 configuration '${v}' (IPv6/CIDR|auto|dhcp|manual)`);

export const macAddr: Check = (v, k) =>
  macPattern.test(v)
    ? ok
    : fail(k, `invalid format - value does not look like a valid unicast MAC address`);

/** Bytes of a pve disk-size ("16G", "512M", "1.5T"); no unit means bytes. */
export function parseDiskSize(v: string): number | undefined {
  const m = diskSizePattern.exec(v);
  if (!m) return undefined;
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2] ?? ''] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** PVE prints sizes in the largest unit that divides them. */
export function formatDiskSize(bytes: number): string {
  for (const [unit, f] of [
    ['T', 1024 ** 4],
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes >= f && bytes % f === 0) return `${bytes / f}${unit}`;
  }
  return String(bytes);
}

export const diskSize: Check = (v, k) =>
  parseDiskSize(v) === undefined
    ? fail(k, `invalid format - unable to parse disk size '${v}'`)
    : ok;

/** A path inside the CT: absolute, no `.`/`..` components (pve-lxc-mp-string). */
export const ctPath: Check = (v, k) =>
  v.startsWith('/') && !v.split('/').some((c) => c === '.' || c === '..')
    ? ok
    : fail(
        k,
        `invalid format - mount point path '${v}' must be absolute and may not contain '.' or '..' components`,
      );

/** A volume: `<storage>:<name or size in GiB>`, or an absolute host path (bind mount). */
export const lxcVolume: Check = (v, k) => {
  if (v.startsWith('/')) return ctPath(v, k);
  const m = /^([^:]+):(.+)$/.exec(v);
  if (!m) return fail(k, `invalid format - unable to parse volume ID '${v}'`);
  return storageId(m[1]!, k);
};

export const octalMode: Check = (v, k) =>
  /^0[0-7]{3}$/.test(v) ? ok : fail(k, `invalid format - value does not match the regex pattern`);

export const timezone: Check = (v, k) =>
  v === 'host' || /^[A-Za-z0-9_+\-/]+$/.test(v)
    ? ok
    : fail(k, `invalid format - invalid time zone '${v}'`);

/** Anything non-empty: formats the sim does not model beyond their presence. */
export const anyString: Check = (v, k) => (v === '' ? fail(k, `value must not be empty`) : ok);
