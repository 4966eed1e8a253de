// plan/build/graph/explain/cache behaviour a user relies on: explain walks to
// the root cause, graph --status colours, cache verify/rebuild/gc, keep-going,
// Ctrl-C, secrets kept out of plans and records, bad input never reaching a host.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, built, toBuild } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

function readAll(dir: string): string {
  if (!existsSync(dir)) return '';
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out += e.isDirectory() ? readAll(p) : readFileSync(p, 'latin1');
  }
  return out;
}

test('explain walks a clone back to the edited file', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    rig.append('features/vllm/install.sh', '\n# edit\n');
    const r = await rig.phx(['explain', 'lxc/950/app']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /lxc\/950\/app would rebuild:/);
    assert.match(r.stdout, /upstream lxc\/950\/clone rebuilds/);
    assert.match(
      r.stdout,
      /root cause: lxc\/921\/feature\/vllm: file:features\/vllm\/install\.sh changed/,
    );
    const json = await rig.phx(['explain', 'lxc/950/app', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      targets: { root_causes: { target: string; reasons: { input: string }[] }[] }[];
    };
    assert.equal(
      parsed.targets[0]!.root_causes.map((c) => [c.target, c.reasons[0]!.input]),
      [['lxc/921/feature/vllm', 'file:features/vllm/install.sh']],
    );
    const upToDate = await rig.phx(['explain', 'lxc/953/settings']);
    assert.match(upToDate.stdout, /is up to date/);
  } finally {
    rig.cleanup();
  }
});

test('graph --status colours build, skip and failed', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.phx(['build', '953'], {
      faults: [
        {
          target: 'lxc/953/feature/nginx',
          match: ['pct', 'exec', '953', '--', 'env'],
          action: 'fail',
          times: 1,
        },
      ],
    });
    assert.is(r.code, 1);
    const g = await rig.phx(['graph', '953', '--format', 'json', '--status']);
    const nodes = (JSON.parse(g.stdout) as { nodes: { id: string; status: string }[] }).nodes;
    const status = Object.fromEntries(nodes.map((n) => [n.id, n.status]));
    assert.is(status['lxc/953/feature/nginx'], 'failed');
    assert.is(status['lxc/900/create'], 'skip');
    assert.is(status['lxc/953/firewall'], 'build');
    const mermaid = await rig.phx(['graph', '953', '--format', 'mermaid', '--status']);
    assert.match(mermaid.stdout, /^flowchart LR/);
    assert.match(mermaid.stdout, /:::failed/);
  } finally {
    rig.cleanup();
  }
});

test('--keep-going builds every branch that does not depend on the failure', async () => {
  const rig = Rig.create();
  try {
    const fault = [
      {
        target: 'lxc/103/app',
        match: ['pct', 'exec', '103', '--', 'env'],
        action: 'fail' as const,
        times: 1,
      },
    ];
    const r = await rig.buildJson(['--all', '--keep-going'], { faults: fault });
    assert.is(r.code, 1);
    const action = Object.fromEntries(r.json.targets.map((t) => [t.id, t.action]));
    assert.is(action['lxc/103/app'], 'failed');
    assert.is(action['lxc/101/feature/trusted_ca'], 'cancelled', 'consumes lxc/103/app');
    assert.is(action['lxc/950/app'], 'built', 'independent of 103');
    assert.is(action['lxc/955/app'], 'built');
  } finally {
    rig.cleanup();
  }
});

test('Ctrl-C stops cleanly with exit 130 and the next build finishes the job', async () => {
  const rig = Rig.create();
  try {
    const run = rig.spawn(['build', '--all'], {
      faults: [
        {
          target: 'lxc/900/feature/base_setup',
          match: ['pct', 'exec', '900', '--', 'env'],
          action: 'hang',
        },
      ],
    });
    await rig.waitFor(
      () => existsSync(rig.path('.phoenix-cache/logs/lxc/900/feature/base_setup')),
      'the hung feature to start',
    );
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.is(r.code, 130, r.stderr);
    assert.match(r.stderr, /interrupted/);
    assert.not.ok(existsSync(rig.path('.phoenix-cache/build.lock')), 'lock released');
    const again = await rig.phx(['build', '--all']);
    assert.is(again.code, 0, again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('cache verify, rebuild and gc', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    assert.is((await rig.phx(['cache', 'verify'])).code, 0);
    // A snapshot deleted by hand on the host: verify says so, plan rebuilds it.
    const ls = JSON.parse((await rig.phx(['cache', 'ls', '--json'])).stdout) as {
      targets: Record<string, { output: string }>;
    };
    const snap = ls.targets['lxc/953/feature/nginx']!.output;
    const { SimRunner } = await import('../../src/sim/runner.ts');
    const sim = new SimRunner({
      dir: rig.path('.phoenix-sim'),
      durations: {},
      scale: 0,
      faults: [],
    });
    const del = await sim.run(['pct', 'delsnapshot', '953', snap], {
      signal: new AbortController().signal,
    });
    assert.is(del.exitCode, 0, del.stderr);
    const verify = await rig.phx(['cache', 'verify']);
    assert.is(verify.code, 1);
    assert.match(verify.stdout, new RegExp(`lxc/953/feature/nginx: output ${snap} is gone`));
    const plan = await rig.planJson();
    assert.equal(plan.json.targets.find((t) => t.id === 'lxc/953/feature/nginx')!.reasons, [
      { kind: 'output-missing', output: snap },
    ]);
    // Rebuild the records from the host's snapshot descriptions, after losing the cache.
    rig.write('.phoenix-cache/state.mdb', '');
    const { rmSync } = await import('node:fs');
    rmSync(rig.path('.phoenix-cache'), { recursive: true, force: true });
    assert.is((await rig.phx(['cache', 'rebuild'])).code, 0);
    const after = await rig.planJson();
    const layers = after.json.targets.filter((t) =>
      ['create', 'clone', 'feature', 'app', 'snapshot'].includes(t.kind),
    );
    const stillBuilding = layers.filter((t) => t.action === 'build').map((t) => t.id);
    assert.ok(
      stillBuilding.every((id) => id.startsWith('lxc/953/')),
      `rebuilt records cover every layer but 953's: ${stillBuilding.join(', ')}`,
    );
    // gc drops records of targets that left the configs.
    rig.editJson(lxc, (d) => {
      delete d.lxc_configs['953'];
    });
    const gc = await rig.phx(['cache', 'gc']);
    assert.is(gc.code, 0, gc.stderr);
    const left = Object.keys(
      (JSON.parse((await rig.phx(['cache', 'ls', '--json'])).stdout) as { targets: object })
        .targets,
    );
    assert.not.ok(left.some((id) => id.startsWith('lxc/953/')));
  } finally {
    rig.cleanup();
  }
});

test('secrets never appear in plans, records, exports or logs', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(
      'features/nginx/feature.json',
      (d) => void (d.reads = [...(d.reads ?? []), '/admin_password']),
    );
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].admin_password = 'hunter2-old'));
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].admin_password = 'hunter2-new'));
    const plan = await rig.planJson();
    const { changes, ...reason } = plan.json.targets.find((t) => t.id === 'lxc/953/feature/nginx')!
      .reasons[0];
    assert.equal([changes[0].old, changes[0].new], ['***', '***']);
    assert.equal(reason, {
      kind: 'input-changed',
      input: 'config:/lxc_configs/953/admin_password',
      old: '***',
      new: '***',
    });
    const explain = await rig.phx(['explain', 'lxc/953/feature/nginx']);
    const graph = await rig.phx(['graph', '--format', 'json']);
    await rig.phx(['cache', 'export', rig.path('state.json')]);
    const build = await rig.phx(['build', '--all', '--json']);
    const everything = [
      plan.stdout,
      explain.stdout,
      graph.stdout,
      build.stdout,
      build.stderr,
      rig.read('state.json'),
      readAll(rig.path('.phoenix-cache')),
    ].join('\n');
    assert.not.match(everything, /hunter2/);
  } finally {
    rig.cleanup();
  }
});

test('bad input never reaches a host: validation fails before any backend call', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(lxc, (d) => void (d.lxc_configs['950'].clone_from_ctid = '999'));
    const r = await rig.phx(['build', '--all']);
    assert.is(r.code, 1);
    assert.match(
      r.stderr,
      /configs\/phoenix_lxc_configs\.json:\d+:\d+: error: \/lxc_configs\/950\/clone_from_ctid: /,
    );
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    assert.not.ok(existsSync(rig.path('.phoenix-sim')), 'the sim node was never touched');
  } finally {
    rig.cleanup();
  }
});

test('a usage error exits 1', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '4242'])).code, 1);
    assert.is((await rig.phx(['plan', '--bogus'])).code, 1);
    assert.is((await rig.phx(['frobnicate'])).code, 1);
  } finally {
    rig.cleanup();
  }
});

test('build --dry-run changes nothing', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.phx(['build', '--all', '--dry-run']);
    assert.is(r.code, 0);
    assert.match(r.stdout, /Plan: \d+ to build/);
    assert.equal(toBuild((await rig.planJson()).json).length > 0, true);
    const b = await rig.buildJson(['--all']);
    assert.ok(built(b.json).length > 0);
  } finally {
    rig.cleanup();
  }
});

test.run();
