// What a guest receives while its step runs: entry.json with the secrets its
// feature reads resolved and no other secret; by then the local run folder
// is already gone; after the step, failed or not, entry.json is gone from the
// guest. A run folder a killed phx left behind is swept by the next build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envOf, guestFile, guestFiles, plaintext, runFolders, secretRig } from './helpers.ts';

const nginx953 = 'lxc/953/feature/nginx';
const ctxDir = '/var/lib/phx/ctx/lxc_953_feature_nginx';
const scriptExec = ['pct', 'exec', '953', '--', 'env'];

test('a step sees only the secrets it reads, and entry.json leaves the guest after it', async () => {
  const rig = secretRig();
  const admin = plaintext('admin');
  const root = plaintext('root');
  const release = rig.path('release');
  const run = rig.spawn(['build', '953'], {
    env: envOf(rig, admin, root),
    faults: [{ target: nginx953, match: scriptExec, action: 'wait-file', path: release, times: 1 }],
  });
  try {
    const entryPath = `${ctxDir}/entry.json`;
    await rig.waitFor(
      () =>
        existsSync(rig.path('.phoenix-sim/lxc/953.json')) &&
        guestFiles(rig, 953)[entryPath] !== undefined,
      'entry.json in CT 953',
    );
    const entry = JSON.parse(guestFile(rig, 953, entryPath)!) as Record<string, unknown>;
    assert.is(entry['admin_password'], admin, 'the secret nginx reads, resolved');
    assert.not.ok('registry_token' in entry, 'a root-level secret no step reads is left out');
    assert.is(entry['name'], 'Nginx-VscodeRag', 'the rest of the entry is there');
    // The script is held; the run folder must be gone before it started.
    await rig.waitFor(() => runFolders(rig).length === 0, 'the run folder removed once pushed');
    writeFileSync(release, '');
    const done = await run.done;
    assert.is(done.code, 0, done.stderr);
    assert.is(guestFiles(rig, 953)[entryPath], undefined, 'entry.json removed after the step');
    assert.is(guestFiles(rig, 953)[ctxDir], undefined);
  } finally {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    rig.cleanup();
  }
});

test('entry.json is removed even when the step fails', async () => {
  const rig = secretRig();
  try {
    const r = await rig.phx(['build', '953'], {
      env: envOf(rig, plaintext('admin'), plaintext('root')),
      faults: [
        {
          target: nginx953,
          match: scriptExec,
          action: 'fail',
          message: 'install failed',
          times: 1,
        },
      ],
    });
    assert.is(r.code, 1);
    assert.match(r.stderr, /install failed/);
    const left = Object.keys(guestFiles(rig, 953)).filter((p) => p.startsWith(ctxDir));
    assert.equal(left, []);
    assert.equal(runFolders(rig), []);
  } finally {
    rig.cleanup();
  }
});

test("a build sweeps run folders of dead processes, never a live process's", async () => {
  const rig = secretRig();
  try {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = rig.path(`tmp/phx-run-${dead}-abc123`);
    const live = rig.path(`tmp/phx-run-${process.pid}-def456`);
    const unrelated = rig.path('tmp/phx-runner-notes');
    for (const d of [stale, live, unrelated]) {
      mkdirSync(d);
      writeFileSync(join(d, 'entry.json'), '{}');
    }
    const r = await rig.phx(['build', '953'], { env: envOf(rig, 'a', 'b') });
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(stale), 'the dead process left it: swept');
    assert.ok(existsSync(live), 'a live process may still be pushing it');
    assert.ok(existsSync(unrelated), 'not a run folder');
  } finally {
    rig.cleanup();
  }
});

test.run();
