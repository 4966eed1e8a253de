// Exit codes of DESIGN §6 through the real binary: 0 ok, 1 any error (a typo
// included, with the usage line), 2 only for "changes present" under
// --detailed-exitcode; an id that selects nothing is an error; --version.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, repoRoot, type PhxResult } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

function expect(r: PhxResult, code: number, what: string): void {
  assert.is(r.code, code, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}

const rig = Rig.create();

test('a mistyped command or flag exits 1 and shows the usage line', async () => {
  const command = await rig.phx(['plna']);
  expect(command, 1, 'phx plna');
  assert.match(command.stderr, /unknown command 'plna'/);
  assert.match(command.stderr, /\(Did you mean plan\?\)/);
  assert.match(command.stderr, /^Usage: phx \[options\] \[command\]$/m);
  const flag = await rig.phx(['plan', '--detailed-exit-code']);
  expect(flag, 1, 'plan --detailed-exit-code');
  assert.match(flag.stderr, /unknown option '--detailed-exit-code'/);
  assert.match(flag.stderr, /^Usage: phx plan \[options\] \[ids\.\.\.\]$/m);
  const missing = await rig.phx(['cache', 'export']);
  expect(missing, 1, 'cache export without FILE');
  assert.match(missing.stderr, /^Usage: phx cache export \[options\] <file>$/m);
  assert.not.ok(missing.stderr.includes('    at '), 'no stack trace');
});

test('an id that is no guest exits 1', async () => {
  const r = await rig.phx(['build', '4242']);
  expect(r, 1, 'build 4242');
  assert.match(r.stderr, /phx: 4242 is not a CTID or VMID in the configs/);
});

test('a VMID selects the VM: plan 9000 plans its image, create and template snapshot', async () => {
  const r = await rig.phx(['plan', '9000']);
  expect(r, 0, 'plan 9000');
  for (const t of ['vm/9000/image', 'vm/9000/create', 'vm/9000/snapshot/final-form'])
    assert.match(r.stdout, new RegExp(`${t} +build`), t);
  assert.not.match(r.stdout, /vm\/1001/, 'a clone of it is not what it needs');
});

test('--detailed-exitcode: 2 with a change, 0 without, 2 never for anything else', async () => {
  expect(await rig.phx(['build', '953', '--quiet']), 0, 'build 953');
  expect(await rig.phx(['plan', '953', '--detailed-exitcode']), 0, 'plan after build');
  rig.editJson(lxc, (d) => void (d.lxc_configs['953'].cores = 3));
  const changed = await rig.phx(['plan', '953', '--detailed-exitcode']);
  expect(changed, 2, 'plan after an edit');
  assert.match(changed.stdout, /lxc\/953\/settings/);
  // Without the flag the same plan is a success.
  expect(await rig.phx(['plan', '953']), 0, 'plan without --detailed-exitcode');
  // A usage error under the same flag is still 1.
  expect(await rig.phx(['plan', '4242', '--detailed-exitcode']), 1, 'plan 4242');
});

test('--version prints the version of package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const flag of ['--version', '-V']) {
    const r = await rig.phx([flag]);
    expect(r, 0, flag);
    assert.is(r.stdout, `${version}\n`);
  }
});

test.after(() => {
  rig.cleanup();
});

test.run();
