// Plans that read like a diff (issue 12, item 2), through the real binary on
// the sim node: a changed value shows the keys that changed inside it with the
// file:line of the new value, a feature-list change names the features, a
// changed file counts its added and removed lines, and secrets stay `***`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

/** 1-based line of the first line of `rel` that contains `needle`. */
function lineOf(rig: Rig, rel: string, needle: string): number {
  const index = rig
    .read(rel)
    .split('\n')
    .findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${rel}`);
  return index + 1;
}

async function build(rig: Rig, ids: string[]): Promise<void> {
  const r = await rig.phx(['build', ...ids]);
  assert.is(r.code, 0, r.stderr);
}

test('a nested change shows only the changed key, with the file and line of its new value', async () => {
  const rig = Rig.create();
  try {
    await build(rig, ['950']);
    rig.editJson(lxc, (d) => {
      const model = d.lxc_configs['950'].vllm_engine_config.ModelConfig;
      model.model = 'Qwen/Qwen2.5-14B-Instruct-AWQ';
    });
    const line = lineOf(rig, lxc, 'Qwen/Qwen2.5-14B-Instruct-AWQ');
    const plan = await rig.phx(['plan', '950']);
    assert.is(plan.code, 0, plan.stderr);
    const expected =
      `      ~ vllm_engine_config.ModelConfig.model: "Qwen/Qwen2.5-7B-Instruct-AWQ" → ` +
      `"Qwen/Qwen2.5-14B-Instruct-AWQ"  ${lxc}:${String(line)}`;
    assert.ok(plan.stdout.split('\n').includes(expected), plan.stdout);
    // The row says which value changed; its keys are not printed whole.
    assert.match(
      plan.stdout,
      /^[+~] +lxc\/950\/app +build +\(config \/lxc_configs\/950\/vllm_engine_config changed\)$/m,
    );
    assert.not.match(plan.stdout, /trust_remote_code/);
    // The rollback marker and what it discards keep their place under the row.
    assert.match(plan.stdout, /^~ +lxc\/950\/app .*\n +destroys: .*\n +~ vllm_engine_config/m);

    const json = await rig.planJson(['950']);
    const app = json.json.targets.find((t) => t.id === 'lxc/950/app')!;
    const reason = app.reasons[0];
    // The fields plan --json had stay; the keys come as an added field.
    assert.is(reason.input, 'config:/lxc_configs/950/vllm_engine_config');
    assert.is(reason.new.ModelConfig.model, 'Qwen/Qwen2.5-14B-Instruct-AWQ');
    assert.equal(reason.changes, [
      {
        pointer: '/lxc_configs/950/vllm_engine_config/ModelConfig/model',
        path: 'vllm_engine_config.ModelConfig.model',
        old: 'Qwen/Qwen2.5-7B-Instruct-AWQ',
        new: 'Qwen/Qwen2.5-14B-Instruct-AWQ',
        file: lxc,
        line,
      },
    ]);

    const explain = await rig.phx(['explain', 'lxc/950/app']);
    assert.ok(explain.stdout.includes(`${lxc}:${String(line)}`), explain.stdout);
  } finally {
    rig.cleanup();
  }
});

test('a feature-list change names the features added and removed', async () => {
  const rig = Rig.create();
  try {
    await build(rig, ['101']);
    rig.editJson(lxc, (d) => {
      d.lxc_configs['101'].features = ['base_setup', 'trusted_ca', 'nginx'];
    });
    const removed = await rig.phx(['plan', '101']);
    assert.is(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /lxc\/101\/feature\/nginx +build +\(features − step_cli\)$/m);
    // The index shift and the layer below are the same change: not named again.
    assert.not.match(removed.stdout, /features\/3|upstream:lxc\/101\/feature\/step_cli/);

    rig.editJson(lxc, (d) => {
      d.lxc_configs['101'].features = ['base_setup', 'trusted_ca', 'step_cli', 'docker', 'nginx'];
    });
    const added = await rig.planJson(['101']);
    const nginx = added.json.targets.find((t) => t.id === 'lxc/101/feature/nginx')!;
    assert.equal(nginx.reasons[0], { kind: 'features-changed', added: ['docker'], removed: [] });
    const docker = added.json.targets.find((t) => t.id === 'lxc/101/feature/docker')!;
    assert.equal(docker.reasons, [{ kind: 'never-built' }]);
  } finally {
    rig.cleanup();
  }
});

test('a changed secret shows as *** → *** in the plan, never its value', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(
      'features/nginx/feature.json',
      (d) => void (d.reads = [...(d.reads ?? []), '/admin_password']),
    );
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].admin_password = 'hunter2-old'));
    await build(rig, ['953']);
    rig.editJson(lxc, (d) => void (d.lxc_configs['953'].admin_password = 'hunter2-new'));
    const line = lineOf(rig, lxc, 'hunter2-new');
    const plan = await rig.phx(['plan', '953']);
    assert.ok(
      plan.stdout
        .split('\n')
        .includes(`      ~ admin_password: "***" → "***"  ${lxc}:${String(line)}`),
      plan.stdout,
    );
    const json = await rig.phx(['plan', '953', '--json']);
    const explain = await rig.phx(['explain', 'lxc/953/feature/nginx']);
    for (const out of [plan.stdout, json.stdout, explain.stdout]) assert.not.match(out, /hunter2/);
  } finally {
    rig.cleanup();
  }
});

test.run();
