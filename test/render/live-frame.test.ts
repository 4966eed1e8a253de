// The live view on synthetic events with a clock the test moves: the exact
// frame (elapsed, ETA, GPU pools, last log line cut to the width) and text
// from elsewhere written above the block without garbling it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildEvent, TargetRef } from '../../src/core/events.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { palette } from '../../src/commands/render/colour.ts';
import { liveView } from '../../src/commands/render/live.ts';
import { FakeTerminal } from './fake-terminal.ts';

const ref = (id: string): TargetRef => ({
  id: id as TargetId,
  entry: id.split('/')[1]!,
  kind: 'feature',
});
const vllm = ref('lxc/950/feature/vllm');
const nginx = ref('lxc/953/feature/nginx');
const app = ref('lxc/950/app');

test('frames: running targets with elapsed and last line, done/total, ETA, GPUs', () => {
  const term = new FakeTerminal(60);
  let clock = 5000;
  const view = liveView({ terminal: term, palette: palette(false), clock: () => clock, tickMs: 0 });
  const events: BuildEvent[] = [
    {
      type: 'planned',
      atMs: 0,
      parallelism: 2,
      targets: [vllm, nginx, app].map((t) => ({ ...t, action: 'build', estimateMs: 60_000 })),
    },
    { type: 'started', atMs: 0, target: vllm, pools: ['guest:950', 'gpu:0'] },
    { type: 'started', atMs: 0, target: nginx, pools: ['guest:953'] },
    {
      type: 'log',
      atMs: 0,
      target: vllm.id,
      line: 'Collecting torch==2.3.0 (from vllm) and a great many other wheels\r',
    },
    { type: 'built', atMs: 0, target: nginx, durationMs: 0 },
  ];
  for (const e of events) view.onEvent(e);
  clock += 12_000;
  view.print('phx: clearing stale lock on CT 955\n');
  assert.is(
    term.screen(),
    [
      '✓ lxc/953/feature/nginx 0.0s',
      'phx: clearing stale lock on CT 955',
      // Left: vllm 48s of its 60s, app 60s not started: 108s over 2 slots.
      '1/3 done · 1 running · 12s · ETA ~54s · gpu:0 in use',
      '  lxc/950/feature/vllm     12s  Collecting torch==2.3.0 (f…',
    ].join('\n'),
  );
  view.onEvent({ type: 'finished', atMs: 13_000 });
  assert.not.match(term.screen(), /running/, 'the block is gone');
  assert.is(term.colourCodes(), 0);
});

test.run();
