// Command lines for VMs: `qm` and the `pvesh` agent calls, one generator for
// every runner (local, SSH, sim). Each config value is one argv element.
import { posix } from 'node:path';
import { err, ok, type Result } from '../../core/result.ts';
import type { Guest } from '../../model/model.ts';
import { storageIdProblem } from '../../model/pve/formats.ts';
import type { ExecRequest } from '../backend.ts';
import { execArgv as pctExecArgv } from './guest-args.ts';
import { BOOT_DISK, desiredVmSettings } from './vm-settings.ts';

/** Where staged images live on the node: under `local`'s template folder, named by content. */
export const IMAGE_STORE = '/var/lib/vz/template/phx-images';

export const imagePath = (sha256: string): string => posix.join(IMAGE_STORE, `${sha256}.img`);

/** A sha256 in hex, the only form that may name a node file. */
export const isSha256 = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);

/**
 * `qm create` of a template build: the entry's name, memory, cores and NIC,
 * a serial console (cloud images print there), the agent on, the staged
 * image imported as the virtio-scsi boot disk on the entry's storage, a
 * cloud-init drive beside it, and scsi0 first in the boot order.
 */
export function vmCreateArgv(guest: Guest, nodeImage: string): Result<string[], string> {
  const desired = desiredVmSettings(guest);
  if (!desired.ok) return desired;
  const pool = guest.storagePool;
  if (pool === undefined) return err(`VM ${guest.id}: storage_pool is required to create it`);
  const problem = storageIdProblem(pool);
  if (problem !== undefined) return err(`VM ${guest.id}: storage_pool ${problem}`);
  if (!nodeImage.startsWith('/')) return err(`image path "${nodeImage}" is not absolute`);
  const o = desired.value.options;
  return ok([
    'qm',
    'create',
    String(guest.id),
    '--name',
    guest.name,
    ...(o.memory === undefined ? [] : ['--memory', o.memory]),
    ...(o.cores === undefined ? [] : ['--cores', o.cores]),
    '--net0',
    o.net0!,
    '--serial0',
    'socket',
    '--vga',
    'serial0',
    '--agent',
    '1',
    '--scsihw',
    'virtio-scsi-pci',
    '--ostype',
    'l26',
    `--${BOOT_DISK}`,
    `${pool}:0,import-from=${nodeImage}`,
    '--ide2',
    `${pool}:cloudinit`,
    '--boot',
    `order=${BOOT_DISK}`,
  ]);
}

/** Full clone from the source's snapshot, onto the entry's storage when it names one. */
export function vmCloneArgv(source: number, snapshot: string, guest: Guest): string[] {
  return [
    'qm',
    'clone',
    String(source),
    String(guest.id),
    '--full',
    '1',
    '--snapname',
    snapshot,
    '--name',
    guest.name,
    ...(guest.storagePool === undefined ? [] : ['--storage', guest.storagePool]),
  ];
}

export const vmSetArgv = (
  id: number,
  set: readonly (readonly [string, string])[],
  del: readonly string[],
): string[] | undefined =>
  set.length === 0 && del.length === 0
    ? undefined
    : [
        'qm',
        'set',
        String(id),
        ...set.flatMap(([k, v]) => [`--${k}`, v]),
        ...(del.length === 0 ? [] : ['--delete', del.join(',')]),
      ];

export const vmResizeArgv = (id: number, sizeGb: number): string[] => [
  'qm',
  'resize',
  String(id),
  BOOT_DISK,
  `${sizeGb}G`,
];
export const cloudinitUpdateArgv = (id: number): string[] => [
  'qm',
  'cloudinit',
  'update',
  String(id),
];
export const vmSnapshotArgv = (id: number, name: string, description: string): string[] => [
  'qm',
  'snapshot',
  String(id),
  name,
  '--description',
  description,
];
export const vmDelsnapshotArgv = (id: number, name: string): string[] => [
  'qm',
  'delsnapshot',
  String(id),
  name,
];
export const vmRollbackArgv = (id: number, name: string): string[] => [
  'qm',
  'rollback',
  String(id),
  name,
];
export const vmStatusArgv = (id: number): string[] => ['qm', 'status', String(id)];
export const vmStartArgv = (id: number): string[] => ['qm', 'start', String(id)];
export const vmStopArgv = (id: number): string[] => ['qm', 'stop', String(id)];
export const vmDestroyArgv = (id: number): string[] => [
  'qm',
  'destroy',
  String(id),
  '--purge',
  '1',
];
export const agentPingArgv = (id: number): string[] => ['qm', 'agent', String(id), 'ping'];
export const vmDescriptionArgv = (id: number, description: string): string[] => [
  'qm',
  'set',
  String(id),
  '--description',
  description,
];

/** Start a program through the agent and return at once with its pid (`--synchronous 0`). */
export function guestExecArgv(id: number, argv: readonly string[]): string[] {
  return ['qm', 'guest', 'exec', String(id), '--synchronous', '0', '--', ...argv];
}

export const execStatusArgv = (id: number, pid: number): string[] => [
  'qm',
  'guest',
  'exec-status',
  String(id),
  String(pid),
];

/** The program argv of an ExecRequest: `env -C <cwd> K=V … argv…`, as for CTs. */
export function agentProgram(req: ExecRequest): Result<string[], string> {
  const r = pctExecArgv(0, req);
  return r.ok ? ok(r.value.slice(4)) : r;
}

/** `pvesh create …/agent/file-write`: one whole file, content base64 (encode 0). */
export function fileWriteArgv(node: string, id: number, file: string, base64: string): string[] {
  return [
    'pvesh',
    'create',
    `/nodes/${node}/qemu/${id}/agent/file-write`,
    '--file',
    file,
    '--content',
    base64,
    '--encode',
    '0',
  ];
}

/**
 * The argv as recorded: file-write content replaced by its length, so a
 * pushed file (an entry with resolved secrets) never lands in a build record.
 */
export function recordedArgv(argv: readonly string[]): string[] {
  const at = argv.indexOf('--content');
  if (at < 0 || argv[0] !== 'pvesh') return [...argv];
  const out = [...argv];
  out[at + 1] = `<${argv[at + 1]?.length ?? 0} base64 chars>`;
  return out;
}
