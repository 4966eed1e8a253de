// Dispatch of a command line on the sim node: `pct <subcommand>`, `pvesh get`,
// and the few other host tools the backend calls.
import { posix } from 'node:path';
import { rejected, done, type OpEnv, type Outcome, type SimNode } from './node.ts';
import { parsePctArgs } from './pct-args.ts';
import { pctConfig, pctResize, pctSet } from './pct-config.ts';
import { pctExec, pctPull, pctPush } from './pct-guest.ts';
import {
  pctClone,
  pctCreate,
  pctDestroy,
  pctList,
  pctPower,
  pctStatus,
  pctUnlock,
} from './pct-lifecycle.ts';
import { pctMoveVolume } from './pct-move-volume.ts';
import { pctRescan } from './pct-rescan.ts';
import { pctDelsnapshot, pctListsnapshot, pctRollback, pctSnapshot } from './pct-snapshots.ts';
import { pctSpec } from './pct-spec.ts';
import { pvesh } from './pvesh.ts';
import { pvesm, zfs, zpool } from './zfs-tools.ts';
import { apparmorParser, chown, mkdir, stat } from './host-paths.ts';

const pctUsage = 'USAGE: pct <COMMAND> [ARGS] [OPTIONS]';

/** Subcommands that spend their simulated time themselves (inside their lock, or after their checks). */
const selfPausing = new Set([
  'create',
  'clone',
  'snapshot',
  'delsnapshot',
  'rollback',
  'push',
  'pull',
  'exec',
]);

export async function runPct(
  node: SimNode,
  words: readonly string[],
  env: OpEnv,
): Promise<Outcome> {
  const [sub, ...rest] = words;
  if (sub === undefined) return rejected(`ERROR: no command specified\n${pctUsage}`);
  const spec = Object.hasOwn(pctSpec, sub) ? pctSpec[sub] : undefined;
  if (!spec) return rejected(`ERROR: unknown command 'pct ${sub}'\n${pctUsage}`);
  const parsed = parsePctArgs(spec, rest);
  if (!parsed.ok) return rejected(parsed.error);
  const a = parsed.value;
  if (!selfPausing.has(sub)) await env.pause();
  switch (sub) {
    case 'create':
      return pctCreate(node, a, env);
    case 'clone':
      return pctClone(node, a, env);
    case 'set':
      return pctSet(node, a, env);
    case 'config':
      return pctConfig(node, a, env);
    case 'resize':
      return pctResize(node, a, env);
    case 'snapshot':
      return pctSnapshot(node, a, env);
    case 'delsnapshot':
      return pctDelsnapshot(node, a, env);
    case 'rollback':
      return pctRollback(node, a, env);
    case 'listsnapshot':
      return pctListsnapshot(node, a, env);
    case 'push':
      return pctPush(node, a, env);
    case 'pull':
      return pctPull(node, a, env);
    case 'exec':
      return pctExec(node, a, env);
    case 'start':
    case 'stop':
    case 'shutdown':
      return pctPower(node, sub, a, env);
    case 'status':
      return pctStatus(node, a, env);
    case 'destroy':
      return pctDestroy(node, a, env);
    case 'move-volume':
    case 'move_volume':
      return pctMoveVolume(node, a, env);
    case 'rescan':
      return pctRescan(node, a, env);
    case 'unlock':
      return pctUnlock(node, a, env);
    case 'list':
      return pctList(node);
    default:
      throw new Error(`sim: pct ${sub} is in the spec but has no handler`);
  }
}

export async function runCommand(
  node: SimNode,
  argv: readonly string[],
  env: OpEnv,
): Promise<Outcome> {
  const tool = posix.basename(argv[0] ?? '');
  const rest = argv.slice(1);
  switch (tool) {
    case 'pct':
      return runPct(node, rest, env);
    case 'pvesh':
      await env.pause();
      return pvesh(node, rest, env);
    case 'pve-firewall':
      if (['compile', 'restart', 'reload', 'start', 'stop', 'status'].includes(rest[0] ?? '')) {
        await env.pause();
        return done();
      }
      return rejected(`ERROR: unknown command 'pve-firewall ${rest[0] ?? ''}'`);
    case 'zpool':
      await env.pause();
      return zpool(node.host, rest);
    case 'zfs':
      await env.pause();
      return zfs(node.host, rest);
    case 'pvesm':
      await env.pause();
      return pvesm(node.host, rest);
    case 'mkdir':
      await env.pause();
      return mkdir(node.paths, rest);
    case 'chown':
      await env.pause();
      return chown(node.paths, rest);
    case 'stat':
      return stat(node.paths, rest);
    case 'apparmor_parser':
      await env.pause();
      return apparmorParser(node.paths, rest);
    default:
      return {
        exitCode: 127,
        stdout: '',
        stderr: `sim: ${argv[0] ?? ''}: command not found on the sim node\n`,
      };
  }
}
