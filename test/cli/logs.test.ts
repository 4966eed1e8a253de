// `phx logs`: the step logs a sim build kept, a failure's log, every kept run,
// and --follow on a target the test holds running (wait-file faults) and
// then releases; no sleep decides an outcome.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig } from '../helpers/rig.ts';

function logFiles(rig: Rig, id: string): string[] {
  const dir = rig.path(`.phoenix-cache/logs/${id}`);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => join(dir, f))
    : [];
}

test('logs prints the last run of a target, and of each target of a guest in build order', async () => {
  const rig = Rig.create();
  try {
    const b = await rig.phx(['build', '950']);
    assert.is(b.code, 0, b.stderr);
    const [file, ...more] = logFiles(rig, 'lxc/950/clone');
    assert.is(more.length, 0);
    const clone = readFileSync(file!, 'utf8');
    assert.ok(clone.includes('create full clone'), clone);
    const one = await rig.phx(['logs', 'lxc/950/clone']);
    assert.is(one.code, 0, one.stderr);
    assert.is(one.stdout, clone);

    const guest = await rig.phx(['logs', '950']);
    assert.is(guest.code, 0, guest.stderr);
    const heads = guest.stdout.split('\n').filter((l) => l.startsWith('==> '));
    assert.equal(heads.slice(0, 2), ['==> lxc/950/clone <==', '==> lxc/950/settings <==']);
    assert.ok(heads.includes('==> lxc/950/app <=='), heads.join('\n'));
    assert.ok(
      heads.indexOf('==> lxc/950/app <==') < heads.indexOf('==> lxc/950/firewall <==') ||
        !heads.includes('==> lxc/950/firewall <=='),
    );
    assert.ok(guest.stdout.includes(`==> lxc/950/clone <==\n${clone}`));
  } finally {
    rig.cleanup();
  }
});

test("a failed target's log holds its failure; an unknown target suggests the nearest", async () => {
  const rig = Rig.create();
  try {
    const b = await rig.phx(['build', '950'], {
      faults: [
        {
          target: 'lxc/950/app',
          match: ['pct', 'exec', '950', '--', 'env'],
          action: 'fail',
          message: 'app crashed on purpose',
        },
      ],
    });
    assert.is(b.code, 1, b.stderr);
    const r = await rig.phx(['logs', 'lxc/950/app']);
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('app crashed on purpose'), r.stdout);
    assert.ok(r.stdout.includes('failed: '), r.stdout);

    const typo = await rig.phx(['logs', 'lxc/950/ap']);
    assert.is(typo.code, 1);
    assert.is(typo.stdout, '');
    assert.ok(
      typo.stderr.includes('no target lxc/950/ap in this project (did you mean "lxc/950/app"?)'),
      typo.stderr,
    );
    const guest = await rig.phx(['logs', '9500']);
    assert.is(guest.code, 1);
    assert.ok(guest.stderr.includes('9500 is not a CTID or VMID'), guest.stderr);
    // A target in the project that never ran: no log, said so.
    const never = await rig.phx(['logs', 'lxc/955/clone']);
    assert.is(never.code, 1);
    assert.ok(never.stderr.includes('has no logs yet'), never.stderr);
  } finally {
    rig.cleanup();
  }
});

test('--all-runs prints every kept run, oldest first, headed by its time', async () => {
  const rig = Rig.create();
  try {
    assert.is((await rig.phx(['build', '950'])).code, 0);
    // A new fingerprint for the app layer: a second kept run beside the first.
    rig.append('features/apps/phoenix_hypervisor_lxc_vllm.sh', '\n# edited\n');
    const b = await rig.phx(['build', '950']);
    assert.is(b.code, 0, b.stderr);
    const files = logFiles(rig, 'lxc/950/app').sort(
      (x, y) => statSync(x).mtimeMs - statSync(y).mtimeMs,
    );
    assert.is(files.length, 2);
    const texts = files.map((f) => readFileSync(f, 'utf8'));

    const all = await rig.phx(['logs', '--all-runs', 'lxc/950/app']);
    assert.is(all.code, 0, all.stderr);
    const parts = all.stdout.split(/^==> run of (\S+) <==\n/m);
    // ['', time1, text1, time2, text2]
    assert.is(parts.length, 5, all.stdout);
    assert.is(parts[0], '');
    assert.is(Date.parse(parts[1]!), statSync(files[0]!).mtime.getTime());
    assert.is(Date.parse(parts[3]!), statSync(files[1]!).mtime.getTime());
    assert.ok(Date.parse(parts[1]!) <= Date.parse(parts[3]!));
    assert.equal([parts[2], parts[4]], texts);
    assert.ok(texts[1]!.length > 0);
    // Without --all-runs: the newest only, bare.
    assert.is((await rig.phx(['logs', 'lxc/950/app'])).stdout, texts[1]);
  } finally {
    rig.cleanup();
  }
});

test('--follow waits for the target, prints its log as it runs, ends with its run', async () => {
  const rig = Rig.create();
  try {
    const cloneGo = rig.path('release-clone');
    const appGo = rig.path('release-app');
    const build = rig.spawn(['build', '950'], {
      faults: [
        { target: 'lxc/950/clone', action: 'wait-file', path: cloneGo, times: 1 },
        {
          target: 'lxc/950/app',
          match: ['pct', 'exec', '950', '--', 'env'],
          action: 'wait-file',
          path: appGo,
          times: 1,
        },
      ],
    });
    await rig.waitFor(() => logFiles(rig, 'lxc/950/clone').length === 1, 'the clone to start');
    const follow = rig.spawn(['logs', '--follow', 'lxc/950/app']);
    let followErr = '';
    let followOut = '';
    follow.child.stderr!.on('data', (d: string) => (followErr += d));
    follow.child.stdout!.on('data', (d: string) => (followOut += d));
    await rig.waitFor(
      () => followErr.includes('to start lxc/950/app'),
      'logs --follow to wait for the app',
    );
    writeFileSync(cloneGo, '');
    // The app step is held inside its script; what it logged before shows already.
    await rig.waitFor(() => followOut.includes('status: '), 'follow to print the running log');
    assert.is(follow.child.exitCode, null, 'follow ended while the app was still running');
    writeFileSync(appGo, '');
    const [f, b] = await Promise.all([follow.done, build.done]);
    assert.is(b.code, 0, b.stderr);
    assert.is(f.code, 0, f.stderr);
    assert.is(f.stdout, readFileSync(logFiles(rig, 'lxc/950/app')[0]!, 'utf8'));
    assert.ok(f.stdout.length > 0);
  } finally {
    rig.cleanup();
  }
});

test('--follow exits 130 on Ctrl-C; with no build running it prints the last run', async () => {
  const rig = Rig.create();
  try {
    const build = rig.spawn(['build', '950'], {
      faults: [{ target: 'lxc/950/clone', match: ['pct', 'snapshot', '950'], action: 'hang' }],
    });
    await rig.waitFor(() => logFiles(rig, 'lxc/950/clone').length === 1, 'the clone to start');
    const follow = rig.spawn(['logs', '--follow', 'lxc/950/clone']);
    let out = '';
    follow.child.stdout!.on('data', (d: string) => (out += d));
    // The log's first line appears once the sim writes it; follow is streaming by then.
    await rig.waitFor(() => out.length > 0, 'follow to print the running log');
    follow.child.kill('SIGINT');
    assert.is((await follow.done).code, 130);
    build.child.kill('SIGINT');
    await build.done;

    const after = await rig.phx(['logs', '--follow', 'lxc/950/clone']);
    assert.is(after.code, 0, after.stderr);
    assert.is(after.stdout, readFileSync(logFiles(rig, 'lxc/950/clone')[0]!, 'utf8'));
  } finally {
    rig.cleanup();
  }
});

test.run();
