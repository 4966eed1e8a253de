// "+N −M lines" for a changed input file: the cache keeps keyed digests of a
// built file's lines, and the next plan counts against the file as it is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareLines } from '../../src/engine/line-counts.ts';
import { Rig } from '../helpers/rig.ts';

test('compareLines counts what a diff would: moved, inserted, deleted and repeated lines', () => {
  assert.equal(compareLines(['a', 'b', 'c'], ['a', 'b', 'c']), { added: 0, removed: 0 });
  assert.equal(compareLines(['a', 'b', 'c'], ['a', 'x', 'b', 'c', 'y']), { added: 2, removed: 0 });
  assert.equal(compareLines(['a', 'b', 'c', 'd'], ['a', 'd']), { added: 0, removed: 2 });
  assert.equal(compareLines(['a', 'b', 'c'], ['c', 'b', 'a']), { added: 2, removed: 2 });
  assert.equal(compareLines(['x', 'x', 'x'], ['x', 'x']), { added: 0, removed: 1 });
  assert.equal(compareLines([], ['n']), { added: 1, removed: 0 });
});

test('a plan says how many lines of an edited feature script were added and removed', async () => {
  const rig = Rig.create();
  try {
    const built = await rig.phx(['build', '953']);
    assert.is(built.code, 0, built.stderr);
    const script = 'features/nginx/install.sh';
    const lines = rig.read(script).split('\n');
    // Drop one line from the middle, add two at the end.
    const at = lines.findIndex((l, i) => i > 3 && l.trim() !== '');
    lines.splice(at, 1);
    rig.write(script, lines.join('\n') + '# one\n# two\n');
    const plan = await rig.phx(['plan', '953']);
    assert.is(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /file:features\/nginx\/install\.sh changed \(\+2 −1 lines\)/);
    const json = await rig.planJson(['953']);
    const reason = json.json.targets
      .flatMap((t: { reasons: { input?: string; lines?: unknown }[] }) => t.reasons)
      .find((r: { input?: string }) => r.input === `file:${script}`);
    assert.equal(reason?.lines, { added: 2, removed: 1 });
  } finally {
    rig.cleanup();
  }
});

test('the cache keeps keyed line digests, never a line of the file', async () => {
  const rig = Rig.create();
  try {
    rig.append('features/nginx/install.sh', '\n# TOKEN=plain-line-in-a-script\n');
    const built = await rig.phx(['build', '953']);
    assert.is(built.code, 0, built.stderr);
    for (const name of readdirSync(rig.path('.phoenix-cache'))) {
      if (!name.endsWith('.mdb')) continue;
      const bytes = readFileSync(join(rig.path('.phoenix-cache'), name));
      assert.not.ok(bytes.includes('plain-line-in-a-script'), `${name} holds a line's text`);
    }
  } finally {
    rig.cleanup();
  }
});

test.run();
