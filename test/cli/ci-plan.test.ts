// The CI dry run: a fresh checkout has no cache and no sim node, so a plain
// `plan` would answer "everything is new" about a host it never saw. It says
// so in one line and --detailed-exitcode refuses (exit 1); a state exported
// on the host (`cache export`) plans exactly, exiting 0 or 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { Rig, type PhxResult } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';
const warning =
  "phx: planning against an empty cache and a new sim node: every target shows as new; on CI use 'phx cache export' on the host and 'phx plan --state FILE'";

function expect(r: PhxResult, code: number, what: string): void {
  assert.is(r.code, code, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}

function warnings(r: PhxResult): number {
  return r.stderr.split('\n').filter((l) => l === warning).length;
}

test('a fresh checkout: plan warns in one line; --detailed-exitcode exits 1', async () => {
  const ci = Rig.create();
  try {
    assert.not.ok(existsSync(ci.path('.phoenix-cache')) || existsSync(ci.path('.phoenix-sim')));
    const plain = await ci.phx(['plan']);
    expect(plain, 0, 'plan');
    assert.is(warnings(plain), 1, plain.stderr);
    assert.match(plain.stdout, /to build/, 'the plan is still printed');
    // The first plan made the sim folder; a second plan is no better informed.
    const detailed = await ci.phx(['plan', '--detailed-exitcode', '--quiet']);
    expect(detailed, 1, 'plan --detailed-exitcode');
    assert.is(warnings(detailed), 1, detailed.stderr);
    // --offline says "trust the records": no live answer to doubt.
    const offline = await ci.phx(['plan', '--offline', '--detailed-exitcode']);
    expect(offline, 2, 'plan --offline --detailed-exitcode');
    assert.is(warnings(offline), 0, offline.stderr);
    assert.equal(
      ci.journal().filter((e: any) => e.argv?.[1] === 'create'),
      [],
      'nothing created',
    );
  } finally {
    ci.cleanup();
  }
});

test('with --state from the host: exit 0 without changes, 2 with, no warning', async () => {
  const host = Rig.create();
  const ci = Rig.create();
  try {
    expect(await host.phx(['build', '953', '--quiet']), 0, 'build on the host');
    // The host itself, with records and guests, is not warned about.
    const onHost = await host.phx(['plan', '953', '--detailed-exitcode']);
    expect(onHost, 0, 'plan on the host');
    assert.is(warnings(onHost), 0, onHost.stderr);
    const state = host.path('state.json');
    expect(await host.phx(['cache', 'export', state]), 0, 'cache export');

    const same = await ci.phx(['plan', '953', '--state', state, '--detailed-exitcode']);
    expect(same, 0, 'plan --state, nothing changed');
    assert.is(warnings(same), 0, same.stderr);
    ci.editJson(lxc, (d) => void (d.lxc_configs['953'].cores = 3));
    const changed = await ci.phx(['plan', '953', '--state', state, '--detailed-exitcode']);
    expect(changed, 2, 'plan --state after an edit');
    assert.match(changed.stdout, /lxc\/953\/settings/);
    assert.is(warnings(changed), 0, changed.stderr);
    assert.not.ok(existsSync(ci.path('.phoenix-sim')), 'the CI plan never touched a node');
  } finally {
    host.cleanup();
    ci.cleanup();
  }
});

test.run();
