// The live view, driven by a real sim build run in this process with a fake
// TTY as stderr: two targets are held by the sim (wait-file faults) while the
// test reads the redrawn screen, then released.
/* eslint-disable no-control-regex -- terminal escape sequences are what these tests read */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli.ts';
import { Rig } from '../helpers/rig.ts';
import { FakeTerminal } from './fake-terminal.ts';

const nginx = 'lxc/953/feature/nginx';
const nvidia = 'lxc/901/feature/nvidia';

function setEnv(rig: Rig, extra: Record<string, string | undefined>): void {
  process.env.PHX_SIM_SCALE = '0';
  process.env.PHX_SIM_FAULTS = JSON.stringify(
    [nginx, nvidia].map((target) => ({
      target,
      match: ['pct', 'snapshot', target.split('/')[1]],
      action: 'wait-file',
      path: rig.path('release'),
    })),
  );
  delete process.env.NO_COLOR;
  delete process.env.CI;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
}

/** `phx ARGS` in this process, stderr on `term`. */
function phx(rig: Rig, term: FakeTerminal, args: string[]) {
  let stdout = '';
  let stderr = '';
  const done = main(
    args,
    {
      out: (s) => (stdout += s),
      err: (s) => {
        stderr += s;
        term.feed(s);
      },
      terminal: term,
    },
    rig.dir,
  );
  return { done, out: () => stdout, err: () => stderr };
}

async function until(check: () => boolean, what: string, term: FakeTerminal): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 60_000)
      throw new Error(`timed out waiting for ${what}; screen:\n${term.screen()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function events(rig: Rig): any[] {
  const p = rig.path('events.ndjson');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

test('the live view redraws running targets, done/total, ETA and GPU pools in place', async () => {
  const rig = Rig.create();
  const term = new FakeTerminal(120);
  let run: ReturnType<typeof phx> | undefined;
  try {
    setEnv(rig, {});
    run = phx(rig, term, ['build', '953', '901', '--events', 'events.ndjson']);
    const running = () => {
      const s = term.screen();
      return s.includes(`  ${nginx} `) && s.includes(`  ${nvidia} `);
    };
    await until(running, 'both held targets on screen', term);
    // The clock moves between events: the timer redraws the elapsed time.
    await until(
      () => /^ {2}lxc\/953\/feature\/nginx +[1-9]\.\ds/m.test(term.screen()),
      'a redraw with 1s elapsed',
      term,
    );
    const evs = events(rig);
    // Every target the build planned: the two guests' own and the host
    // targets their storage stands on.
    const total = evs.find((e) => e.type === 'planned').targets.length as number;
    const headerPattern = new RegExp(
      `^${total - 4}/${total} done · 2 running · \\d+\\.\\ds · ETA ~\\S+ · gpu:0 in use$`,
    );
    // Branches beside the held two (host targets) may still be finishing:
    // the header settles once every target but the held two and what waits
    // for them is built, and stays so while they are held.
    await until(
      () =>
        term
          .screen()
          .split('\n')
          .some((l) => headerPattern.test(l)),
      `the header ${headerPattern.source}`,
      term,
    );
    const screen = term.screen().split('\n');
    const header = screen.findIndex((l) => / done · /.test(l));
    assert.ok(header >= 0, term.screen());
    // The block is the last thing on screen: header, then one row per running target.
    const block = screen.slice(header);
    const done = events(rig).filter((e) => e.type === 'built').length;
    // The held two wait at their layer snapshot; one target of each guest waits for them.
    assert.is(done, total - 4, 'all but the held two and what waits for them');
    assert.match(block[0]!, headerPattern, term.screen());
    assert.is(block.length, 3, term.screen());
    for (const id of [nginx, nvidia]) {
      const row = block.find((l) => l.startsWith(`  ${id} `));
      assert.ok(row, `${id} has a row:\n${term.screen()}`);
      const last = events(rig)
        .filter((e) => e.type === 'log' && e.id === id)
        .pop();
      assert.ok(last, `${id} logged something`);
      assert.ok(row.endsWith(`  ${last.line}`), `last log line ${last.line} in: ${row}`);
      assert.match(row, /\s\d+\.\ds\s/);
    }
    // Finished targets were written above the block, once each.
    const finished = screen.slice(0, header).filter((l) => l.startsWith('✓ '));
    assert.is(finished.length, done, term.screen());
    assert.is(new Set(finished.map((l) => l.split(' ')[1])).size, done);
    // Redrawn in place: the writes moved the cursor up rather than appending frames.
    assert.ok(term.writes.some((w) => /\x1b\[\d+A/.test(w)));
    assert.is(term.screen().match(/ done · /g)!.length, 1, 'one header on screen');
    assert.ok(term.colourCodes() > 0, 'colours on a TTY');

    writeFileSync(rig.path('release'), '');
    assert.is(await run.done, 0, run.err());
    const end = term.screen();
    assert.not.match(end, / done · /, 'the block is gone at the end');
    assert.is(end.split('\n').filter((l) => l.startsWith('✓ ')).length, total, end);
    assert.match(
      end,
      new RegExp(`^${total} built, 0 up to date, 0 failed, 0 cancelled in \\d+\\.\\ds$`, 'm'),
    );
  } finally {
    // A failed assertion must not leave the in-process build held forever.
    writeFileSync(rig.path('release'), '');
    await run?.done.catch(() => undefined);
    rig.cleanup();
  }
});

for (const [name, args, env] of [
  ['--no-color', ['--no-color'], {}],
  ['NO_COLOR', [], { NO_COLOR: '1' }],
] as const) {
  test(`${name}: the live view sends no colour code`, async () => {
    const rig = Rig.create();
    const term = new FakeTerminal(100);
    try {
      setEnv(rig, { PHX_SIM_FAULTS: undefined, ...env });
      const run = phx(rig, term, [...args, 'build', '953']);
      assert.is(await run.done, 0, run.err());
      assert.ok(term.writes.length > 3, 'the live view drew');
      assert.is(term.colourCodes(), 0, JSON.stringify(term.writes.slice(0, 5)));
      assert.match(term.screen(), /^✓ lxc\/953\/firewall /m);
    } finally {
      rig.cleanup();
    }
  });
}

test('CI=1 on a TTY: plain lines, no redraw', async () => {
  const rig = Rig.create();
  const term = new FakeTerminal(100);
  try {
    setEnv(rig, { PHX_SIM_FAULTS: undefined, CI: 'true', NO_COLOR: '1' });
    const run = phx(rig, term, ['build', '953']);
    assert.is(await run.done, 0, run.err());
    assert.equal(term.writes, [], 'nothing drawn on the terminal');
    assert.match(run.err(), /^\[\d+\/\d+\] built lxc\/953\/firewall \(\d+\.\ds\)$/m);
    assert.not.match(run.err(), /\x1b/);
  } finally {
    rig.cleanup();
  }
});

test.run();
