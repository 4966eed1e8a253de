// CT locks (concurrent clone from one source, stale lock of a dead process),
// injected faults, durations × scale, and the journal.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TargetId } from '../../src/core/target-id.ts';
import { readJournal } from '../../src/sim/journal.ts';
import { simOptionsFromEnv } from '../../src/sim/runner.ts';
import { createCt, expectOk, makeSim } from './sim-helpers.ts';

const waitFor = async (cond: () => Promise<boolean>) => {
  for (let i = 0; i < 500 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
};

test('a clone holds the source locked: a concurrent clone and other ops fail until it ends', async () => {
  const rig0 = await makeSim();
  const release = join(rig0.dir, 'release-clone');
  const rig = await makeSim({
    faults: [
      { match: ['pct', 'clone', '900', '950'], action: 'wait-file', path: release, times: 1 },
    ],
  });
  expectOk(await createCt(rig, 900), 'create');
  expectOk(await rig.run('pct', 'snapshot', '900', 'final-form'), 'snap');
  const first = rig.run('pct', 'clone', '900', '950', '--snapname', 'final-form');
  await waitFor(async () => /^lock: disk$/m.test((await rig.run('pct', 'config', '900')).stdout));
  const second = await rig.run('pct', 'clone', '900', '951', '--snapname', 'final-form');
  assert.is(second.exitCode, 255);
  assert.is(second.stderr, 'CT 900 is locked (disk)\n');
  assert.is((await rig.run('pct', 'snapshot', '900', 'other')).stderr, 'CT 900 is locked (disk)\n');
  assert.is(
    (await rig.run('pct', 'set', '900', '--memory', '1024')).stderr,
    'CT 900 is locked (disk)\n',
  );
  assert.is(
    (await rig.run('pct', 'config', '950')).stdout.match(/^lock: create$/m)?.[0],
    'lock: create',
  );
  await writeFile(release, '');
  expectOk(await first, 'first clone');
  expectOk(
    await rig.run('pct', 'clone', '900', '951', '--snapname', 'final-form'),
    'clone after release',
  );
  const journal = await readJournal(rig.dir);
  const clones = journal.filter((e) => e.argv?.[1] === 'clone');
  assert.equal(
    clones.map((e) => [e.argv![3], e.accepted]),
    [
      ['951', false],
      ['950', true],
      ['951', true],
    ],
  );
  assert.is(clones[1]!.fault, 'wait-file');
});

test('a stale lock left by a dead process is cleared on next access, with a message', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const deadPid = Number(child.stdout);
  const file = join(rig.dir, 'lxc', '950.json');
  const state = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  state.lock = { name: 'disk', pid: deadPid, since: Date.now() };
  await writeFile(file, JSON.stringify(state));
  const r = await rig.run('pct', 'start', '950');
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stderr, `clearing stale lock 'disk' on CT 950 left by pid ${deadPid}\n`);
  assert.not.match((await rig.run('pct', 'config', '950')).stdout, /^lock:/m);
});

test('a lock set by hand (no pid) stays until pct unlock', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  expectOk(await rig.run('pct', 'set', '950', '--lock', 'backup'), 'set lock');
  assert.is((await rig.run('pct', 'start', '950')).stderr, 'CT 950 is locked (backup)\n');
  expectOk(await rig.run('pct', 'start', '950', '--skiplock'), 'start --skiplock');
  expectOk(await rig.run('pct', 'unlock', '950'), 'unlock');
  expectOk(await rig.run('pct', 'stop', '950'), 'stop');
});

test('fault "fail" by target applies `times` times, counted in the state dir', async () => {
  const target = 'lxc/950/feature/vllm' as TargetId;
  const rig = await makeSim({
    faults: [{ target, action: 'fail', message: 'boom', exitCode: 3, times: 1 }],
  });
  expectOk(await createCt(rig, 950, '--start', '1'), 'create');
  const r1 = await rig.runWith(
    { target, targetKind: 'feature' },
    'pct',
    'exec',
    '950',
    '--',
    'true',
  );
  assert.equal([r1.exitCode, r1.stderr], [3, 'boom\n']);
  const r2 = await rig.runWith(
    { target, targetKind: 'feature' },
    'pct',
    'exec',
    '950',
    '--',
    'true',
  );
  assert.is(r2.exitCode, 0);
  const used = JSON.parse(await readFile(join(rig.dir, 'faults-used.json'), 'utf8')) as Record<
    string,
    number
  >;
  assert.equal(Object.values(used), [1]);
});

test('fault "hang" blocks until the signal aborts; the lock is released', async () => {
  const rig = await makeSim({ faults: [{ match: ['pct', 'snapshot'], action: 'hang' }] });
  expectOk(await createCt(rig, 950), 'create');
  const ac = new AbortController();
  const p = rig.sim.run(['pct', 'snapshot', '950', 's1'], { signal: ac.signal });
  await waitFor(async () =>
    /^lock: snapshot$/m.test((await rig.run('pct', 'config', '950')).stdout),
  );
  ac.abort();
  await p.then(
    () => {
      assert.unreachable('hang resolved');
    },
    (e: unknown) => {
      assert.is((e as Error).name, 'AbortError');
    },
  );
  assert.not.match((await rig.run('pct', 'config', '950')).stdout, /^lock:/m);
  assert.is((await rig.run('pct', 'listsnapshot', '950')).stdout.includes('s1'), false);
  const last = (await readJournal(rig.dir)).find((e) => e.argv?.[1] === 'snapshot');
  assert.is(last?.cancelled, true);
});

test('each command sleeps durations[targetKind] × scale; scale 0 is instant', async () => {
  const rig = await makeSim({ durations: { settings: 40 }, scale: 2 });
  expectOk(await createCt(rig, 950), 'create');
  const t0 = Date.now();
  expectOk(
    await rig.runWith({ targetKind: 'settings' }, 'pct', 'set', '950', '--memory', '1024'),
    'set',
  );
  assert.ok(Date.now() - t0 >= 78, `took ${Date.now() - t0} ms`);
  const fast = await makeSim({ durations: { settings: 10_000 }, scale: 0 });
  expectOk(await createCt(fast, 950), 'create');
  const t1 = Date.now();
  expectOk(
    await fast.runWith({ targetKind: 'settings' }, 'pct', 'set', '950', '--memory', '1024'),
    'set',
  );
  assert.ok(Date.now() - t1 < 1000);
  // Rejected arguments do not spend the duration.
  const t2 = Date.now();
  assert.is(
    (await rig.runWith({ targetKind: 'settings' }, 'pct', 'set', '950', '--memory', '1')).exitCode,
    255,
  );
  assert.ok(Date.now() - t2 < 40);
});

test('journal: accepted and rejected commands with times and target', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  await rig.runWith(
    { target: 'lxc/950/settings' as TargetId, targetKind: 'settings' },
    'pct',
    'set',
    '950',
    '--memory',
    '4',
  );
  // The journal after the node's storages were built (sim-helpers makeSim).
  const j = (await readJournal(rig.dir)).filter((e) => e.argv?.[0] === 'pct');
  assert.is(j.length, 2);
  assert.equal(
    [j[0]!.op, j[0]!.argv?.slice(0, 3), j[0]!.accepted, j[0]!.exit],
    ['run', ['pct', 'create', '950'], true, 0],
  );
  assert.equal(
    [j[1]!.target, j[1]!.kind, j[1]!.accepted, j[1]!.exit],
    ['lxc/950/settings', 'settings', false, 255],
  );
  assert.is(j[1]!.error, '400 Parameter verification failed.');
  assert.ok(j[1]!.start_ms <= j[1]!.end_ms && j[0]!.end_ms <= j[1]!.start_ms);
});

test('simOptionsFromEnv reads PHX_SIM_* over defaults; bad values are errors', () => {
  const r = simOptionsFromEnv(
    {
      PHX_SIM_DIR: '/tmp/x',
      PHX_SIM_SCALE: '0.5',
      PHX_SIM_DURATIONS: '{"feature":100}',
      PHX_SIM_FAULTS: '[{"action":"fail","match":["pct"]}]',
    },
    { durations: { create: 10 }, scale: 1 },
  );
  if (!r.ok) throw new Error(r.error);
  assert.is(r.value.dir, '/tmp/x');
  assert.is(r.value.scale, 0.5);
  assert.equal(r.value.durations, { create: 10, feature: 100 });
  assert.equal(r.value.faults, [{ action: 'fail', match: ['pct'] }]);
  const d = simOptionsFromEnv({}, {});
  assert.ok(d.ok && d.value.dir === '.phoenix-sim' && d.value.scale === 1);
  assert.equal(simOptionsFromEnv({ PHX_SIM_FAULTS: '{' }).ok, false);
  assert.equal(simOptionsFromEnv({ PHX_SIM_FAULTS: '[{"action":"explode"}]' }).ok, false);
  assert.equal(simOptionsFromEnv({ PHX_SIM_SCALE: '-1' }).ok, false);
});

test.run();
