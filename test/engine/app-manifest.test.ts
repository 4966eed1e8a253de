// Application scripts' manifests (features/apps/<script>.json): the keys an
// app reads enter its fingerprint, what it consumes becomes an artifact edge,
// and a consumed target that does not exist is a config error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, toBuild } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

test('a key the app manifest reads rebuilds the app (its settings re-applied after the rollback) and nothing else', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '--all'])).code, 0);
    rig.editJson(lxc, (d) => {
      d.lxc_configs['955'].traefik_service = { name: 'ollama', port: 11500 };
    });
    const plan = await rig.planJson();
    // Traefik's routes name the port too (targets/generated.ts): re-rendered in 102 only.
    assert.equal(toBuild(plan.json), [
      'lxc/102/generated/traefik-routes',
      'lxc/955/app',
      'lxc/955/settings',
    ]);
    assert.equal(plan.json.targets.find((t) => t.id === 'lxc/955/settings')!.reasons, [
      { kind: 'reapply', target: 'lxc/955/app' },
    ]);
    const reasons = plan.json.targets.find((t) => t.id === 'lxc/955/app')!.reasons;
    assert.equal(reasons[0].changes[0].path, 'traefik_service.port');
    assert.equal(
      reasons.map(({ changes: _, ...r }) => r),
      [
        {
          kind: 'input-changed',
          input: 'config:/lxc_configs/955/traefik_service/port',
          old: 11434,
          new: 11500,
        },
      ],
    );
  } finally {
    rig.cleanup();
  }
});

test('what an app consumes is an artifact edge', async () => {
  const rig = Rig.create();
  try {
    const g = JSON.parse((await rig.phx(['graph', '--format', 'json'])).stdout) as {
      edges: { from: string; to: string; kind: string }[];
    };
    assert.ok(
      g.edges.some(
        (e) => e.from === 'lxc/103/app' && e.to === 'lxc/101/app' && e.kind === 'artifact',
      ),
    );
    assert.ok(
      g.edges.some(
        (e) => e.from === 'lxc/103/app' && e.to === 'lxc/102/app' && e.kind === 'artifact',
      ),
    );
  } finally {
    rig.cleanup();
  }
});

test('an app consuming a target nobody builds is refused before any host call', async () => {
  const rig = Rig.create();
  try {
    rig.write(
      'features/apps/phoenix_hypervisor_lxc_101.sh.json',
      JSON.stringify({ consumes: ['lxc/999/app'] }),
    );
    const r = await rig.phx(['validate']);
    assert.is(r.code, 1);
    assert.match(
      r.stderr,
      /configs\/phoenix_lxc_configs\.json:\d+:\d+: error: \/lxc_configs\/101\/application_script: application script phoenix_hypervisor_lxc_101\.sh consumes lxc\/999\/app, but CT 999 is not defined/,
    );
  } finally {
    rig.cleanup();
  }
});

test.run();
