// Proxmox property strings (`name=eth0,bridge=vmbr0,ip=dhcp`): parsing and
// the per-key formats of the CT options that use them (net[n], mp[n], rootfs,
// features, startup, dev[n], unused[n]), as the PVE 9.1 API declares them.
import {
  boolean,
  ctPath,
  diskSize,
  integer,
  ipv4,
  ipv4Config,
  ipv6,
  ipv6Config,
  lxcVolume,
  macAddr,
  number,
  octalMode,
  oneOf,
  text,
  type Check,
} from './pve-formats.ts';

export interface PropertyKey {
  readonly check: Check;
  readonly required?: boolean;
}

export interface PropertyStringSpec {
  readonly keys: Readonly<Record<string, PropertyKey>>;
  /** The key a bare value (no `=`) belongs to, e.g. `volume` in `local:8,mp=/x`. */
  readonly defaultKey?: string;
}

export type ParsedProperties = ReadonlyMap<string, string>;

/** Split `k=v,k=v` into a map; errors as Proxmox prints them. */
export function parsePropertyString(
  value: string,
  spec: PropertyStringSpec,
  key: string,
): { props: ParsedProperties; errors: string[] } {
  const props = new Map<string, string>();
  const errors: string[] = [];
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let k: string;
    let v: string;
    if (eq < 0) {
      if (spec.defaultKey === undefined) {
        errors.push(`${key}: invalid format - missing key in comma-separated list property`);
        continue;
      }
      k = spec.defaultKey;
      v = part;
    } else {
      k = part.slice(0, eq);
      v = part.slice(eq + 1);
    }
    if (props.has(k)) {
      errors.push(`${key}: invalid format - duplicate key in comma-separated list property: ${k}`);
      continue;
    }
    const keySpec = spec.keys[k];
    if (!keySpec) {
      errors.push(
        `${key}.${k}: property is not defined in schema and the schema does not allow additional properties`,
      );
      continue;
    }
    errors.push(...keySpec.check(v, `${key}.${k}`));
    props.set(k, v);
  }
  for (const [k, keySpec] of Object.entries(spec.keys)) {
    if (keySpec.required && !props.has(k))
      errors.push(`${key}.${k}: property is missing and it is not optional`);
  }
  return { props, errors };
}

export function propertyString(spec: PropertyStringSpec): Check {
  return (v, k) => parsePropertyString(v, spec, k).errors;
}

/** Inverse of parsePropertyString, the default key first and bare, as PVE prints. */
export function printPropertyString(props: ParsedProperties, spec: PropertyStringSpec): string {
  const parts: string[] = [];
  const dk = spec.defaultKey;
  if (dk !== undefined && props.has(dk)) parts.push(props.get(dk)!);
  for (const [k, v] of props) if (k !== dk) parts.push(`${k}=${v}`);
  return parts.join(',');
}

const nameLike = text(undefined, /^[-_.\w\d]+$/);

export const netSpec: PropertyStringSpec = {
  keys: {
    name: { check: nameLike, required: true },
    bridge: { check: nameLike },
    firewall: { check: boolean },
    gw: { check: ipv4 },
    gw6: { check: ipv6 },
    'host-managed': { check: boolean },
    hwaddr: { check: macAddr },
    ip: { check: ipv4Config },
    ip6: { check: ipv6Config },
    link_down: { check: boolean },
    mtu: { check: integer(64, 65535) },
    rate: { check: number(0) },
    tag: { check: integer(1, 4094) },
    trunks: { check: text(undefined, /^\d+(?:;\d+)*$/) },
    type: { check: oneOf(['veth']) },
  },
};

const mountOptions = text(
  undefined,
  /^(?:discard|lazytime|noatime|nodev|noexec|nosuid)(?:;(?:discard|lazytime|noatime|nodev|noexec|nosuid))*$/,
);

const volumeKeys = {
  volume: { check: lxcVolume, required: true },
  acl: { check: boolean },
  mountoptions: { check: mountOptions },
  quota: { check: boolean },
  replicate: { check: boolean },
  ro: { check: boolean },
  shared: { check: boolean },
  size: { check: diskSize },
} as const;

export const rootfsSpec: PropertyStringSpec = { keys: volumeKeys, defaultKey: 'volume' };

export const mpSpec: PropertyStringSpec = {
  keys: {
    ...volumeKeys,
    mp: { check: ctPath, required: true },
    backup: { check: boolean },
    keepattrs: { check: boolean },
  },
  defaultKey: 'volume',
};

export const unusedSpec: PropertyStringSpec = {
  keys: { volume: { check: lxcVolume, required: true } },
  defaultKey: 'volume',
};

export const featuresSpec: PropertyStringSpec = {
  keys: {
    force_rw_sys: { check: boolean },
    fuse: { check: boolean },
    keyctl: { check: boolean },
    mknod: { check: boolean },
    mount: { check: text(undefined, /^[a-zA-Z0-9_; ]+$/) },
    nesting: { check: boolean },
  },
};

export const startupSpec: PropertyStringSpec = {
  keys: { order: { check: integer(0) }, up: { check: integer(0) }, down: { check: integer(0) } },
  defaultKey: 'order',
};

export const devSpec: PropertyStringSpec = {
  keys: {
    path: { check: text(undefined, /^\/dev\/.+$/), required: true },
    'deny-write': { check: boolean },
    gid: { check: integer(0) },
    mode: { check: octalMode },
    uid: { check: integer(0) },
  },
  defaultKey: 'path',
};
