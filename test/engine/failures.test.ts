// Failure, concurrency and CI behaviour of the engine on the sim node: GPU
// pools, resuming a failed guest, kill -9 mid-build, two processes on one
// cache, and plan --state against an exported state. The sim is held and
// released by the test (wait-file / hang faults), never by sleeps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, built, toBuild, type BuildJson } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

function overlaps(
  a: { start_ms?: number; end_ms?: number },
  b: { start_ms?: number; end_ms?: number },
): boolean {
  return a.start_ms! < b.end_ms! && b.start_ms! < a.end_ms!;
}

function addGpuGuests(rig: Rig): void {
  rig.editJson(lxc, (d) => {
    for (const [id, n] of [
      ['960', 60],
      ['961', 61],
    ] as const) {
      d.lxc_configs[id] = {
        ...d.lxc_configs['953'],
        name: `gpu-${id}`,
        clone_from_ctid: '900',
        features: ['nvidia'],
        gpu_assignment: '0',
        network_config: { ...d.lxc_configs['953'].network_config, ip: `10.0.0.${n}/24` },
        mac_address: `52:54:00:00:09:${n}`,
      };
      delete d.lxc_configs[id].application_script;
      delete d.lxc_configs[id].firewall;
    }
  });
}

test('guests sharing a GPU never run their GPU steps at once', async () => {
  const rig = Rig.create();
  try {
    addGpuGuests(rig);
    const r = await rig.buildJson(['--all', '-j', '8'], { env: { PHX_SIM_SCALE: '1' } });
    assert.is(r.code, 0, r.stderr);
    const gpuSteps = r.json.targets.filter((t) =>
      /^lxc\/(901|921|960|961)\/feature\/(nvidia|vllm)$/.test(t.id),
    );
    assert.is(gpuSteps.length, 4);
    for (const a of gpuSteps)
      for (const b of gpuSteps)
        if (a !== b) assert.not.ok(overlaps(a, b), `${a.id} overlaps ${b.id}`);
    // The build is parallel at all, so the check above could have failed.
    const ran = r.json.targets.filter((t) => t.action === 'built');
    assert.ok(
      ran.some((a) => ran.some((b) => a !== b && a.entry !== b.entry && overlaps(a, b))),
      'no two targets overlapped',
    );
  } finally {
    rig.cleanup();
  }
});

test('a failed layer leaves the guest resumable from its last good layer', async () => {
  const rig = Rig.create();
  try {
    const failing = await rig.buildJson(['--all'], {
      faults: [
        {
          target: 'lxc/950/app',
          match: ['pct', 'exec', '950', '--', 'env'],
          action: 'fail',
          message: 'app crashed',
          times: 1,
        },
      ],
    });
    assert.is(failing.code, 1);
    assert.is(failing.json.targets.find((t) => t.id === 'lxc/950/app')!.action, 'failed');
    assert.is(failing.json.targets.find((t) => t.id === 'lxc/950/clone')!.action, 'built');
    const plan = await rig.planJson();
    // The failed app, the settings re-applied after the rollback, and what
    // fail-fast cancelled; not the clone layer, which is kept.
    const unfinished = failing.json.targets
      .filter((t) => t.entry === '950' && t.action !== 'built')
      .map((t) => t.id);
    assert.equal(
      toBuild(plan.json).filter((id) => id.startsWith('lxc/950/')),
      [...unfinished, 'lxc/950/settings'].sort(),
    );
    const resumed = await rig.buildJson(['--all']);
    assert.is(resumed.code, 0, resumed.stderr);
    const cmds = resumed.json.targets.flatMap((t) => t.commands.map((c) => c.join(' ')));
    assert.ok(
      cmds.some((c) => /^pct rollback 950 phx-[0-9a-f]{12}$/.test(c)),
      cmds.join('\n'),
    );
    assert.not.ok(
      cmds.some((c) => c.startsWith('pct clone 921 950')),
      'not re-cloned',
    );
    assert.ok(built(resumed.json).includes('lxc/950/app'));
  } finally {
    rig.cleanup();
  }
});

test('kill -9 mid-build loses no finished target and leaves no stuck lock', async () => {
  const rig = Rig.create();
  try {
    const run = rig.spawn(['build', '--all', '-j', '2'], {
      faults: [
        { target: 'lxc/955/feature/ollama', match: ['pct', 'snapshot', '955'], action: 'hang' },
      ],
    });
    // The sim writes a CT's state, then the summary its read-only queries use:
    // both must show the lock, or the kill can land between the two writes.
    const locked = (file: string) => {
      const path = rig.path(`.phoenix-sim/lxc/${file}`);
      return (
        existsSync(path) &&
        (JSON.parse(readFileSync(path, 'utf8')) as { lock?: { name: string } }).lock?.name ===
          'snapshot'
      );
    };
    await rig.waitFor(
      () => locked('955.json') && locked('955.summary'),
      'CT 955 locked by the hung layer snapshot',
    );
    run.child.kill('SIGKILL');
    await run.done;
    const ls = await rig.phx(['cache', 'ls', '--json']);
    const recorded = Object.keys(
      (JSON.parse(ls.stdout) as { targets: Record<string, unknown> }).targets,
    );
    assert.ok(recorded.length > 5, `only ${recorded.length} records survived`);
    const plan = await rig.planJson();
    for (const t of plan.json.targets) {
      if (recorded.includes(t.id) && t.action === 'build') {
        assert.ok(
          t.reasons.every((r: { kind: string }) => r.kind === 'reapply'),
          `${t.id} rebuilds: ${JSON.stringify(t.reasons)}`,
        );
      }
    }
    const again = await rig.buildJson(['--all']);
    assert.is(again.code, 0, again.stderr);
    assert.match(plan.stderr + again.stderr, /clearing stale lock 'snapshot' on CT 955/);
    assert.ok(built(again.json).includes('lxc/955/feature/ollama'));
  } finally {
    rig.cleanup();
  }
});

test('two processes on one cache serialize: --no-wait exits 3, the other waits', async () => {
  const rig = Rig.create();
  try {
    const release = rig.path('release-900');
    const first = rig.spawn(['build', '--all'], {
      faults: [
        { target: 'lxc/900/create', match: ['pct', 'create'], action: 'wait-file', path: release },
      ],
    });
    await rig.waitFor(
      () =>
        existsSync(rig.path('.phoenix-cache/build.lock')) &&
        existsSync(rig.path('.phoenix-sim/lxc/900.json')),
      'the first build to hold the cache',
    );
    const busy = await rig.phx(['--no-wait', 'build', '--all']);
    assert.is(busy.code, 3);
    assert.match(busy.stderr, /in use by another phx \(pid \d+\)/);
    const second = rig.spawn(['build', '--all', '--json']);
    let secondErr = '';
    second.child.stderr!.on('data', (d: Buffer) => (secondErr += d.toString()));
    await rig.waitFor(() => /waiting for another phx/.test(secondErr), 'the second build to wait');
    writeFileSync(release, '');
    const a = await first.done;
    const b = await second.done;
    assert.is(a.code, 0, a.stderr);
    assert.is(b.code, 0, b.stderr);
    assert.equal(
      built(JSON.parse(b.stdout) as BuildJson),
      [],
      'the second build found everything done',
    );
  } finally {
    rig.cleanup();
  }
});

test('plan --state on an exported state gives the same answer as the live plan', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    const state = join(rig.dir, 'state.json');
    const exported = await rig.phx(['cache', 'export', state]);
    assert.is(exported.code, 0, exported.stderr);
    rig.append('features/vllm/install.sh', '\n# changed\n');
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].cores = 3));
    const live = await rig.planJson();
    const offline = await rig.planJson(['--state', state]);
    assert.ok(live.json.summary.build > 0);
    // The same decisions; what only the live host knows (drift, ownership,
    // what a build would destroy) is not in an export, so reasons may add to them.
    const decisions = (rows: typeof live.json.targets) =>
      rows.map(({ id, hash, action }) => ({ id, hash, action }));
    assert.equal(decisions(offline.json.targets), decisions(live.json.targets));
    // The export holds no secret in clear.
    assert.not.match(readFileSync(state, 'utf8'), /PHX_PORTAINER_PASSWORD=|hunter2/);
  } finally {
    rig.cleanup();
  }
});

test.run();
