// Files into and out of a container's rootfs (dir backing store), from the
// host side: it works whether or not the container runs, and needs nothing
// inside the guest (no tar, no shell). A guest-controlled symlink on the way
// must not lead a host-side write out of the rootfs, so every existing path
// component is lstat'ed and a symlink refuses the write. (A process inside a
// running guest could still swap a component between the check and the
// write; phx's guests run phx's own scripts, which is the trust we accept.)
import { lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type OpContext } from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import { runCommand } from './run.ts';

const TARBALL = /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.zst|tar\.bz2)$/;

/** Refuse what cannot be a rootfs tarball before anything is created. */
export async function checkTarball(template: string | undefined): Promise<string> {
  const reject = (reason: string): never => {
    throw new OpError({ type: 'rejected', reason });
  };
  if (template === undefined || template === '')
    return reject('the lxc backend needs `template`: a rootfs tarball path');
  if (/^[^/]+:/.test(template))
    return reject(
      `template "${template}" is a Proxmox storage volume; the lxc backend takes a rootfs tarball path`,
    );
  if (!template.startsWith('/')) return reject(`template "${template}" must be an absolute path`);
  if (!TARBALL.test(template))
    return reject(`template "${template}" is not a .tar, .tar.gz, .tar.xz or .tar.zst file`);
  const st = await stat(template).catch(() => undefined);
  if (st === undefined) return reject(`template ${template} does not exist`);
  if (!st.isFile()) return reject(`template ${template} is not a file`);
  return template;
}

/** Unpack the tarball as root, keeping numeric owners (the guest's ids, not the host's names). */
export async function extractTarball(
  tarball: string,
  rootfs: string,
  ctx: OpContext,
): Promise<void> {
  try {
    await runCommand(['tar', '-xpf', tarball, '-C', rootfs, '--numeric-owner'], ctx);
  } catch (e) {
    if (e instanceof OpError && e.failure.type === 'command-failed') {
      throw new OpError({
        type: 'rejected',
        reason: `template ${tarball} is not a readable rootfs tarball: ${e.failure.stderr.trim()}`,
      });
    }
    throw e;
  }
}

/** `<rootfs><guestPath>`, after checking no existing component is a symlink. */
export async function hostPathIn(rootfs: string, guestPath: string): Promise<string> {
  const segs = guestPath.split('/').filter((s) => s !== '' && s !== '.');
  if (
    !guestPath.startsWith('/') ||
    segs.includes('..') ||
    /[\0\n]/.test(guestPath) ||
    segs.length === 0
  ) {
    throw new OpError({
      type: 'rejected',
      reason: `"${guestPath}" is not a plain absolute path inside the guest`,
    });
  }
  let at = rootfs;
  for (const seg of segs) {
    at = join(at, seg);
    const st = await lstat(at).catch(() => undefined);
    if (st === undefined) break; // the rest does not exist yet: created below, inside
    if (st.isSymbolicLink()) {
      throw new OpError({
        type: 'rejected',
        reason: `${guestPath}: ${at.slice(rootfs.length)} is a symlink inside the guest; phx will not write through it`,
      });
    }
  }
  return join(rootfs, ...segs);
}

/** Replace `guestDir` with a copy of `localDir`. */
export async function pushDir(
  rootfs: string,
  localDir: string,
  guestDir: string,
  ctx: OpContext,
): Promise<void> {
  const target = await hostPathIn(rootfs, guestDir);
  await mkdir(dirname(target), { recursive: true });
  await runCommand(['rm', '-rf', '--', target], ctx);
  await runCommand(['cp', '-a', '-T', '--', localDir, target], ctx);
}

/** A host-side write: no command line to record; cancellation still counts. */
export async function pushFile(
  rootfs: string,
  content: string,
  guestPath: string,
  ctx: OpContext,
): Promise<void> {
  if (ctx.signal.aborted) throw new OpError({ type: 'cancelled' });
  const target = await hostPathIn(rootfs, guestPath);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}

/** A folder out of the rootfs into a fresh local folder; a missing one gives an empty folder. */
export async function pullDir(
  rootfs: string,
  guestDir: string,
  localDir: string,
  ctx: OpContext,
): Promise<void> {
  const source = await hostPathIn(rootfs, guestDir);
  await runCommand(['rm', '-rf', '--', localDir], ctx);
  await mkdir(localDir, { recursive: true });
  if (existsSync(source)) await runCommand(['cp', '-a', '-T', '--', source, localDir], ctx);
}
