// `--events FILE|-`: a real sim build with one injected failure streams one
// JSON object per line, in the order things happened; a failed target carries
// its typed failure and the path of its log; `build --json` names it too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Rig } from '../helpers/rig.ts';

const nginx = 'lxc/953/feature/nginx';
const fault = {
  target: nginx,
  match: ['pct', 'exec', '953', '--', 'env'],
  action: 'fail' as const,
  message: 'nginx install exploded',
  times: 1,
};

function lines(text: string): any[] {
  const out = text.split('\n');
  assert.is(out.pop(), '', 'ends with a newline');
  return out.map((l, i) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      throw new Error(`line ${i + 1} is not JSON: ${l}`);
    }
  });
}

test('a failing build: every line parses, in order, the failure typed with its log', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['953', '--events', 'events.ndjson'], { faults: [fault] });
    assert.is(r.code, 1, r.stderr);
    const evs = lines(rig.read('events.ndjson'));
    assert.is(evs[0].type, 'planned');
    assert.is(evs.filter((e) => e.type === 'planned').length, 1);
    assert.is(evs[evs.length - 1].type, 'finished');
    const at = (type: string, id: string) => evs.findIndex((e) => e.type === type && e.id === id);
    const planned = evs[0].targets as { id: string; action: string }[];
    for (const t of planned.filter((p) => p.action === 'build')) {
      const started = at('started', t.id);
      const ended = ['built', 'failed', 'cancelled']
        .map((type) => at(type, t.id))
        .filter((i) => i >= 0);
      assert.is(ended.length, 1, `${t.id} ends once`);
      // A target cancelled before it ran never started.
      if (started >= 0) assert.ok(started < ended[0]!, `${t.id} starts before it ends`);
      else assert.is(evs[ended[0]!].type, 'cancelled', `${t.id} never started`);
      for (const [i, e] of evs.entries())
        if (e.type === 'log' && e.id === t.id)
          assert.ok(started < i && i < ended[0]!, `${t.id}: log line inside its run`);
    }
    // Times come from one clock and never go back.
    const times = evs.map((e) => e.at_ms as number);
    assert.equal(
      times,
      [...times].sort((a, b) => a - b),
    );

    const failed = evs[at('failed', nginx)];
    assert.equal(failed.failure, {
      type: 'op',
      reason: 'command-failed',
      argv: failed.failure.argv,
      exit_code: 255,
      stderr: 'nginx install exploded\n',
    });
    assert.equal((failed.failure.argv as string[]).slice(0, 5), [
      'pct',
      'exec',
      '953',
      '--',
      'env',
    ]);
    assert.match(failed.error, /exited 255: nginx install exploded$/);
    assert.ok(isAbsolute(failed.log) && existsSync(failed.log), failed.log);
    assert.match(readFileSync(failed.log, 'utf8'), /nginx install exploded/);
    // Fail-fast: what had not started is cancelled with a reason, not dropped.
    const fw = evs[at('cancelled', 'lxc/953/firewall')];
    assert.ok(fw, 'lxc/953/firewall cancelled');
    assert.is(fw.reason, 'stopped');
    assert.is(at('started', 'lxc/953/firewall'), -1);
    assert.match(r.stderr, /^\[\d+\/\d+\] cancelled lxc\/953\/firewall \(stopped after a failure/m);

    // build --json: the same failure and log path.
    const doc = r.json.targets.find((t) => t.id === nginx) as any;
    assert.is(doc.action, 'failed');
    assert.is(doc.log, failed.log);
    assert.equal(doc.failure, failed.failure);
    assert.is(doc.error, failed.error);
    for (const t of r.json.targets as any[])
      if (t.action !== 'failed') assert.is(t.log, undefined, `${t.id} has no log key`);
  } finally {
    rig.cleanup();
  }
});

test('an up-to-date build: planned, one skipped per target, finished', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '953'])).code, 0);
    const r = await rig.phx(['build', '953', '--events', '-']);
    assert.is(r.code, 0, r.stderr);
    const evs = lines(r.stdout);
    const n = (evs[0].targets as unknown[]).length;
    assert.equal(
      evs.map((e) => e.type),
      ['planned', ...Array<string>(n).fill('skipped'), 'finished'],
    );
    assert.match(r.stderr, /0 built, \d+ up to date/, 'progress stays on stderr');
  } finally {
    rig.cleanup();
  }
});

test('--events - with --json is a usage error; an unwritable file too', async () => {
  const rig = Rig.create();
  try {
    const both = await rig.phx(['build', '953', '--json', '--events', '-']);
    assert.is(both.code, 1);
    assert.is(both.stdout, '');
    assert.match(both.stderr, /--events - and --json both write to stdout/);
    const bad = await rig.phx(['build', '953', '--events', 'no/such/dir/events.ndjson']);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /--events no\/such\/dir\/events.ndjson: cannot write/);
    assert.equal(rig.journal(), [], 'nothing ran on the node');
  } finally {
    rig.cleanup();
  }
});

test.run();
