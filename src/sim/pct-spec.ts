// What `pct` accepts, subcommand by subcommand: positional arguments in the
// order of the real synopsis, and each option with its format (PVE 9.1). The
// options of API-backed subcommands are the API endpoint's parameters; the
// cross-check test compares this table with the API schema when it is present.
/* eslint-disable no-control-regex -- the API's env/entrypoint patterns exclude control characters */
import {
  anyString,
  boolean,
  configIdList,
  diskSize,
  dnsName,
  dnsNameList,
  integer,
  ipList,
  lxcVolume,
  number,
  oneOf,
  poolId,
  snapname,
  storageId,
  tagList,
  text,
  timezone,
  vmid,
  type Check,
} from './pve-formats.ts';
import {
  devSpec,
  featuresSpec,
  mpSpec,
  netSpec,
  propertyString,
  rootfsSpec,
  startupSpec,
  unusedSpec,
} from './property-string.ts';

export interface OptionSpec {
  readonly check: Check;
  /** Boolean options may stand alone (`--full` means `--full 1`), as in PVE's CLI. */
  readonly flag?: boolean;
}

/** `net[n]`, `mp[n]`…: the option `net0`…`net31`. */
export interface IndexedOptionSpec extends OptionSpec {
  readonly prefix: string;
  readonly max: number;
}

export interface SubcommandSpec {
  readonly synopsis: string;
  /**
   * In synopsis order. An optional one (`[<storage>]`) may be left out at the
   * end or given as `--name` instead, as PVE's CLI maps optional arg params.
   */
  readonly positionals: readonly {
    readonly name: string;
    readonly check: Check;
    readonly optional?: boolean;
  }[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly indexed: readonly IndexedOptionSpec[];
  /** `pct exec <vmid> -- <argv…>`: the words after `--`. */
  readonly extraArgs?: boolean;
  /** The API endpoint the subcommand calls; positionals are its path or required parameters. */
  readonly api?: { readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'; readonly path: string };
}

const flag: OptionSpec = { check: boolean, flag: true };
const opt = (check: Check): OptionSpec => ({ check });

const arches = ['amd64', 'i386', 'arm64', 'armhf', 'riscv32', 'riscv64'];
const ostypes = [
  'debian',
  'devuan',
  'ubuntu',
  'centos',
  'fedora',
  'opensuse',
  'archlinux',
  'alpine',
  'gentoo',
  'nixos',
  'unmanaged',
];
export const lockNames = [
  'backup',
  'create',
  'destroyed',
  'disk',
  'fstrim',
  'migrate',
  'mounted',
  'rollback',
  'snapshot',
  'snapshot-delete',
] as const;
export type LockName = (typeof lockNames)[number];

// A printable string without control characters (entrypoint, env), as the API's pattern says.
// NUL-separated VAR=value pairs (the API's `env` pattern).
const envList = text(
  undefined,
  /^\w+=[^\x00-\x08\x10-\x1F\x7F]*(?:\0\w+=[^\x00-\x08\x10-\x1F\x7F]*)*$/,
);
const printable = text(undefined, /^[^\x00-\x08\x10-\x1F\x7F]+$/);

/** Keys a CT config holds: `pct set` options, what `pct config` prints. */
export const configOptions: Readonly<Record<string, OptionSpec>> = {
  arch: opt(oneOf(arches)),
  cmode: opt(oneOf(['shell', 'console', 'tty'])),
  console: flag,
  cores: opt(integer(1, 8192)),
  cpulimit: opt(number(0, 8192)),
  cpuunits: opt(integer(0, 500000)),
  debug: flag,
  description: opt(text(8192)),
  entrypoint: opt(printable),
  env: opt(envList),
  features: opt(propertyString(featuresSpec)),
  hookscript: opt(lxcVolume),
  hostname: opt(dnsName),
  lock: opt(oneOf(lockNames)),
  memory: opt(integer(16)),
  nameserver: opt(ipList),
  onboot: flag,
  ostype: opt(oneOf(ostypes)),
  protection: flag,
  rootfs: opt(propertyString(rootfsSpec)),
  searchdomain: opt(dnsNameList),
  startup: opt(propertyString(startupSpec)),
  swap: opt(integer(0)),
  tags: opt(tagList),
  template: flag,
  timezone: opt(timezone),
  tty: opt(integer(0, 6)),
  unprivileged: flag,
};

/** Indexed config keys; the limits are pve-container's (32 NICs, 256 mount points/devices). */
export const configIndexed: readonly IndexedOptionSpec[] = [
  { prefix: 'net', max: 31, check: propertyString(netSpec) },
  { prefix: 'mp', max: 255, check: propertyString(mpSpec) },
  { prefix: 'dev', max: 255, check: propertyString(devSpec) },
  { prefix: 'unused', max: 255, check: propertyString(unusedSpec) },
];

const vmidArg = { name: 'vmid', check: vmid };
const snapArg = { name: 'snapname', check: snapname };

/** rootfs, mp0…mp255, unused0…unused255: valid_volume_keys_with_unused. */
const volumeKey = text(
  undefined,
  /^(?:rootfs|(?:mp|unused)(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5]))$/,
);

const moveVolume: SubcommandSpec = {
  synopsis:
    'pct move-volume <vmid> <volume> [<storage>] [<target-vmid>] [<target-volume>] [OPTIONS]',
  positionals: [
    vmidArg,
    { name: 'volume', check: volumeKey },
    { name: 'storage', check: storageId, optional: true },
    { name: 'target-vmid', check: vmid, optional: true },
    { name: 'target-volume', check: volumeKey, optional: true },
  ],
  options: {
    bwlimit: opt(number(0)),
    delete: flag,
    digest: opt(text(40)),
    storage: opt(storageId),
    'target-digest': opt(text(40)),
    'target-vmid': opt(vmid),
    'target-volume': opt(volumeKey),
  },
  indexed: [],
  api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/move_volume' },
};

export const pctSpec: Readonly<Record<string, SubcommandSpec>> = {
  create: {
    synopsis: 'pct create <vmid> <ostemplate> [OPTIONS]',
    positionals: [vmidArg, { name: 'ostemplate', check: text(255) }],
    options: {
      ...configOptions,
      bwlimit: opt(number(0)),
      force: flag,
      'ha-managed': flag,
      'ignore-unpack-errors': flag,
      password: opt(text(undefined, /^.{5,}$/s)),
      pool: opt(poolId),
      restore: flag,
      'ssh-public-keys': opt(anyString),
      start: flag,
      storage: opt(storageId),
      unique: flag,
    },
    indexed: configIndexed,
    api: { method: 'POST', path: '/nodes/{node}/lxc' },
  },
  clone: {
    synopsis: 'pct clone <vmid> <newid> [OPTIONS]',
    positionals: [vmidArg, { name: 'newid', check: vmid }],
    options: {
      bwlimit: opt(number(0)),
      description: opt(anyString),
      full: flag,
      hostname: opt(dnsName),
      pool: opt(poolId),
      snapname: opt(snapname),
      storage: opt(storageId),
      target: opt(anyString),
    },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/clone' },
  },
  set: {
    synopsis: 'pct set <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: {
      ...configOptions,
      delete: opt(configIdList),
      digest: opt(text(40)),
      revert: opt(configIdList),
    },
    indexed: configIndexed,
    api: { method: 'PUT', path: '/nodes/{node}/lxc/{vmid}/config' },
  },
  config: {
    synopsis: 'pct config <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { current: flag, snapshot: opt(snapname) },
    indexed: [],
    api: { method: 'GET', path: '/nodes/{node}/lxc/{vmid}/config' },
  },
  resize: {
    synopsis: 'pct resize <vmid> <disk> <size> [OPTIONS]',
    positionals: [
      vmidArg,
      {
        name: 'disk',
        check: text(undefined, /^(?:rootfs|mp(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5]))$/),
      },
      { name: 'size', check: (v, k) => (/^\+/.test(v) ? diskSize(v.slice(1), k) : diskSize(v, k)) },
    ],
    options: { digest: opt(text(40)) },
    indexed: [],
    api: { method: 'PUT', path: '/nodes/{node}/lxc/{vmid}/resize' },
  },
  snapshot: {
    synopsis: 'pct snapshot <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { description: opt(text()) },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/snapshot' },
  },
  delsnapshot: {
    synopsis: 'pct delsnapshot <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { force: flag },
    indexed: [],
    api: { method: 'DELETE', path: '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}' },
  },
  rollback: {
    synopsis: 'pct rollback <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { start: flag },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback' },
  },
  listsnapshot: {
    synopsis: 'pct listsnapshot <vmid>',
    positionals: [vmidArg],
    options: {},
    indexed: [],
  },
  push: {
    synopsis: 'pct push <vmid> <file> <destination> [OPTIONS]',
    positionals: [
      vmidArg,
      { name: 'file', check: anyString },
      { name: 'destination', check: anyString },
    ],
    options: {
      group: opt(anyString),
      perms: opt(text(undefined, /^(?:0x[0-9a-f]+|[0-7]+)$/i)),
      user: opt(anyString),
    },
    indexed: [],
  },
  pull: {
    synopsis: 'pct pull <vmid> <path> <destination> [OPTIONS]',
    positionals: [
      vmidArg,
      { name: 'path', check: anyString },
      { name: 'destination', check: anyString },
    ],
    options: {
      group: opt(anyString),
      perms: opt(text(undefined, /^(?:0x[0-9a-f]+|[0-7]+)$/i)),
      user: opt(anyString),
    },
    indexed: [],
  },
  exec: {
    synopsis: 'pct exec <vmid> [<extra-args>] [OPTIONS]',
    positionals: [vmidArg],
    options: { 'keep-env': flag },
    indexed: [],
    extraArgs: true,
  },
  start: {
    synopsis: 'pct start <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { debug: flag, skiplock: flag },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/status/start' },
  },
  stop: {
    synopsis: 'pct stop <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { 'overrule-shutdown': flag, skiplock: flag },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/status/stop' },
  },
  shutdown: {
    synopsis: 'pct shutdown <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { forceStop: flag, timeout: opt(integer(0)) },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/status/shutdown' },
  },
  status: {
    synopsis: 'pct status <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { verbose: flag },
    indexed: [],
  },
  destroy: {
    synopsis: 'pct destroy <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { 'destroy-unreferenced-disks': flag, force: flag, purge: flag },
    indexed: [],
    api: { method: 'DELETE', path: '/nodes/{node}/lxc/{vmid}' },
  },
  'move-volume': moveVolume,
  move_volume: moveVolume,
  rescan: {
    synopsis: 'pct rescan  [OPTIONS]',
    positionals: [],
    options: { dryrun: flag, vmid: opt(vmid) },
    indexed: [],
  },
  unlock: { synopsis: 'pct unlock <vmid>', positionals: [vmidArg], options: {}, indexed: [] },
  list: { synopsis: 'pct list', positionals: [], options: {}, indexed: [] },
};

/** The option's spec, resolving `net0` to `net[n]`. */
export function findOption(
  spec: { options: Readonly<Record<string, OptionSpec>>; indexed: readonly IndexedOptionSpec[] },
  name: string,
): OptionSpec | undefined {
  const direct = spec.options[name];
  if (direct) return direct;
  const m = /^([a-z]+)(\d+)$/.exec(name);
  if (!m) return undefined;
  const idx = spec.indexed.find((i) => i.prefix === m[1]);
  return idx && Number(m[2]) <= idx.max && String(Number(m[2])) === m[2] ? idx : undefined;
}
