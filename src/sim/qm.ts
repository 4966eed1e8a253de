// Dispatch of the sim node's VM command lines: `qm <subcommand>` (with the
// two-word `qm guest …`, `qm cloudinit …` and `qm disk …`), `pvesh` on qemu
// paths, and the host tools that stage disk images. Anything else is not a
// VM command: routeVm returns undefined and the CT dispatch (pct.ts) answers.
import { posix } from 'node:path';
import { rejected, type OpEnv, type Outcome } from './node.ts';
import { parsePctArgs } from './pct-args.ts';
import type { SubcommandSpec } from './pct-spec.ts';
import { qmAgent, qmGuestExec, qmGuestExecStatus } from './qm-agent.ts';
import { qmCloudinitUpdate, qmConfig, qmResize, qmSet, qmTemplate } from './qm-config.ts';
import {
  qmClone,
  qmCreate,
  qmDestroy,
  qmImportdisk,
  qmList,
  qmPower,
  qmStatus,
  qmUnlock,
} from './qm-lifecycle.ts';
import { qmDelsnapshot, qmListsnapshot, qmRollback, qmSnapshot } from './qm-snapshots.ts';
import { qmCloudinitSpec, qmDiskSpec, qmGuestSpec, qmSpec } from './qm-spec.ts';
import { hostTool } from './vm-host-tools.ts';
import type { VmNode } from './vm-node.ts';
import { isQemuPvesh, vmPvesh } from './vm-pvesh.ts';

const qmUsage = 'USAGE: qm <COMMAND> [ARGS] [OPTIONS]';

/** Subcommands that spend their simulated time themselves (holding their lock, or after their checks). */
const selfPausing = new Set([
  'create',
  'clone',
  'importdisk',
  'disk import',
  'snapshot',
  'delsnapshot',
  'rollback',
  'template',
  'guest exec',
]);

function lookup(
  words: readonly string[],
): { name: string; spec: SubcommandSpec; rest: readonly string[] } | string {
  const [sub, second, ...more] = words;
  if (sub === undefined) return `ERROR: no command specified\n${qmUsage}`;
  const groups: Record<string, Readonly<Record<string, SubcommandSpec>>> = {
    guest: qmGuestSpec,
    cloudinit: qmCloudinitSpec,
    disk: qmDiskSpec,
  };
  const group = Object.hasOwn(groups, sub) ? groups[sub] : undefined;
  if (group) {
    const spec = second !== undefined && Object.hasOwn(group, second) ? group[second] : undefined;
    if (!spec) return `ERROR: unknown command 'qm ${sub} ${second ?? ''}'\n${qmUsage}`;
    return { name: `${sub} ${second!}`, spec, rest: more };
  }
  const spec = Object.hasOwn(qmSpec, sub) ? qmSpec[sub] : undefined;
  if (!spec) return `ERROR: unknown command 'qm ${sub}'\n${qmUsage}`;
  return { name: sub, spec, rest: words.slice(1) };
}

export async function runQm(
  vmNode: VmNode,
  words: readonly string[],
  env: OpEnv,
): Promise<Outcome> {
  const found = lookup(words);
  if (typeof found === 'string') return rejected(found);
  const parsed = parsePctArgs(found.spec, found.rest);
  if (!parsed.ok) return rejected(parsed.error);
  const a = parsed.value;
  if (!selfPausing.has(found.name)) await env.pause();
  switch (found.name) {
    case 'create':
      return qmCreate(vmNode, a, env);
    case 'set':
      return qmSet(vmNode, a, env);
    case 'config':
      return qmConfig(vmNode, a, env);
    case 'resize':
    case 'disk resize':
      return qmResize(vmNode, a, env);
    case 'importdisk':
    case 'disk import':
      return qmImportdisk(vmNode, a, env);
    case 'clone':
      return qmClone(vmNode, a, env);
    case 'template':
      return qmTemplate(vmNode, a, env);
    case 'snapshot':
      return qmSnapshot(vmNode, a, env);
    case 'delsnapshot':
      return qmDelsnapshot(vmNode, a, env);
    case 'rollback':
      return qmRollback(vmNode, a, env);
    case 'listsnapshot':
      return qmListsnapshot(vmNode, a, env);
    case 'start':
    case 'stop':
    case 'shutdown':
      return qmPower(vmNode, found.name, a, env);
    case 'status':
      return qmStatus(vmNode, a, env);
    case 'destroy':
      return qmDestroy(vmNode, a, env);
    case 'unlock':
      return qmUnlock(vmNode, a, env);
    case 'list':
      return qmList(vmNode);
    case 'agent':
      return qmAgent(vmNode, a, env);
    case 'guest exec':
      return qmGuestExec(vmNode, a, env);
    case 'guest exec-status':
      return qmGuestExecStatus(vmNode, a, env);
    case 'cloudinit update':
      return qmCloudinitUpdate(vmNode, a, env);
    default:
      throw new Error(`sim: qm ${found.name} is in the spec but has no handler`);
  }
}

/** The VM side's answer to a command line, or undefined when it is not a VM command. */
export async function routeVm(
  vmNode: VmNode,
  argv: readonly string[],
  env: OpEnv,
): Promise<Outcome | undefined> {
  const tool = posix.basename(argv[0] ?? '');
  const rest = argv.slice(1);
  if (tool === 'qm') return runQm(vmNode, rest, env);
  if (tool === 'pvesh' && isQemuPvesh(rest)) {
    await env.pause();
    return vmPvesh(vmNode, rest, env);
  }
  if (['sha256sum', 'mkdir', 'cp', 'mv'].includes(tool)) {
    const r = await hostTool(vmNode, tool, rest);
    if (r !== undefined) await env.pause();
    return r;
  }
  return undefined;
}
