// The HTML graph carries every target's fingerprint inputs and reasons, so it
// is checked like every other output: a secret appears only as `***`, never as
// its plaintext nor its keyed digest, even when it is the reason to rebuild.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missing } from '../helpers/require.ts';
import { envOf, plaintext, secretRig } from '../secrets/helpers.ts';
import { parseGraph } from './graph-json.ts';

test('a rotated secret shows as *** in the page, its values and digests nowhere', async () => {
  if (missing({ tools: ['dot'] }) !== undefined) return;
  const rig = secretRig();
  const [a1, a2, r1] = ['admin1', 'admin2', 'root1'].map(plaintext) as [string, string, string];
  try {
    const first = await rig.buildJson(['--all'], { env: envOf(rig, a1, r1) });
    assert.is(first.code, 0, first.stderr);
    const html = await rig.phx(['graph', '--format', 'html'], { env: envOf(rig, a2, r1) });
    assert.is(html.code, 0, html.stderr);
    const json = await rig.phx(['graph', '--format', 'json'], { env: envOf(rig, a2, r1) });
    const g = parseGraph(json.stdout);
    const nginx = g.nodes.find((n) => n.id === 'lxc/953/feature/nginx')!;
    assert.is(nginx.status, 'build');
    assert.ok(
      nginx.reasons.some((r) => r.includes('admin_password')),
      nginx.reasons.join('; '),
    );
    assert.is(nginx.inputs.config['/lxc_configs/953/admin_password'], '***');
    for (const out of [html.stdout, json.stdout]) {
      for (const secret of [a1, a2, r1]) assert.not.ok(out.includes(secret), 'plaintext');
      assert.not.match(out, /\*\*\*[0-9a-f]{8,}/, 'a keyed digest');
    }
    // The page holds the data its panel shows: the reason is there, as text.
    assert.ok(html.stdout.includes('admin_password'));
  } finally {
    rig.cleanup();
  }
});

test.run();
