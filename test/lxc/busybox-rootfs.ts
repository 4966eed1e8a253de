// A minimal rootfs tarball for real test containers: static busybox with a
// symlink per applet, an inittab whose init just keeps the container up, and
// the few files a shell and `id` expect. Built fresh by each test run.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where Debian's busybox-static puts the binary (usrmerge makes /bin the same). */
export const BUSYBOX = '/bin/busybox';

export async function buildBusyboxTarball(workDir: string): Promise<string> {
  const root = join(workDir, 'rootfs');
  for (const d of [
    'bin',
    'sbin',
    'etc',
    'proc',
    'sys',
    'dev',
    'tmp',
    'root',
    'run',
    'var/lib',
    'usr',
  ]) {
    await mkdir(join(root, d), { recursive: true });
  }
  await copyFile(BUSYBOX, join(root, 'bin', 'busybox'));
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => /^[\w.[-]+$/.test(a));
  for (const a of applets) if (a !== 'busybox') await symlink('busybox', join(root, 'bin', a));
  await symlink('../bin/busybox', join(root, 'sbin', 'init'));
  await symlink('../bin', join(root, 'usr', 'bin'));
  await symlink('../sbin', join(root, 'usr', 'sbin'));
  await writeFile(
    join(root, 'etc', 'inittab'),
    '::sysinit:/bin/true\n::respawn:/bin/sleep 100000\n',
  );
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\n');
  await writeFile(join(root, 'etc', 'hostname'), 'busybox\n');
  const tarball = join(workDir, 'busybox-rootfs.tar.gz');
  execFileSync('tar', ['-C', root, '--numeric-owner', '-czf', tarball, '.']);
  return tarball;
}
