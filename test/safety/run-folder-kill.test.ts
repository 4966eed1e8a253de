// The local run folder holding a step's resolved secrets: private (0700,
// files 0600) while it exists, and when phx is killed -9 in the middle of a
// push it is left behind named for the dead pid, then removed as the next
// build starts; before that build runs any step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envOf, plaintext, readAll, runFolders, secretRig } from '../secrets/helpers.ts';

const nginx953 = 'lxc/953/feature/nginx';
const ctxMkdir = [
  'pct',
  'exec',
  '953',
  '--',
  'mkdir',
  '-p',
  '/var/lib/phx/ctx/lxc_953_feature_nginx',
];

test('killed -9 mid-push: the 0700 run folder is left, and the next build removes it first', async () => {
  const rig = secretRig();
  const admin = plaintext('admin');
  const never = rig.path('never');
  // Held while the run folder holds entry.json, just before its files are pushed.
  const run = rig.spawn(['build', '953'], {
    env: envOf(rig, admin, plaintext('root')),
    faults: [{ target: nginx953, match: ctxMkdir, action: 'wait-file', path: never, times: 1 }],
  });
  try {
    // The held step's folder: the one that holds its resolved secret (other
    // steps of the build, host targets first, may have made and removed theirs).
    const holds = (n: string): boolean => {
      try {
        return readAll(rig.path(`tmp/${n}`)).includes(admin);
      } catch {
        return false; // removed while being read: another step's, done
      }
    };
    const holding = () => runFolders(rig).filter((n) => n.startsWith('phx-run-') && holds(n));
    await rig.waitFor(() => holding().length > 0, 'a run folder holding the secret');
    const [name] = holding();
    const dir = rig.path(`tmp/${name!}`);
    assert.ok(name!.startsWith(`phx-run-${run.child.pid!}-`), `named for its pid: ${name!}`);
    assert.is((statSync(dir).mode & 0o777).toString(8), '700');
    for (const f of readdirSync(dir))
      assert.is((statSync(join(dir, f)).mode & 0o777).toString(8), '600', f);
    assert.ok(readAll(dir).includes(admin), 'it holds the resolved secret');
    run.child.kill('SIGKILL');
    await run.done;
    assert.ok(existsSync(dir), 'kill -9 leaves it behind');

    // The next build (the step no longer held) starts by sweeping it.
    writeFileSync(never, '');
    const r = await rig.phx(['build', '953'], { env: envOf(rig, admin, plaintext('root')) });
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(dir), 'swept');
    assert.equal(runFolders(rig), [], 'and its own run folders are gone too');
    assert.not.ok(readAll(rig.path('tmp')).includes(admin), 'no plaintext left in the temp folder');
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    rig.cleanup();
  }
});

test('a build with nothing to do still sweeps a dead run folder', async () => {
  const rig = secretRig();
  try {
    const first = await rig.phx(['build', '953'], { env: envOf(rig, 'a', 'b') });
    assert.is(first.code, 0, first.stderr);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = rig.path(`tmp/phx-run-${dead}-zz9`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'entry.json'), '{"admin_password":"x"}', { mode: 0o600 });
    const r = await rig.phx(['build', '953'], { env: envOf(rig, 'a', 'b') });
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(stale), 'a no-op build still sweeps');
  } finally {
    rig.cleanup();
  }
});

test.run();
