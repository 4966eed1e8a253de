// phx test through the real binary: script tests pushed into the guest and
// run there, health checks run as the check target runs them, per guest or
// per suite; a missing script is a config error naming pointer and file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from '../helpers/rig.ts';
import { builtRig, expectCode } from './helpers.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

interface LxcDoc {
  lxc_configs: Record<
    string,
    { tests?: Record<string, { name: string; type: string; path: string }[]> }
  >;
}

let rig: Rig;
test.before(async () => {
  rig = await builtRig(['--all'], (r) => {
    r.editJson(lxc, (doc: LxcDoc) => {
      doc.lxc_configs['950']!.tests = {
        smoke: [{ name: 'hostname', type: 'script', path: 'smoke/hostname.sh' }],
      };
      doc.lxc_configs['953']!.tests = {
        smoke: [{ name: 'hostname', type: 'script', path: 'smoke/hostname.sh' }],
      };
    });
  });
});
test.after(() => {
  rig.cleanup();
});

interface TestJson {
  version: number;
  tests: { guest: number; suite: string; name: string; result: string; error?: string }[];
  summary: { passed: number; failed: number };
}

test('test SUITE runs that suite in every guest that declares it', async () => {
  const r = await rig.phx(['test', 'smoke']);
  expectCode(r, 0, 'test smoke');
  assert.equal(r.stdout.trim().split('\n'), [
    'PASS 950 smoke/hostname',
    'PASS 953 smoke/hostname',
    '2 passed, 0 failed',
  ]);
  // The script went into the guest and ran there, from its pushed folder.
  const runs = rig.journal().filter((e: { argv?: string[] }) => e.argv?.includes('./hostname.sh'));
  assert.equal(
    runs.map((e: { argv: string[] }) => e.argv.slice(0, 3)),
    [
      ['pct', 'exec', '950'],
      ['pct', 'exec', '953'],
    ],
  );
  assert.ok(
    rig
      .journal()
      .some(
        (e: { argv?: string[] }) =>
          e.argv?.[1] === 'push' &&
          e.argv[4] === '/var/lib/phx/test/950_smoke_hostname/hostname.sh',
      ),
  );
});

test('test ID runs that guest’s tests and health check; --json', async () => {
  const r = await rig.phx(['test', '103', '--json']);
  expectCode(r, 0, 'test 103');
  const j = JSON.parse(r.stdout) as TestJson;
  assert.equal(
    j.tests.map((t) => [t.guest, t.suite, t.result]),
    [[103, 'health_check', 'pass']],
  );
  assert.equal(j.summary, { passed: 1, failed: 0 });
});

test('a failing test is reported and the exit code is 1', async () => {
  const r = await rig.phx(['test', '950'], {
    faults: [
      {
        match: ['pct', 'exec', '950', '--', 'env'],
        action: 'fail',
        message: 'no hostname in CT 950',
      },
    ],
  });
  expectCode(r, 1, 'test 950 with a fault');
  assert.match(
    r.stdout,
    /^FAIL 950 smoke\/hostname: pct exec 950 exited 255: no hostname in CT 950$/m,
  );
  assert.match(r.stdout, /^0 passed, 1 failed$/m);
});

test('a missing test script is a clear error naming the config pointer and the file, before any host call', async () => {
  rig.editJson(lxc, (doc: LxcDoc) => {
    doc.lxc_configs['950']!.tests!.integration = [
      { name: 'api', type: 'script', path: 'vllm/api_check.sh' },
    ];
  });
  const before = rig.journal().length;
  const r = await rig.phx(['test', 'integration']);
  expectCode(r, 1, 'test integration');
  assert.match(
    r.stderr,
    /^configs\/phoenix_lxc_configs\.json: \/lxc_configs\/950\/tests\/integration\/0\/path: test script features\/tests\/vllm\/api_check\.sh does not exist$/m,
  );
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.is(rig.journal().length, before, 'nothing ran on the host');
  // Another guest's suite is not blocked by it.
  expectCode(await rig.phx(['test', '953']), 0, 'test 953');
});

test('an unknown suite is a usage error listing the suites', async () => {
  const r = await rig.phx(['test', 'nightly']);
  expectCode(r, 1, 'test nightly');
  assert.match(
    r.stderr,
    /no test suite "nightly" in the configs \(suites: health_check, integration, smoke\)/,
  );
});

test.run();
