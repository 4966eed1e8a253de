// Fingerprints are relocatable (DESIGN §8): file keys are relative to the root
// of their role, so a workspace copied to another path, or a features folder
// kept outside the workspace and moved, plans a no-op.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rig } from '../helpers/rig.ts';

test('a workspace copied to another path plans a no-op', async () => {
  const rig = Rig.create();
  const elsewhere = mkdtempSync(join(tmpdir(), 'phx-moved-'));
  try {
    const built = await rig.phx(['build', '--all', '--quiet']);
    assert.is(built.code, 0, built.stderr);
    cpSync(rig.dir, join(elsewhere, 'ws'), { recursive: true });
    const moved = Rig.at(join(elsewhere, 'ws'));
    const plan = await moved.phx(['plan', '--detailed-exitcode']);
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /Nothing to build/);
  } finally {
    rig.cleanup();
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('a features folder outside the workspace, moved, plans a no-op', async () => {
  const rig = Rig.create();
  const outside = mkdtempSync(join(tmpdir(), 'phx-features-'));
  try {
    renameSync(rig.path('features'), join(outside, 'one'));
    const built = await rig.phx([
      'build',
      '--all',
      '--quiet',
      '--features-dir',
      join(outside, 'one'),
    ]);
    assert.is(built.code, 0, built.stderr);
    renameSync(join(outside, 'one'), join(outside, 'two'));
    const plan = await rig.phx([
      'plan',
      '--detailed-exitcode',
      '--features-dir',
      join(outside, 'two'),
    ]);
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    // And the keys name the role, not the disk.
    const json = await rig.planJson(['--features-dir', join(outside, 'two')]);
    assert.is(json.json.summary.build, 0);
    const edit = join(outside, 'two', 'nvidia', 'install.sh');
    appendFileSync(edit, '# edit\n');
    const changed = await rig.planJson(['--features-dir', join(outside, 'two')]);
    const reasons = changed.json.targets.find((t) => t.id === 'lxc/901/feature/nvidia')!.reasons;
    // The line count is read against the moved folder too: one line appended.
    assert.equal(reasons, [
      {
        kind: 'input-changed',
        input: 'file:features/nvidia/install.sh',
        lines: { added: 1, removed: 0 },
      },
    ]);
  } finally {
    rig.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});

test.run();
