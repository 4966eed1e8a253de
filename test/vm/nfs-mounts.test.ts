// features/nfs_mounts/install.sh with fake mount tools: the entry's NFS
// volumes become phx's block of fstab (the other lines kept), are mounted
// once, a second run changes nothing, a removed volume leaves the block,
// and a value with whitespace is refused before fstab is touched.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const FEATURES = join(import.meta.dirname, '../../features');

function fake(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'phx-nfs-'));
  const feature = join(dir, 'feature');
  cpSync(join(FEATURES, 'nfs_mounts'), feature, { recursive: true });
  cpSync(join(FEATURES, 'lib'), join(feature, 'lib'), { recursive: true });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  fake(bin, 'id', '[ "$1" = "-u" ] && { echo 0; exit 0; }\nexec /usr/bin/id "$@"');
  fake(bin, 'dpkg-query', "printf 'install ok installed'");
  // A mount point counts as mounted once the fake mount has marked it.
  fake(bin, 'mountpoint', '[ -e "$2/.mounted" ]');
  fake(bin, 'mount', 'echo "mount $*" >> "$FAKE_LOG"; touch "$1/.mounted"');
  const fstab = join(dir, 'fstab');
  writeFileSync(fstab, 'UUID=abc / ext4 defaults 0 1\n');
  const mnt = (name: string) => join(dir, 'mnt', name);
  const run = (volumes: unknown[]) => {
    writeFileSync(join(dir, 'entry.json'), JSON.stringify({ vmid: 1001, volumes }));
    rmSync(join(dir, 'log'), { force: true });
    const r = spawnSync('bash', [join(feature, 'install.sh')], {
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        PHX_ID: '1001',
        PHX_ENTRY: join(dir, 'entry.json'),
        PHX_NFS_FSTAB: fstab,
        FAKE_LOG: join(dir, 'log'),
      },
    });
    const log = join(dir, 'log');
    return {
      status: r.status,
      stderr: r.stderr,
      mounts: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
    };
  };
  return { dir, fstab, mnt, run };
}

const vol = (name: string, mount_point: string) => ({
  type: 'nfs',
  name,
  path: `/quickOS/vm-persistent-data/1001/${name}`,
  mount_point,
  server: '10.0.0.13',
});

test('volumes become the fstab block and are mounted once; a second run changes nothing', () => {
  const ws = workspace();
  try {
    const volumes = [vol('data', ws.mnt('data')), vol('certs', ws.mnt('certs'))];
    const first = ws.run(volumes);
    assert.is(first.status, 0, first.stderr);
    assert.equal(first.mounts, [`mount ${ws.mnt('data')}`, `mount ${ws.mnt('certs')}`]);
    const block = [
      '# phx nfs_mounts: begin (managed by phx, edits are overwritten)',
      `10.0.0.13:/quickOS/vm-persistent-data/1001/data ${ws.mnt('data')} nfs defaults,_netdev,nofail 0 0`,
      `10.0.0.13:/quickOS/vm-persistent-data/1001/certs ${ws.mnt('certs')} nfs defaults,_netdev,nofail 0 0`,
      '# phx nfs_mounts: end',
    ];
    assert.is(
      readFileSync(ws.fstab, 'utf8'),
      ['UUID=abc / ext4 defaults 0 1', ...block, ''].join('\n'),
    );
    const second = ws.run(volumes);
    assert.is(second.status, 0, second.stderr);
    assert.equal(second.mounts, []);
    assert.is(
      readFileSync(ws.fstab, 'utf8'),
      ['UUID=abc / ext4 defaults 0 1', ...block, ''].join('\n'),
    );
    // One volume removed: its line leaves the block, the root line stays.
    const third = ws.run([volumes[0]]);
    assert.is(third.status, 0, third.stderr);
    assert.not.match(readFileSync(ws.fstab, 'utf8'), /certs/);
    assert.match(
      readFileSync(ws.fstab, 'utf8'),
      /^UUID=abc \/ ext4 defaults 0 1\n# phx nfs_mounts: begin/,
    );
    // None left: no block at all.
    assert.is(ws.run([]).status, 0);
    assert.is(readFileSync(ws.fstab, 'utf8'), 'UUID=abc / ext4 defaults 0 1\n');
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('a value with whitespace is refused and fstab is left as it was', () => {
  const ws = workspace();
  try {
    const r = ws.run([{ ...vol('data', ws.mnt('data')), server: '10.0.0.13 evil' }]);
    assert.is(r.status, 1);
    assert.match(r.stderr, /volume data: server '10\.0\.0\.13 evil' is empty or holds whitespace/);
    assert.is(readFileSync(ws.fstab, 'utf8'), 'UUID=abc / ext4 defaults 0 1\n');
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test.run();
