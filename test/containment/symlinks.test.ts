// Nothing outside a feature's folder is pushed or hashed: a link leaving it is
// a validation error naming the link and its target (before any host is
// touched); a link to a file inside is that file's bytes, pushed and hashed
// alike; staging and hashing refuse or skip an escaping link even when
// validation did not run.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpError } from '../../src/core/failure.ts';
import { stage, copyContained } from '../../rules/stage.ts';
import { featureFiles } from '../../targets/files.ts';
import { Rig, toBuild } from '../helpers/rig.ts';
import { guestFile, guestFiles } from '../secrets/helpers.ts';

test('a symlink to /etc/shadow in a feature folder is refused, naming the link', async () => {
  const rig = Rig.create();
  try {
    symlinkSync('/etc/shadow', rig.path('features/nginx/shadow'));
    symlinkSync('../base_setup/install.sh', rig.path('features/nginx/sibling.sh'));
    mkdirSync(rig.path('features/nginx/conf'));
    symlinkSync('conf', rig.path('features/nginx/conf-link'));
    symlinkSync('/etc/passwd', rig.path('features/apps/passwd'));
    const v = await rig.phx(['validate']);
    assert.is(v.code, 1);
    for (const line of [
      "features/apps/passwd:1:1: error: symlink to /etc/passwd leaves features/apps: phx pushes and hashes nothing outside a feature's folder (copy the file in instead)",
      'features/nginx/conf-link:1:1: error: symlink to conf names a folder: only links to files inside features/nginx are followed',
      "features/nginx/shadow:1:1: error: symlink to /etc/shadow leaves features/nginx: phx pushes and hashes nothing outside a feature's folder (copy the file in instead)",
      "features/nginx/sibling.sh:1:1: error: symlink to ../base_setup/install.sh leaves features/nginx: phx pushes and hashes nothing outside a feature's folder (copy the file in instead)",
    ])
      assert.ok(v.stderr.includes(line + '\n'), `${line}\nnot in:\n${v.stderr}`);
    const b = await rig.phx(['build', '--all']);
    assert.is(b.code, 1);
    assert.match(b.stderr, /features\/nginx\/shadow:1:1: error: symlink to \/etc\/shadow/);
    assert.not.ok(existsSync(rig.path('.phoenix-sim')), 'no host was touched');
  } finally {
    rig.cleanup();
  }
});

test('a link to a file inside the folder is pushed and hashed as that file', async () => {
  const rig = Rig.create();
  try {
    rig.write('features/nginx/data.txt', 'first\n');
    rig.write('features/nginx/other.txt', 'second\n');
    symlinkSync('data.txt', rig.path('features/nginx/alias.txt'));
    const b = await rig.phx(['build', '953']);
    assert.is(b.code, 0, b.stderr);
    const pushed = '/var/lib/phx/run/lxc_953_feature_nginx/alias.txt';
    assert.is(guestFiles(rig, 953)[pushed]?.type, 'file');
    assert.is(guestFile(rig, 953, pushed), 'first\n');
    // Pointing the link elsewhere inside changes what is pushed: it rebuilds.
    rmSync(rig.path('features/nginx/alias.txt'));
    symlinkSync('other.txt', rig.path('features/nginx/alias.txt'));
    const plan = await rig.planJson(['953']);
    assert.ok(toBuild(plan.json).includes('lxc/953/feature/nginx'), plan.stdout);
    const reasons = plan.json.targets.find((t) => t.id === 'lxc/953/feature/nginx')!.reasons;
    assert.ok(
      reasons.some((r: { input?: string }) => r.input?.endsWith('features/nginx/alias.txt')),
      JSON.stringify(reasons),
    );
  } finally {
    rig.cleanup();
  }
});

test('staging and hashing never follow a link out, validated or not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phx-containment-'));
  try {
    const feature = join(dir, 'features', 'f');
    mkdirSync(feature, { recursive: true });
    writeFileSync(join(feature, 'install.sh'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(feature, 'real.txt'), 'inside\n');
    symlinkSync('real.txt', join(feature, 'inside.txt'));
    symlinkSync('/etc/hostname', join(feature, 'host.txt'));
    const files = (await featureFiles(feature)).map((p) => p.slice(feature.length + 1));
    assert.equal(files, ['inside.txt', 'install.sh', 'real.txt']);
    try {
      await stage(join(dir, 'scratch'), join(dir, 'features'), [{ from: feature, to: '' }]);
      assert.unreachable('staged a link to /etc/hostname');
    } catch (e) {
      assert.instance(e, OpError);
      assert.match((e as Error).message, /host\.txt: symlink to \/etc\/hostname leaves/);
    }
    // Files a guest published (artifacts) are held to the same rule.
    const artifacts = join(dir, 'artifacts');
    mkdirSync(artifacts);
    symlinkSync('/etc/hostname', join(artifacts, 'root_ca.crt'));
    try {
      await copyContained(artifacts, join(dir, 'out'), artifacts);
      assert.unreachable('copied an artifact link to /etc/hostname');
    } catch (e) {
      assert.instance(e, OpError);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
