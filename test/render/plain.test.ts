// The plain view (logs, CI): exact lines for each kind of event, colours only
// when asked for, and through the real binary on a pipe, no escape byte.
/* eslint-disable no-control-regex -- escape bytes are what these tests look for */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildEvent, TargetRef } from '../../src/core/events.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { palette, wantColour } from '../../src/commands/render/colour.ts';
import { plainView } from '../../src/commands/render/plain.ts';
import { Rig } from '../helpers/rig.ts';

const ref = (id: string): TargetRef => ({
  id: id as TargetId,
  entry: id.split('/')[1]!,
  kind: id.split('/')[2] as TargetRef['kind'],
});
const a = ref('lxc/950/settings');
const b = ref('lxc/951/settings');
const c = ref('lxc/950/feature');

const events: BuildEvent[] = [
  {
    type: 'planned',
    atMs: 0,
    parallelism: 2,
    targets: [a, b, c, ref('lxc/900/create')].map((t, i) => ({
      ...t,
      action: i < 3 ? 'build' : 'skip',
      estimateMs: 1000,
    })),
  },
  { type: 'skipped', atMs: 0, target: ref('lxc/900/create') },
  { type: 'started', atMs: 10, target: a, pools: ['guest:950'] },
  { type: 'started', atMs: 20, target: b, pools: ['guest:951'] },
  { type: 'log', atMs: 30, target: a.id, line: 'pct set 950 \x1b[1m--memory\x1b[0m 512' },
  { type: 'built', atMs: 1510, target: a, durationMs: 1500 },
  {
    type: 'failed',
    atMs: 2020,
    target: b,
    durationMs: 2000,
    failure: {
      type: 'op',
      op: { type: 'command-failed', argv: ['pct', 'set', '951'], exitCode: 2, stderr: 'bad\n' },
    },
    log: '/cache/logs/lxc/951/settings/f.log',
  },
  { type: 'cancelled', atMs: 2020, target: c, reason: 'failure-upstream' },
  { type: 'finished', atMs: 2100 },
];

function render(verbose: boolean, colour: boolean): string {
  let out = '';
  const view = plainView({ write: (s) => (out += s), verbose, palette: palette(colour) });
  for (const e of events) view(e);
  return out;
}

test('one line per finished target: count, time, failure, what still runs', () => {
  assert.is(
    render(false, false),
    [
      '[1/3] built lxc/950/settings (1.5s)  · running lxc/951/settings',
      '[2/3] FAILED lxc/951/settings (2.0s): pct set 951 exited 2: bad',
      '[3/3] cancelled lxc/950/feature (something it needs failed)',
      '',
    ].join('\n'),
  );
});

test('--verbose adds starts and log lines (escape codes a script printed removed)', () => {
  const out = render(true, false).split('\n');
  assert.equal(out.slice(0, 3), [
    '[0/3] start lxc/950/settings',
    '[0/3] start lxc/951/settings',
    '  lxc/950/settings | pct set 950 --memory 512',
  ]);
  assert.not.match(out.join('\n'), /\x1b/);
});

test('colours only through the palette; NO_COLOR, --no-color and a pipe turn them off', () => {
  const coloured = render(false, true);
  assert.match(coloured, /\x1b\[32mbuilt\x1b\[39m/);
  assert.match(coloured, /\x1b\[31mFAILED\x1b\[39m/);
  assert.is(coloured.replace(/\x1b\[\d+m/g, ''), render(false, false));
  const tty = { isTTY: true };
  assert.ok(wantColour(true, {}, tty));
  assert.not.ok(wantColour(true, { NO_COLOR: '1' }, tty));
  assert.ok(wantColour(true, { NO_COLOR: '' }, tty), 'an empty NO_COLOR is unset (no-color.org)');
  assert.not.ok(wantColour(false, {}, tty));
  assert.not.ok(wantColour(true, {}, { isTTY: false }));
  assert.not.ok(wantColour(true, {}, undefined));
});

test('the real binary on a pipe: plain lines, no escape byte, with or without NO_COLOR', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.phx(['build', '953', '-v'], { env: { NO_COLOR: '' } });
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr + r.stdout, /\x1b/);
    // 953, 900 beneath it, and the host targets 900's rootfs storage stands on (3).
    assert.match(r.stderr, /^\[0\/11\] start host\/zfs-pool\/quickOS$/m);
    assert.match(r.stderr, /^\[3\/11\] start lxc\/900\/create$/m);
    assert.match(r.stderr, /^\[11\/11\] built lxc\/953\/firewall \(\d+\.\ds\)$/m);
    assert.match(r.stderr, /^ {2}lxc\/900\/create \| /m, 'verbose shows log lines');
    const dry = await rig.phx(['plan', '953', '--no-color']);
    assert.not.match(dry.stderr + dry.stdout, /\x1b/);
  } finally {
    rig.cleanup();
  }
});

test.run();
