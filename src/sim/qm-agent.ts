// The QEMU guest agent of a sim VM: `qm agent <id> ping`, `qm guest exec`,
// `qm guest exec-status` and the API's agent `file-write`. The agent answers
// only while the VM runs, with `agent: 1` set, and from `agentDelayMs` after
// its start (VmNodeOptions); a `fail` fault on `["qm","agent"]` makes it never
// answer a ping (faults.ts). Programs run on the VM's filesystem model
// through the same guestExec as `pct exec`, so a feature's script that is
// missing or not executable exits non-zero here too.
import { guestExec } from './guest-exec.ts';
import { isDir, parentOf, resolveIn } from './guest-fs.ts';
import { done, rejected, type OpEnv, type Outcome } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { parseBoolean } from './pve-formats.ts';
import { parsePropertyString } from './property-string.ts';
import { agentSpec } from './qm-formats.ts';
import type { VmNode } from './vm-node.ts';
import type { VmState } from './vm-state.ts';

/** The API's `content` limit of agent/file-write (60 KiB, under its 64 KiB POST limit). */
export const FILE_WRITE_MAX = 60 * 1024;

function agentEnabled(vm: VmState): boolean {
  const v = vm.config.keys.agent;
  if (v === undefined) return false;
  const { props } = parsePropertyString(v, agentSpec, 'agent');
  return parseBoolean(props.get('enabled') ?? '0') === true;
}

/** Why the agent of VM `id` cannot answer now, as qm prints it; undefined when it answers. */
export function agentProblem(
  vmNode: VmNode,
  id: number,
  vm: VmState | undefined,
): string | undefined {
  if (!vm) return vmNode.missingMessage(id);
  if (vm.status !== 'running') return `VM ${id} is not running`;
  if (!agentEnabled(vm)) return 'No QEMU guest agent configured';
  if (vm.agentFrom === undefined || Date.now() < vm.agentFrom)
    return 'QEMU guest agent is not running';
  return undefined;
}

export function qmAgent(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const command = a.positionals.command!;
  return vmNode.update(id, env, (vm) => {
    const problem = agentProblem(vmNode, id, vm);
    if (problem !== undefined) return { result: rejected(problem) };
    if (command === 'ping') return { result: done() };
    return { result: rejected(`sim: agent command '${command}' is not modelled by the sim node`) };
  });
}

/** qm's JSON output: pretty, keys sorted (to_json canonical). */
function printJson(data: Record<string, unknown>): string {
  const sorted = Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return `${JSON.stringify(sorted, null, 3)}\n`;
}

function statusOf(p: { exitcode: number; out: string; err: string }): Record<string, unknown> {
  return {
    exited: 1,
    exitcode: p.exitcode,
    ...(p.out === '' ? {} : { 'out-data': p.out }),
    ...(p.err === '' ? {} : { 'err-data': p.err }),
  };
}

/**
 * `qm guest exec <id> [--synchronous 0] -- argv…`: the program runs on the
 * VM's filesystem once its simulated time has passed; synchronously (the
 * default) the result is printed, otherwise the pid for exec-status.
 */
export async function qmGuestExec(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const sync = a.options.get('synchronous') !== '0';
  if (!sync && a.options.has('timeout'))
    return rejected(
      `400 Parameter verification failed.\nsynchronous: needs to be set for 'timeout'\n`,
    );
  if (a.options.get('pass-stdin') === '1')
    return rejected('sim: --pass-stdin is not modelled by the sim node');
  const early = await vmNode.read(id, env);
  const problem = agentProblem(vmNode, id, early);
  if (problem !== undefined) return rejected(problem);
  if (a.extra.length === 0) return rejected('Agent error: Guest-exec needs a command');
  await env.pause();
  return vmNode.node.store.withCt(id, async () => {
    const vm = await vmNode.vms.load(id);
    const again = agentProblem(vmNode, id, vm);
    if (again !== undefined || !vm) return rejected(again!);
    const r = await guestExec(id, vm.fs, a.extra, {
      readBlob: (sha) => vmNode.node.store.getBlob(sha),
      putBlob: (c) => vmNode.node.store.putBlob(c),
    });
    const pid = vm.nextPid ?? 1000;
    vm.nextPid = pid + 1;
    const proc = { exitcode: r.exitCode, out: r.stdout, err: r.stderr, endsAt: Date.now() };
    vm.processes = { ...vm.processes, [String(pid)]: proc };
    await vmNode.vms.save(vm);
    return done(printJson(sync ? statusOf(proc) : { pid }));
  });
}

export function qmGuestExecStatus(vmNode: VmNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const pid = a.positionals.pid!;
  return vmNode.update(id, env, (vm) => {
    const problem = agentProblem(vmNode, id, vm);
    if (problem !== undefined) return { result: rejected(problem) };
    const proc = vm?.processes?.[String(Number(pid))];
    if (!proc) return { result: rejected(`Agent error: Invalid parameter 'pid'`) };
    return { result: done(printJson(statusOf(proc))) };
  });
}

/**
 * The API's agent/file-write (`pvesh create …/agent/file-write`): the whole
 * file, written like guest-file-open 'wb' (a new file 0644, an existing one
 * keeps its mode); `content` at most FILE_WRITE_MAX characters, base64 when
 * `encode` is 0.
 */
export async function agentFileWrite(
  vmNode: VmNode,
  id: number,
  params: ReadonlyMap<string, string>,
  env: OpEnv,
): Promise<Outcome> {
  const file = params.get('file');
  const content = params.get('content');
  const errors: string[] = [];
  if (file === undefined) errors.push('file: property is missing and it is not optional');
  if (content === undefined) errors.push('content: property is missing and it is not optional');
  else if (content.length > FILE_WRITE_MAX)
    errors.push(`content: value may only be ${FILE_WRITE_MAX} characters long`);
  const encodeText = params.get('encode');
  const encode = encodeText === undefined ? true : parseBoolean(encodeText);
  if (encode === undefined)
    errors.push(`encode: type check ('boolean') failed - got '${encodeText ?? ''}'`);
  for (const k of params.keys())
    if (!['file', 'content', 'encode'].includes(k))
      errors.push(
        `${k}: property is not defined in schema and the schema does not allow additional properties`,
      );
  if (errors.length > 0)
    return rejected(`400 Parameter verification failed.\n${errors.join('\n')}`);
  let bytes: Buffer;
  if (encode === false) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content!) || content!.length % 4 !== 0)
      return rejected(
        "Agent error: can't write to file: Guest agent command failed, error was 'Invalid base64 data'",
      );
    bytes = Buffer.from(content!, 'base64');
  } else bytes = Buffer.from(content!, 'utf8');
  const path = resolveIn('/', file!);
  await env.pause();
  const sha = await vmNode.node.store.putBlob(bytes);
  return vmNode.update(id, env, (vm) => {
    const problem = agentProblem(vmNode, id, vm);
    if (problem !== undefined || !vm) return { result: rejected(problem!) };
    if (isDir(vm.fs, path) || !isDir(vm.fs, parentOf(path)))
      return {
        result: rejected(
          `Agent error: can't open file: Failed to open file '${path}': ${isDir(vm.fs, path) ? 'Is a directory' : 'No such file or directory'}`,
        ),
      };
    const before = vm.fs[path];
    vm.fs[path] = {
      type: 'file',
      mode: before?.type === 'file' ? before.mode : 0o644,
      size: bytes.length,
      sha256: sha,
    };
    return { result: done(), save: vm };
  });
}
