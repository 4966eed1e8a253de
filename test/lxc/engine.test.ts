// phx on real LXC containers, end to end through the binary: a three-level
// clone chain built from a busybox rootfs, a no-op rebuild, an edit of the
// middle feature that rebuilds the middle guest from its clone layer and its
// clone from scratch (proved by the files inside them), an artifact handed
// from a producer to a consumer, drift after a hand edit, and delete.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, built, toBuild } from '../helpers/rig.ts';
import { buildBusyboxTarball } from './busybox-rootfs.ts';
import { writeLayerFeature, writeLxcWorkspace } from './engine-workspace.ts';
import { lxcMissing } from './lxc-harness.ts';

const bridge = 'phxtest2';
const skip = lxcMissing();
const test = suite(skip === undefined ? 'phx on lxc' : `phx on lxc (skipped: ${skip})`);

let rig: Rig;
let work: string;
let lxcPath: string;
const env = () => ({ PHX_LXC_PATH: lxcPath });
const inGuest = (id: number, path: string) =>
  readFileSync(join(lxcPath, String(id), 'rootfs', path), 'utf8');
const quiet = (argv: string[]) => {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
};

if (skip === undefined) {
  test.before(async () => {
    work = await mkdtemp(join(tmpdir(), 'phx-lxc-engine-'));
    lxcPath = join(work, 'lxc');
    quiet(['ip', 'link', 'del', bridge]);
    execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
    execFileSync('ip', ['link', 'set', bridge, 'up']);
    rig = Rig.create({ configs: 'test/fixtures/empty-configs' });
    writeLxcWorkspace({ dir: rig.dir, tarball: await buildBusyboxTarball(work), bridge });
  });

  test.after(async () => {
    for (const id of ['900', '910', '920', '930']) {
      quiet(['lxc-stop', '-P', lxcPath, '-n', id, '-k']);
      quiet(['lxc-destroy', '-P', lxcPath, '-n', id, '-s']);
    }
    quiet(['ip', 'link', 'del', bridge]);
    rig.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  test('a full build makes real containers with every layer inside', async () => {
    const r = await rig.buildJson(['--all', '--backend', 'lxc'], { env: env() });
    assert.is(r.code, 0, r.stderr);
    assert.is(inGuest(920, 'root/layers'), 'layer_a\nlayer_b\nlayer_c\n');
    assert.is(inGuest(920, 'root/app'), 'app for 920\n');
    assert.is(inGuest(910, 'root/layers'), 'layer_a\nlayer_b\n');
    assert.not.ok(existsSync(join(lxcPath, '910', 'rootfs', 'root', 'app')));
  });

  test('an artifact published by one guest reaches its consumer', () => {
    assert.is(inGuest(920, 'root/token'), 'token-1\n');
  });

  test('a second build does nothing', async () => {
    const r = await rig.buildJson(['--all', '--backend', 'lxc'], { env: env() });
    assert.is(r.code, 0, r.stderr);
    assert.equal(built(r.json), []);
  });

  test('editing the middle feature rebuilds the middle guest from its clone layer and its clone', async () => {
    writeLayerFeature(rig.dir, 'layer_b', 'v2');
    const plan = await rig.planJson(['--backend', 'lxc'], { env: env() });
    const entries = [...new Set(toBuild(plan.json).map((id) => id.split('/')[1]))].sort();
    assert.equal(entries, ['910', '920']);
    assert.not.ok(toBuild(plan.json).includes('lxc/910/clone'), '910 keeps its clone layer');
    const r = await rig.buildJson(['--all', '--yes', '--backend', 'lxc'], { env: env() });
    assert.is(r.code, 0, r.stderr);
    // Rolled back to the clone layer, so layer_b ran once more on a clean layer.
    assert.is(inGuest(910, 'root/layers'), 'layer_a\nlayer_b\n');
    assert.is(inGuest(910, 'root/layer_b'), 'layer_b-v2\n');
    assert.is(inGuest(920, 'root/layer_b'), 'layer_b-v2\n');
    assert.is(inGuest(920, 'root/layers'), 'layer_a\nlayer_b\nlayer_c\n');
    const cmds = r.json.targets.flatMap((t) => t.commands.map((c) => c.join(' ')));
    assert.ok(
      cmds.some((c) => /lxc-snapshot .*-n 910 -r snap\d+/.test(c)),
      `910 restored a snapshot:\n${cmds.join('\n')}`,
    );
    assert.is(inGuest(900, 'root/layers'), 'layer_a\n', '900 untouched');
  });

  test('status reports drift after a hand edit of the container config', async () => {
    const clean = await rig.phx(['status', '920', '--backend', 'lxc', '--json'], { env: env() });
    assert.is(clean.code, 0, clean.stderr);
    assert.equal(
      (JSON.parse(clean.stdout) as { guests: { drift: unknown[] }[] }).guests[0]!.drift,
      [],
    );
    const config = join(lxcPath, '920', 'config');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/(lxc\.uts\.name = ).*/, '$1hand-edited'),
    );
    const drifted = await rig.phx(['status', '920', '--backend', 'lxc', '--json'], { env: env() });
    const drift = (
      JSON.parse(drifted.stdout) as { guests: { drift: { key?: string; live?: string }[] }[] }
    ).guests[0]!.drift;
    assert.ok(
      drift.some((d) => d.key === 'lxc.uts.name' && d.live === 'hand-edited'),
      JSON.stringify(drift),
    );
  });

  test('delete refuses while clones exist, then cleans up', async () => {
    const refused = await rig.phx(['delete', '910', '--backend', 'lxc'], { env: env() });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /920/);
    for (const id of ['920', '910']) {
      const r = await rig.phx(['delete', id, '--backend', 'lxc'], { env: env() });
      assert.is(r.code, 0, r.stderr);
      assert.not.ok(existsSync(join(lxcPath, id)), `${id} is gone`);
    }
    const ls = JSON.parse((await rig.phx(['cache', 'ls', '--json'])).stdout) as {
      targets: Record<string, unknown>;
    };
    assert.not.ok(
      Object.keys(ls.targets).some((id) => id.startsWith('lxc/910/') || id.startsWith('lxc/920/')),
    );
  });
}

test.run();
