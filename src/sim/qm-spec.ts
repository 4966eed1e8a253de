// What `qm` accepts, subcommand by subcommand (PVE 9.x): positionals in the
// order of the real synopsis and each option with its format. The options
// of API-backed subcommands are parameters of their endpoint in the API
// schema (test/sim/qm-api-crosscheck.test.ts compares them); an option the
// sim does not list is refused as "Unknown option", as qm refuses one the
// schema lacks. Parsed by the same Getopt-style parser as pct.
import type { IndexedOptionSpec, OptionSpec, SubcommandSpec } from './pct-spec.ts';
import {
  anyString,
  boolean,
  configIdList,
  dnsName,
  dnsNameList,
  integer,
  ipList,
  number,
  oneOf,
  poolId,
  snapname,
  storageId,
  tagList,
  text,
  vmid,
} from './pve-formats.ts';
import { propertyString, startupSpec } from './property-string.ts';
import {
  agentSpec,
  bootCheck,
  ideDriveSpec,
  ipconfigSpec,
  memorySpec,
  netCheck,
  scsiDriveSpec,
  serialCheck,
  unusedDriveSpec,
  urlencoded,
  vgaSpec,
} from './qm-formats.ts';
import { vmLockNames } from './vm-state.ts';

const flag: OptionSpec = { check: boolean, flag: true };
const opt = (check: OptionSpec['check']): OptionSpec => ({ check });

const ostypes = [
  'other',
  'wxp',
  'w2k',
  'w2k3',
  'w2k8',
  'wvista',
  'win7',
  'win8',
  'win10',
  'win11',
  'l24',
  'l26',
  'solaris',
];

/** Keys a VM config holds: `qm set` options, what `qm config` prints. */
export const vmConfigOptions: Readonly<Record<string, OptionSpec>> = {
  acpi: flag,
  agent: opt(propertyString(agentSpec)),
  balloon: opt(integer(0)),
  bios: opt(oneOf(['seabios', 'ovmf'])),
  boot: opt(bootCheck),
  bootdisk: opt(text(undefined, /^(?:ide|sata|scsi|virtio)\d+$/)),
  cipassword: opt(anyString),
  citype: opt(oneOf(['configdrive2', 'nocloud', 'opennebula'])),
  ciupgrade: flag,
  ciuser: opt(anyString),
  cores: opt(integer(1)),
  cpu: opt(text(undefined, /^[\w.+=;,-]+$/)),
  cpulimit: opt(number(0, 128)),
  cpuunits: opt(integer(1, 262144)),
  description: opt(text(8192)),
  kvm: flag,
  localtime: flag,
  lock: opt(oneOf(vmLockNames)),
  machine: opt(text(undefined, /^[\w.+=,-]+$/)),
  memory: opt(propertyString(memorySpec)),
  name: opt(dnsName),
  nameserver: opt(ipList),
  numa: flag,
  onboot: flag,
  ostype: opt(oneOf(ostypes)),
  protection: flag,
  scsihw: opt(
    oneOf(['lsi', 'lsi53c810', 'virtio-scsi-pci', 'virtio-scsi-single', 'megasas', 'pvscsi']),
  ),
  searchdomain: opt(dnsNameList),
  sockets: opt(integer(1)),
  sshkeys: opt(urlencoded),
  startup: opt(propertyString(startupSpec)),
  tablet: flag,
  tags: opt(tagList),
  template: flag,
  vcpus: opt(integer(1)),
  vga: opt(propertyString(vgaSpec)),
};

/** Indexed keys; limits are qemu-server's (31 SCSI, 4 IDE, 6 SATA, 16 VirtIO, 32 NICs). */
export const vmConfigIndexed: readonly IndexedOptionSpec[] = [
  { prefix: 'scsi', max: 30, check: propertyString(scsiDriveSpec) },
  { prefix: 'virtio', max: 15, check: propertyString(scsiDriveSpec) },
  { prefix: 'ide', max: 3, check: propertyString(ideDriveSpec) },
  { prefix: 'sata', max: 5, check: propertyString(ideDriveSpec) },
  { prefix: 'net', max: 31, check: netCheck },
  { prefix: 'ipconfig', max: 31, check: propertyString(ipconfigSpec) },
  { prefix: 'serial', max: 3, check: serialCheck },
  { prefix: 'unused', max: 255, check: propertyString(unusedDriveSpec) },
];

const vmidArg = { name: 'vmid', check: vmid };
const snapArg = { name: 'snapname', check: snapname };
const diskArg = {
  name: 'disk',
  check: text(
    undefined,
    /^(?:ide[0-3]|scsi(?:\d|[12]\d|30)|virtio(?:\d|1[0-5])|sata[0-5]|efidisk0|tpmstate0)$/,
  ),
};
const none = { options: {}, indexed: [] };

export const qmSpec: Readonly<Record<string, SubcommandSpec>> = {
  create: {
    synopsis: 'qm create <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: {
      ...vmConfigOptions,
      force: flag,
      pool: opt(poolId),
      start: flag,
      storage: opt(storageId),
      unique: flag,
    },
    indexed: vmConfigIndexed,
    api: { method: 'POST', path: '/nodes/{node}/qemu' },
  },
  set: {
    synopsis: 'qm set <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: {
      ...vmConfigOptions,
      delete: opt(configIdList),
      digest: opt(text(40)),
      force: flag,
      revert: opt(configIdList),
      skiplock: flag,
    },
    indexed: vmConfigIndexed,
    api: { method: 'PUT', path: '/nodes/{node}/qemu/{vmid}/config' },
  },
  config: {
    synopsis: 'qm config <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { current: flag, snapshot: opt(snapname) },
    indexed: [],
    api: { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/config' },
  },
  resize: {
    synopsis: 'qm resize <vmid> <disk> <size> [OPTIONS]',
    positionals: [
      vmidArg,
      diskArg,
      { name: 'size', check: text(undefined, /^\+?\d+(?:\.\d+)?[KMGT]?$/) },
    ],
    options: { digest: opt(text(40)), skiplock: flag },
    indexed: [],
    api: { method: 'PUT', path: '/nodes/{node}/qemu/{vmid}/resize' },
  },
  importdisk: {
    synopsis: 'qm importdisk <vmid> <source> <storage> [OPTIONS]',
    positionals: [
      vmidArg,
      { name: 'source', check: anyString },
      { name: 'storage', check: storageId },
    ],
    options: { format: opt(oneOf(['raw', 'qcow2', 'vmdk'])), 'target-disk': opt(diskArg.check) },
    indexed: [],
  },
  snapshot: {
    synopsis: 'qm snapshot <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { description: opt(text()), vmstate: flag },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/snapshot' },
  },
  delsnapshot: {
    synopsis: 'qm delsnapshot <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { force: flag },
    indexed: [],
    api: { method: 'DELETE', path: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}' },
  },
  rollback: {
    synopsis: 'qm rollback <vmid> <snapname> [OPTIONS]',
    positionals: [vmidArg, snapArg],
    options: { start: flag },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback' },
  },
  listsnapshot: {
    synopsis: 'qm listsnapshot <vmid>',
    positionals: [vmidArg],
    ...none,
  },
  clone: {
    synopsis: 'qm clone <vmid> <newid> [OPTIONS]',
    positionals: [vmidArg, { name: 'newid', check: vmid }],
    options: {
      bwlimit: opt(integer(0)),
      description: opt(anyString),
      format: opt(oneOf(['raw', 'qcow2', 'vmdk'])),
      full: flag,
      name: opt(dnsName),
      pool: opt(poolId),
      snapname: opt(snapname),
      storage: opt(storageId),
      target: opt(anyString),
    },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/clone' },
  },
  template: {
    synopsis: 'qm template <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { disk: opt(diskArg.check) },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/template' },
  },
  start: {
    synopsis: 'qm start <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { skiplock: flag, timeout: opt(integer(0)) },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/status/start' },
  },
  stop: {
    synopsis: 'qm stop <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: {
      keepActive: flag,
      'overrule-shutdown': flag,
      skiplock: flag,
      timeout: opt(integer(0)),
    },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/status/stop' },
  },
  shutdown: {
    synopsis: 'qm shutdown <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { forceStop: flag, keepActive: flag, skiplock: flag, timeout: opt(integer(0)) },
    indexed: [],
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/status/shutdown' },
  },
  status: {
    synopsis: 'qm status <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { verbose: flag },
    indexed: [],
  },
  destroy: {
    synopsis: 'qm destroy <vmid> [OPTIONS]',
    positionals: [vmidArg],
    options: { 'destroy-unreferenced-disks': flag, purge: flag, skiplock: flag },
    indexed: [],
    api: { method: 'DELETE', path: '/nodes/{node}/qemu/{vmid}' },
  },
  unlock: { synopsis: 'qm unlock <vmid>', positionals: [vmidArg], ...none },
  list: { synopsis: 'qm list  [OPTIONS]', positionals: [], options: { full: flag }, indexed: [] },
  agent: {
    synopsis: 'qm agent <vmid> <command>',
    positionals: [
      vmidArg,
      {
        name: 'command',
        check: oneOf([
          'fsfreeze-freeze',
          'fsfreeze-status',
          'fsfreeze-thaw',
          'fstrim',
          'get-fsinfo',
          'get-host-name',
          'get-memory-block-info',
          'get-memory-blocks',
          'get-osinfo',
          'get-time',
          'get-timezone',
          'get-users',
          'get-vcpus',
          'info',
          'network-get-interfaces',
          'ping',
          'shutdown',
          'suspend-disk',
          'suspend-hybrid',
          'suspend-ram',
        ]),
      },
    ],
    ...none,
    api: { method: 'POST', path: '/nodes/{node}/qemu/{vmid}/agent' },
  },
};

/** `qm guest <cmd>` and `qm cloudinit <cmd>`: the two-word subcommands. */
export const qmGuestSpec: Readonly<Record<string, SubcommandSpec>> = {
  exec: {
    synopsis: 'qm guest exec <vmid> [<extra-args>] [OPTIONS]',
    positionals: [vmidArg],
    options: {
      'pass-stdin': flag,
      synchronous: flag,
      timeout: opt(integer(0)),
    },
    indexed: [],
    extraArgs: true,
  },
  'exec-status': {
    synopsis: 'qm guest exec-status <vmid> <pid>',
    positionals: [vmidArg, { name: 'pid', check: integer() }],
    ...none,
    api: { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/agent/exec-status' },
  },
};

export const qmCloudinitSpec: Readonly<Record<string, SubcommandSpec>> = {
  update: {
    synopsis: 'qm cloudinit update <vmid>',
    positionals: [vmidArg],
    ...none,
    api: { method: 'PUT', path: '/nodes/{node}/qemu/{vmid}/cloudinit' },
  },
};

export const qmDiskSpec: Readonly<Record<string, SubcommandSpec>> = {
  import: { ...qmSpec.importdisk!, synopsis: 'qm disk import <vmid> <source> <storage> [OPTIONS]' },
  resize: { ...qmSpec.resize!, synopsis: 'qm disk resize <vmid> <disk> <size> [OPTIONS]' },
};
