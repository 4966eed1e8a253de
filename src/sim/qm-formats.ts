// Value formats of qemu-server's options (PVE 9.x, the API schema of
// /nodes/{node}/qemu): drives, NICs, the agent, the display, boot order,
// cloud-init ipconfig and urlencoded ssh keys. Checks return Proxmox's error
// lines, like pve-formats.ts.
import {
  boolean,
  diskSize,
  integer,
  ipv4,
  ipv4Config,
  ipv6,
  ipv6Config,
  macAddr,
  number,
  oneOf,
  storageId,
  text,
  type Check,
} from './pve-formats.ts';
import { parsePropertyString, type PropertyStringSpec } from './property-string.ts';

const fail = (key: string, message: string): string[] => [`${key}: ${message}`];

export const nicModels = [
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
];

const netKeys: PropertyStringSpec = {
  keys: {
    model: { check: oneOf(nicModels) },
    macaddr: { check: macAddr },
    bridge: { check: text(undefined, /^[-_.\w\d]+$/) },
    firewall: { check: boolean },
    link_down: { check: boolean },
    mtu: { check: integer(1, 65520) },
    queues: { check: integer(0, 64) },
    rate: { check: number(0) },
    tag: { check: integer(1, 4094) },
    trunks: { check: text(undefined, /^\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*$/) },
  },
  defaultKey: 'model',
};

/**
 * A NIC: `virtio,bridge=vmbr0` or `virtio=BC:24:11:…,bridge=vmbr0` (the model
 * names are aliases of `macaddr` with the model as key). Returns the parsed
 * keys with model and macaddr split out, or the errors.
 */
export function parseNet(
  value: string,
  key: string,
): { props: Map<string, string>; errors: string[] } {
  const parts = value.split(',').filter((p) => p !== '');
  const normalised: string[] = [];
  for (const p of parts) {
    const eq = p.indexOf('=');
    const k = eq < 0 ? p : p.slice(0, eq);
    if (nicModels.includes(k) && eq >= 0)
      normalised.push(`model=${k}`, `macaddr=${p.slice(eq + 1)}`);
    else normalised.push(p);
  }
  const r = parsePropertyString(normalised.join(','), netKeys, key);
  const props = new Map(r.props);
  const errors = [...r.errors];
  if (!props.has('model') && errors.length === 0)
    errors.push(`${key}.model: property is missing and it is not optional`);
  return { props, errors };
}

/** PVE prints a NIC as `model=MAC,key=value…`. */
export function printNet(props: ReadonlyMap<string, string>): string {
  const head = props.has('macaddr')
    ? `${props.get('model') ?? ''}=${props.get('macaddr') ?? ''}`
    : (props.get('model') ?? '');
  const rest = [...props].filter(([k]) => k !== 'model' && k !== 'macaddr');
  return [head, ...rest.map(([k, v]) => `${k}=${v}`)].join(',');
}

export const netCheck: Check = (v, k) => parseNet(v, k).errors;

/** `<storage>:<volume>`, `<storage>:<GiB>`, `none`, `cdrom` or an absolute path. */
const driveFile: Check = (v, k) => {
  if (v === 'none' || v === 'cdrom' || v.startsWith('/')) return [];
  const m = /^([^:]+):(.+)$/.exec(v);
  if (!m) return fail(k, `invalid format - unable to parse volume ID '${v}'`);
  return storageId(m[1]!, k);
};

const importFrom: Check = (v, k) =>
  v.startsWith('/') || /^[^:/]+:.+$/.test(v)
    ? []
    : fail(k, `invalid format - '${v}' is neither a volume ID nor an absolute path`);

const driveBase = {
  file: { check: driveFile, required: true },
  aio: { check: oneOf(['native', 'threads', 'io_uring']) },
  backup: { check: boolean },
  cache: { check: oneOf(['none', 'writethrough', 'writeback', 'unsafe', 'directsync']) },
  detect_zeroes: { check: boolean },
  discard: { check: oneOf(['ignore', 'on']) },
  format: { check: oneOf(['raw', 'qcow', 'qed', 'qcow2', 'vmdk', 'cloop']) },
  'import-from': { check: importFrom },
  media: { check: oneOf(['cdrom', 'disk']) },
  replicate: { check: boolean },
  rerror: { check: oneOf(['ignore', 'report', 'stop']) },
  serial: { check: text(60) },
  shared: { check: boolean },
  size: { check: diskSize },
  snapshot: { check: boolean },
  ssd: { check: boolean },
  werror: { check: oneOf(['enospc', 'ignore', 'report', 'stop']) },
} as const;

export const ideDriveSpec: PropertyStringSpec = { keys: driveBase, defaultKey: 'file' };
export const scsiDriveSpec: PropertyStringSpec = {
  keys: {
    ...driveBase,
    iothread: { check: boolean },
    queues: { check: integer(2) },
    ro: { check: boolean },
    scsiblock: { check: boolean },
  },
  defaultKey: 'file',
};
export const unusedDriveSpec: PropertyStringSpec = {
  keys: { file: { check: driveFile, required: true } },
  defaultKey: 'file',
};

export function driveSpecFor(key: string): PropertyStringSpec {
  if (/^unused\d+$/.test(key)) return unusedDriveSpec;
  return /^(?:scsi|virtio)\d+$/.test(key) ? scsiDriveSpec : ideDriveSpec;
}

export const isDriveKey = (key: string): boolean => /^(?:scsi|ide|sata|virtio)\d+$/.test(key);

export const agentSpec: PropertyStringSpec = {
  keys: {
    enabled: { check: boolean },
    'freeze-fs': { check: boolean },
    fstrim_cloned_disks: { check: boolean },
    type: { check: oneOf(['virtio', 'isa']) },
  },
  defaultKey: 'enabled',
};

export const vgaSpec: PropertyStringSpec = {
  keys: {
    type: {
      check: oneOf([
        'cirrus',
        'qxl',
        'qxl2',
        'qxl3',
        'qxl4',
        'none',
        'serial0',
        'serial1',
        'serial2',
        'serial3',
        'std',
        'virtio',
        'virtio-gl',
        'vmware',
      ]),
    },
    memory: { check: integer(4, 512) },
    clipboard: { check: oneOf(['vnc']) },
  },
  defaultKey: 'type',
};

export const memorySpec: PropertyStringSpec = {
  keys: { current: { check: integer(16) } },
  defaultKey: 'current',
};

export const ipconfigSpec: PropertyStringSpec = {
  keys: {
    ip: { check: ipv4Config },
    gw: { check: ipv4 },
    ip6: { check: ipv6Config },
    gw6: { check: ipv6 },
  },
};

const bootDevice = /^(?:(?:ide|sata|scsi|virtio|net|hostpci|usb)\d+)$/;

/** pve-qm-boot: `order=scsi0;net0`, or a legacy `[acdn]{1,4}`. */
export const bootCheck: Check = (v, k) => {
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    const [name, val] = eq < 0 ? ['legacy', part] : [part.slice(0, eq), part.slice(eq + 1)];
    if (name === 'legacy') {
      if (!/^[acdn]{1,4}$/.test(val))
        return fail(k, `invalid format - value does not match the regex pattern`);
    } else if (name === 'order') {
      for (const dev of val.split(';'))
        if (!bootDevice.test(dev)) return fail(k, `invalid format - invalid boot device '${dev}'`);
    } else
      return fail(
        `${k}.${name}`,
        'property is not defined in schema and the schema does not allow additional properties',
      );
  }
  return [];
};

/** The devices `boot: order=…` names. */
export function bootOrderDevices(value: string): string[] {
  const m = /(?:^|,)order=([^,]+)/.exec(value);
  return m ? m[1]!.split(';') : [];
}

/** `urlencoded`: only unreserved characters and %XX escapes (what pve-common accepts). */
export const urlencoded: Check = (v, k) =>
  /^(?:[-a-zA-Z0-9_.!~*'()]|%[0-9a-fA-F]{2})*$/.test(v)
    ? []
    : fail(k, `invalid format - invalid urlencoded string: ${v}`);

export const serialCheck: Check = text(undefined, /^(?:\/dev\/.+|socket)$/);
