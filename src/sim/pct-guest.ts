// pct push, pull, exec: files into and out of a running CT, and programs in it.
import { readFile, writeFile } from 'node:fs/promises';
import type { CtState } from './ct-state.ts';
import { guestExec } from './guest-exec.ts';
import { isDir, parentOf, resolveIn } from './guest-fs.ts';
import { done, rejected, type OpEnv, type Outcome, type SimNode } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';

/** Checks every guest I/O command shares: exists, not locked, running. */
function guestProblem(node: SimNode, id: number, ct: CtState | undefined): string | undefined {
  if (!ct) return node.missingMessage(id);
  if (ct.lock) return `CT ${id} is locked (${ct.lock.name})`;
  if (ct.status !== 'running') return `CT ${id} not running`;
  return undefined;
}

function parsePerms(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return /^0x/i.test(v) ? parseInt(v.slice(2), 16) : parseInt(v, 8);
}

export async function pctPush(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const local = a.positionals.file!;
  const dest = resolveIn('/', a.positionals.destination!);
  let content: Buffer;
  try {
    content = await readFile(local);
  } catch {
    return rejected(`failed to open ${local}: No such file or directory`);
  }
  await env.pause();
  const sha = await node.store.putBlob(content);
  return node.update(id, env, (ct) => {
    const problem = guestProblem(node, id, ct);
    if (problem !== undefined || !ct) return { result: rejected(problem!) };
    if (isDir(ct.fs, dest))
      return { result: rejected(`failed to open ${dest} for writing: Is a directory`) };
    if (!isDir(ct.fs, parentOf(dest)))
      return { result: rejected(`failed to open ${dest} for writing: No such file or directory`) };
    // As pct's create_file: without --perms a new file is 0666 & ~umask (022
    // under pvedaemon) and an existing one keeps its mode; never the local file's.
    const before = ct.fs[dest];
    ct.fs[dest] = {
      type: 'file',
      mode: parsePerms(a.options.get('perms')) ?? (before?.type === 'file' ? before.mode : 0o644),
      size: content.length,
      sha256: sha,
      uid: a.options.get('user') ?? '0',
      gid: a.options.get('group') ?? '0',
    };
    return { result: done(), save: ct };
  });
}

export async function pctPull(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const path = resolveIn('/', a.positionals.path!);
  const local = a.positionals.destination!;
  await env.pause();
  const found = await node.update<{ error: string } | { sha: string }>(id, env, (ct) => {
    const problem = guestProblem(node, id, ct);
    if (problem !== undefined || !ct) return { result: { error: problem! } };
    const e = ct.fs[path];
    if (e?.type !== 'file')
      return {
        result: {
          error: `failed to open ${path}: ${e ? 'Is a directory' : 'No such file or directory'}`,
        },
      };
    return { result: { sha: e.sha256 } };
  });
  if ('error' in found) return rejected(found.error);
  const content = await node.store.getBlob(found.sha);
  if (!content) throw new Error(`sim: blob ${found.sha} of ${path} in CT ${id} is missing`);
  try {
    await writeFile(local, content, { mode: parsePerms(a.options.get('perms')) ?? 0o644 });
  } catch (e) {
    return rejected(`failed to open ${local} for writing: ${(e as Error).message}`);
  }
  return done();
}

export async function pctExec(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  if (a.extra.length === 0) return rejected('missing command');
  const early = await node.update(id, env, (ct) => ({ result: guestProblem(node, id, ct) }));
  if (early !== undefined) return rejected(early);
  await env.pause();
  return node.store.withCt(id, async () => {
    const ct = await node.loadFresh(id, env);
    const problem = guestProblem(node, id, ct);
    if (problem !== undefined || !ct) return rejected(problem!);
    const r = await guestExec(id, ct.fs, a.extra, {
      readBlob: (sha) => node.store.getBlob(sha),
      putBlob: (c) => node.store.putBlob(c),
    });
    await node.store.save(ct);
    return r;
  });
}
