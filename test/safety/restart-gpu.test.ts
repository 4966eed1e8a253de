// Item 8.7: a settings change a running guest takes only at its next start
// (GPU passthrough's raw lxc.* lines) restarts the guest, its dependants
// stopped first and started again after; with --no-restart the guest keeps
// running and `build` and `phx status` say "restart pending", read off the
// node (the running config), so it clears once the guest restarts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { builtRig, expectCode, simRun } from '../lifecycle/helpers.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

function setGpus(rig: Rig, id: string, gpus: string): void {
  rig.editJson(lxc, (doc: { lxc_configs: Record<string, Record<string, unknown>> }) => {
    doc.lxc_configs[id]!.gpu_assignment = gpus;
  });
}

/** `pct stop|start <id>` lines journalled after entry `from`, as "stop 950". */
function powerLines(rig: Rig, from: number): string[] {
  return rig
    .journal()
    .slice(from)
    .filter(
      (e: { op: string; argv?: string[] }) =>
        e.op === 'run' && e.argv?.[0] === 'pct' && ['stop', 'start'].includes(e.argv[1]!),
    )
    .map((e: { argv: string[] }) => `${e.argv[1]} ${e.argv[2]}`);
}

async function isRunning(rig: Rig, id: string): Promise<boolean> {
  const r = await simRun(rig, 'pct', 'status', id);
  return r.stdout.includes('running');
}

test('a GPU change restarts the running guest; the device lines are live after', async () => {
  const rig = await builtRig(['--all']);
  try {
    assert.ok(await isRunning(rig, '950'), '950 runs after build --all');
    setGpus(rig, '950', '0,1');
    const from = rig.journal().length;
    const r = await rig.buildJson(['950']);
    expectCode(r, 0, 'build 950');
    const restart = (r.json as unknown as { restart?: Record<string, any> }).restart;
    assert.is(restart?.type, 'restarted', JSON.stringify(restart));
    assert.ok(
      (restart?.pending['950'] as string[]).includes('lxc.mount.entry'),
      JSON.stringify(restart),
    );
    assert.equal(restart?.cycled, ['950'], '950 has no dependants');
    assert.equal(powerLines(rig, from), ['stop 950', 'start 950']);
    assert.ok(await isRunning(rig, '950'));
    const status = await rig.phx(['status', '950']);
    expectCode(status, 0, 'status 950');
    assert.not.match(status.stdout, /restart pending/);
    // Nothing left: a second build neither applies nor restarts anything.
    const again = await rig.buildJson(['950']);
    expectCode(again, 0, 'second build');
    assert.is((again.json as unknown as { restart?: unknown }).restart, undefined);
  } finally {
    rig.cleanup();
  }
});

test('a restart stops the dependants first and starts them again after', async () => {
  const rig = await builtRig(['--all']);
  try {
    // 101 and 102 depend on 103; 950, 953 and 955 on 102.
    setGpus(rig, '103', '0');
    const from = rig.journal().length;
    const r = await rig.buildJson(['103']);
    expectCode(r, 0, 'build 103');
    const lines = powerLines(rig, from);
    const stops = lines.filter((l) => l.startsWith('stop')).map((l) => l.slice(5));
    const starts = lines.filter((l) => l.startsWith('start')).map((l) => l.slice(6));
    assert.equal([...stops].sort(), ['101', '102', '103', '950', '953', '955']);
    assert.equal(starts, [...stops].reverse(), 'started again in the reverse order');
    const at = (id: string) => stops.indexOf(id);
    for (const d of ['950', '953', '955']) assert.ok(at(d) < at('102'), `${d} stops before 102`);
    for (const d of ['101', '102']) assert.ok(at(d) < at('103'), `${d} stops before 103`);
    assert.is(lines.length, stops.length + starts.length);
    for (const id of stops) assert.ok(await isRunning(rig, id), `${id} runs again`);
  } finally {
    rig.cleanup();
  }
});

test('--no-restart leaves the guest running and status says restart pending', async () => {
  const rig = await builtRig(['--all']);
  try {
    setGpus(rig, '950', '0,1');
    const from = rig.journal().length;
    const r = await rig.phx(['build', '950', '--no-restart']);
    expectCode(r, 0, 'build 950 --no-restart');
    assert.match(r.stderr, /restart pending \(--no-restart\): 950 \(lxc\.mount\.entry\)/);
    assert.equal(powerLines(rig, from), [], 'nothing stopped or started');
    assert.ok(await isRunning(rig, '950'));
    const status = await rig.phx(['status', '950']);
    expectCode(status, 0, 'status');
    assert.match(status.stdout, /950\s+lxc\s+\S+\s+running, restart pending/);
    assert.match(status.stdout, /restart pending: lxc\.mount\.entry \(taken at the next start\)/);
    const json = await rig.phx(['status', '950', '--json']);
    const row = (JSON.parse(json.stdout) as { guests: { restartPending: string[] }[] }).guests[0];
    assert.equal(row?.restartPending, ['lxc.mount.entry']);
    // The pending state lives on the node: a restart by hand clears it.
    expectCode(await rig.phx(['restart', '950']), 0, 'restart 950');
    const after = await rig.phx(['status', '950']);
    assert.not.match(after.stdout, /restart pending/);
  } finally {
    rig.cleanup();
  }
});

test.run();
