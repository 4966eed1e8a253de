// pct push / exec / pull against the CT's filesystem model.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missing } from '../helpers/require.ts';
import { createCt, expectOk, makeSim, tempDir } from './sim-helpers.ts';

async function localFile(name: string, content: string): Promise<string> {
  const dir = await tempDir('phx-sim-local-');
  const p = join(dir, name);
  await writeFile(p, content, { mode: 0o755 });
  return p;
}

test('push needs a running CT, an existing local file and an existing parent dir', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  const f = await localFile('install.sh', '#!/bin/sh\necho hi\n');
  assert.is(
    (await rig.run('pct', 'push', '950', f, '/tmp/install.sh')).stderr,
    'CT 950 not running\n',
  );
  expectOk(await rig.run('pct', 'start', '950'), 'start');
  assert.match(
    (await rig.run('pct', 'push', '950', '/nonexistent/x', '/tmp/x')).stderr,
    /failed to open \/nonexistent\/x/,
  );
  assert.is(
    (await rig.run('pct', 'push', '950', f, '/var/lib/phx/run/install.sh')).stderr,
    'failed to open /var/lib/phx/run/install.sh for writing: No such file or directory\n',
  );
  expectOk(await rig.run('pct', 'exec', '950', '--', 'mkdir', '-p', '/var/lib/phx/run'), 'mkdir');
  expectOk(
    await rig.run('pct', 'push', '950', f, '/var/lib/phx/run/install.sh', '--perms', '0755'),
    'push',
  );
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'cat', '/var/lib/phx/run/install.sh')).stdout,
    '#!/bin/sh\necho hi\n',
  );
});

test('exec: pushed programs run (recorded), missing paths exit 127, bare names are on the guest PATH, env -C resolves relative paths', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--start', '1'), 'create');
  const f = await localFile('install.sh', '#!/bin/sh\n');
  assert.is((await rig.run('pct', 'exec', '950', '--', '/opt/missing.sh')).exitCode, 127);
  // Installed by a feature's apt/pip step, which the sim does not model.
  assert.is((await rig.run('pct', 'exec', '950', '--', 'nvidia-smi')).exitCode, 0);
  expectOk(
    await rig.run(
      'pct',
      'exec',
      '950',
      '--',
      'mkdir',
      '-p',
      '/var/lib/phx/run/lxc-950-feature-vllm',
    ),
    'mkdir',
  );
  expectOk(
    await rig.run(
      'pct',
      'push',
      '950',
      f,
      '/var/lib/phx/run/lxc-950-feature-vllm/install.sh',
      '--perms',
      '0644',
    ),
    'push',
  );
  const dir = '/var/lib/phx/run/lxc-950-feature-vllm';
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'env', '-C', dir, 'PHX_ID=950', './install.sh'))
      .exitCode,
    126,
    'not executable yet',
  );
  expectOk(await rig.run('pct', 'exec', '950', '--', 'chmod', '+x', `${dir}/install.sh`), 'chmod');
  expectOk(
    await rig.run(
      'pct',
      'exec',
      '950',
      '--',
      'env',
      '-C',
      dir,
      'PHX_ID=950',
      'PHX_GPUS=',
      './install.sh',
    ),
    'run script',
  );
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'env', '-C', '/nope', './install.sh')).exitCode,
    125,
  );
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'test', '-x', `${dir}/install.sh`)).exitCode,
    0,
  );
  assert.is((await rig.run('pct', 'exec', '950', '--', 'bash', '/root/none.sh')).exitCode, 127);
  expectOk(await rig.run('pct', 'exec', '950', '--', 'rm', '-rf', '/var/lib/phx/run'), 'rm');
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'test', '-e', `${dir}/install.sh`)).exitCode,
    1,
  );
  // Rollback restores the filesystem model too.
  expectOk(await rig.run('pct', 'snapshot', '950', 'clean'), 'snap');
  expectOk(await rig.run('pct', 'exec', '950', '--', 'touch', '/root/marker'), 'touch');
  expectOk(await rig.run('pct', 'rollback', '950', 'clean', '--start', '1'), 'rollback');
  assert.is((await rig.run('pct', 'exec', '950', '--', 'test', '-e', '/root/marker')).exitCode, 1);
});

test('pull writes a file of the CT model to the local path', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--start', '1'), 'create');
  const f = await localFile('out.json', '{"ok":true}');
  expectOk(await rig.run('pct', 'push', '950', f, '/root/out.json'), 'push');
  const dest = join(await tempDir('phx-sim-pull-'), 'got.json');
  expectOk(await rig.run('pct', 'pull', '950', '/root/out.json', dest), 'pull');
  assert.is(await readFile(dest, 'utf8'), '{"ok":true}');
  assert.match(
    (await rig.run('pct', 'pull', '950', '/root/none', dest)).stderr,
    /failed to open \/root\/none: No such file or directory/,
  );
});

test('a pushed tarball extracted with tar -xf appears file by file', async () => {
  if (missing({ tools: ['tar'] }) !== undefined) return;
  const rig = await makeSim();
  expectOk(await createCt(rig, 950, '--start', '1'), 'create');
  const src = await tempDir('phx-sim-tar-');
  await mkdir(join(src, 'feat', 'lib'), { recursive: true });
  await writeFile(join(src, 'feat', 'install.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(join(src, 'feat', 'lib', 'x.txt'), 'x');
  const tarball = join(src, 'feat.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', join(src, 'feat'), '.']);
  expectOk(await rig.run('pct', 'push', '950', tarball, '/tmp/feat.tar.gz'), 'push');
  expectOk(await rig.run('pct', 'exec', '950', '--', 'mkdir', '-p', '/var/lib/phx/run/f'), 'mkdir');
  expectOk(
    await rig.run(
      'pct',
      'exec',
      '950',
      '--',
      'tar',
      '-xzf',
      '/tmp/feat.tar.gz',
      '-C',
      '/var/lib/phx/run/f',
    ),
    'untar',
  );
  expectOk(
    await rig.run('pct', 'exec', '950', '--', '/var/lib/phx/run/f/install.sh'),
    'exec extracted',
  );
  assert.is(
    (await rig.run('pct', 'exec', '950', '--', 'cat', '/var/lib/phx/run/f/lib/x.txt')).stdout,
    'x',
  );
});

test.run();
