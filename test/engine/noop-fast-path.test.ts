// The no-op fast path of `phx plan` answers exactly as the full planner does,
// and steps aside whenever anything could have changed: an edited input, a
// record gone, an output deleted on the host.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { Rig, toBuild } from '../helpers/rig.ts';
import { SimRunner } from '../../src/sim/runner.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

test('the fast answer equals the full one, and edits or lost outputs fall back to the full planner', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    // The first plan after a build is a full one (new records); it remembers its targets.
    const marker = /answered from its record/;
    const full = await rig.phx(['plan', '--json', '--verbose']);
    const fast = await rig.phx(['plan', '--json', '--verbose']);
    assert.not.match(full.stderr, marker);
    assert.match(fast.stderr, marker);
    assert.is(fast.stdout, full.stdout);
    const fullText = await rig.phx(['plan', '--verbose']);
    assert.match(fullText.stdout, /Nothing to build: \d+ targets up to date\./);
    assert.match(fullText.stdout, /vm\/1002\/feature\/portainer_agent +skip/);
    // An edited feature changes the inputs' signature: the full planner explains.
    rig.append('features/nginx/install.sh', '\n# edit\n');
    const edited = await rig.planJson(['--verbose']);
    assert.not.match(edited.stderr, marker);
    assert.ok(toBuild(edited.json).includes('lxc/953/feature/nginx'));
    rig.write(
      'features/nginx/install.sh',
      rig.read('features/nginx/install.sh').replace('\n# edit\n', ''),
    );
    // Equal signature again (content back, but mtime moved): full plan, then fast, both clean.
    assert.equal(toBuild((await rig.planJson()).json), []);
    // Fast again: the first checks every record and remembers they matched,
    // the second reads no record at all; both still ask the host for outputs.
    for (let i = 0; i < 2; i++) {
      const again = await rig.planJson(['--verbose']);
      assert.match(again.stderr, marker);
      assert.equal(toBuild(again.json), []);
    }
    // An output deleted on the host: the fast path sees it and steps aside.
    const ls = JSON.parse((await rig.phx(['cache', 'ls', '--json'])).stdout) as {
      targets: Record<string, { output: string }>;
    };
    const snap = ls.targets['lxc/955/feature/ollama']!.output;
    const sim = new SimRunner({
      dir: rig.path('.phoenix-sim'),
      durations: {},
      scale: 0,
      faults: [],
    });
    const del = await sim.run(['pct', 'delsnapshot', '955', snap], {
      signal: new AbortController().signal,
    });
    assert.is(del.exitCode, 0, del.stderr);
    const missing = await rig.planJson();
    assert.equal(missing.json.targets.find((t) => t.id === 'lxc/955/feature/ollama')!.reasons, [
      { kind: 'output-missing', output: snap },
    ]);
    // A config edit that changes nothing built still re-plans fully and stays a no-op.
    rig.editJson(lxc, (d) => {
      d.lxc_configs['953'].dependencies = ['103'];
    });
    assert.ok(
      (await rig.planJson()).json.summary.build > 0,
      'the deleted snapshot still needs a rebuild',
    );
  } finally {
    rig.cleanup();
  }
});

test('a lost cache record is never answered from the fast path', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    await rig.phx(['plan']);
    assert.is((await rig.phx(['plan', '--detailed-exitcode'])).code, 0);
    rmSync(rig.path('.phoenix-cache'), { recursive: true, force: true });
    const r = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(r.code, 2);
  } finally {
    rig.cleanup();
  }
});

test.run();
