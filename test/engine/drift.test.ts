// Drift is a reason (DESIGN §8): a hand edit of a guest's settings on the host
// makes plan say so and build put the declared value back; a layer snapshot
// deleted or re-made by hand resumes that guest from its last good layer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { builtRig, expectCode, simRun, simSnapshots } from '../lifecycle/helpers.ts';

let rig: Rig;
test.before(async () => {
  rig = await builtRig();
});
test.after(() => {
  rig.cleanup();
});

test('a hand edit of memory is planned as drift and repaired by the next build', async () => {
  const set = await simRun(rig, 'pct', 'set', '953', '--memory', '999');
  assert.is(set.exitCode, 0, set.stderr);
  const plan = await rig.planJson();
  const rows = plan.json.targets.filter((t) => t.action === 'build');
  assert.equal(
    rows.map((t) => t.id),
    ['lxc/953/settings'],
  );
  assert.equal(rows[0]!.reasons, [{ kind: 'drift', key: 'memory', live: '999', declared: '2048' }]);
  const text = await rig.phx(['plan']);
  assert.match(text.stdout, /drift: memory 999 → 2048/);
  const build = await rig.buildJson(['953']);
  expectCode(build, 0, 'build 953');
  const ran = build.json.targets.find((t) => t.id === 'lxc/953/settings')!;
  assert.is(ran.action, 'built');
  assert.ok(
    ran.commands.some((c) => c.join(' ').includes('--memory 2048')),
    JSON.stringify(ran.commands),
  );
  const after = await rig.phx(['plan', '--detailed-exitcode']);
  expectCode(after, 0, 'plan after the repair');
});

test('the no-op fast path does not hide drift', async () => {
  // Twice: the second plan may be answered from the record of the first.
  expectCode(await rig.phx(['plan', '--detailed-exitcode']), 0, 'plan');
  expectCode(await rig.phx(['plan', '--detailed-exitcode']), 0, 'plan again');
  const set = await simRun(rig, 'pct', 'set', '953', '--hostname', 'renamed-by-hand');
  assert.is(set.exitCode, 0, set.stderr);
  const plan = await rig.phx(['plan', '--detailed-exitcode']);
  expectCode(plan, 2, 'plan with drift');
  assert.match(plan.stdout, /drift: hostname renamed-by-hand → /);
  expectCode(await rig.phx(['build', '953', '--quiet']), 0, 'build 953');
  expectCode(await rig.phx(['plan', '--detailed-exitcode']), 0, 'plan after');
});

test('a layer snapshot gone from the host resumes the guest from the layer below', async () => {
  const newest = await newestLayer('953');
  const del = await simRun(rig, 'pct', 'delsnapshot', '953', newest);
  assert.is(del.exitCode, 0, del.stderr);
  const plan = await rig.planJson(['953']);
  const layer = plan.json.targets.find((t) =>
    t.reasons.some((r: { kind: string }) => r.kind === 'output-missing'),
  );
  assert.ok(layer, JSON.stringify(plan.json.targets));
  expectCode(await rig.phx(['build', '953', '--quiet']), 0, 'build 953');
  expectCode(await rig.phx(['plan', '--detailed-exitcode']), 0, 'plan after');
});

test("a layer snapshot re-made by hand is no longer phx's: planned, and kept", async () => {
  const newest = await newestLayer('953');
  assert.is((await simRun(rig, 'pct', 'delsnapshot', '953', newest)).exitCode, 0);
  const again = await simRun(rig, 'pct', 'snapshot', '953', newest, '--description', 'by hand');
  assert.is(again.exitCode, 0, again.stderr);
  const plan = await rig.planJson(['953']);
  const layer = plan.json.targets.find((t) =>
    t.reasons.some((r: { kind: string }) => r.kind === 'output-missing'),
  )!;
  assert.match(JSON.stringify(layer.reasons), /no longer matches/);
  // Resuming would roll back past it; phx never deletes a snapshot it did not take.
  const r = await rig.phx(['build', '953']);
  expectCode(r, 1, 'build 953');
  assert.match(r.stderr, new RegExp(`'${newest}' is newer and phx did not make it`));
});

async function newestLayer(id: string): Promise<string> {
  return (await simSnapshots(rig, id)).filter((n) => n.startsWith('phx-')).at(-1)!;
}

test.run();
