// The /etc/pve lock check over SSH: ProxmoxBackend → SshRunner → fake ssh →
// fake `cat`/`sh` forwarding /etc/pve reads and writes to a sim node that
// holds a CT lock. The config is read over the same path as the write would
// go, and the write script never runs while the lock holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { SshRunner } from '../../src/backends/ssh-runner.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { readJournal } from '../../src/sim/journal.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { fixtureGuest } from '../proxmox/fixture-guests.ts';
import { buildStorages } from '../helpers/sim-storage.ts';
import { makeFakeSsh } from '../ssh/fake-ssh.ts';

const fakePct = fileURLToPath(new URL('../ssh/fake-pct.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const node = JSON.stringify(process.execPath);
const forward = (mode: string) =>
  `#!/bin/sh\nexec ${node} --import ${tsx} ${JSON.stringify(fakePct)} ${mode} "$@"\n`;

function op(target: string): OpContext {
  return {
    target: target as TargetId,
    targetKind: 'firewall',
    log: () => undefined,
    commands: [],
    signal: new AbortController().signal,
  };
}

test('over ssh: a locked CT gets no config or .fw write; unlocked, both go through', async () => {
  const fake = makeFakeSsh();
  const simDir = mkdtempSync(join(tmpdir(), 'phx-ssh-lock-'));
  fake.addRemoteTool('pct', forward('pct'));
  fake.addRemoteTool('pvesh', forward('pvesh'));
  fake.addRemoteTool(
    'cat',
    `#!/bin/sh\ncase "$1" in /etc/pve/*) exec ${node} --import ${tsx} ${JSON.stringify(fakePct)} read-file "$1";; esac\nexec /bin/cat "$@"\n`,
  );
  fake.addRemoteTool(
    'sh',
    `#!/bin/sh\nif [ "$1" = -c ] && [ "$3" = sh ]; then case "$4" in /etc/pve/*) exec ${node} --import ${tsx} ${JSON.stringify(fakePct)} write-file "$4";; esac; fi\nexec /bin/sh "$@"\n`,
  );
  const saved = process.env.PHX_FAKE_SIM_DIR;
  process.env.PHX_FAKE_SIM_DIR = simDir; // the fake ssh's children inherit this process's env
  const backend = new ProxmoxBackend({
    runner: new SshRunner('root@pve', { ...fake.env, PHX_FAKE_SIM_DIR: simDir }),
    kind: 'proxmox',
    lockWait: { waitMs: 300, pollMs: 50 },
  });
  const direct = new SimRunner({ dir: simDir, durations: {}, scale: 0, faults: [] });
  const signal = new AbortController().signal;
  const writes = async () =>
    (await readJournal(simDir)).filter((e) => e.op === 'writeFile').map((e) => e.path);
  try {
    // The node has only the storages built on it (issue 10).
    await buildStorages((argv) => direct.run(argv, { signal }));
    const g = fixtureGuest(900);
    await backend.create(g, op('lxc/900/create'));
    await backend.applySettings(g, op('lxc/900/settings'));
    // Only raw lxc.* lines differ, so no `pct set` runs: the file write is all.
    const withGpu = fixtureGuest(900, (e) => (e.gpu_assignment = '0'));
    const settled = await writes();
    assert.is(
      (await direct.run(['pct', 'set', '900', '--lock', 'backup'], { signal })).exitCode,
      0,
    );

    for (const attempt of [
      () => backend.writeFirewall(g, op('lxc/900/firewall')),
      () => backend.applySettings(withGpu, op('lxc/900/settings')),
    ]) {
      const e = await attempt().then(
        () => undefined,
        (x: unknown) => x,
      );
      assert.instance(e, OpError);
      const f = (e as OpError).failure;
      assert.equal([f.type, f.type === 'guest-locked' && f.lock], ['guest-locked', 'backup']);
    }
    assert.equal(await writes(), settled, 'no write reached the node');

    assert.is((await direct.run(['pct', 'unlock', '900'], { signal })).exitCode, 0);
    await backend.writeFirewall(g, op('lxc/900/firewall'));
    await backend.applySettings(withGpu, op('lxc/900/settings'));
    assert.equal((await writes()).slice(settled.length), [
      '/etc/pve/firewall/900.fw',
      '/etc/pve/lxc/900.conf',
    ]);
  } finally {
    await backend.close();
    if (saved === undefined) delete process.env.PHX_FAKE_SIM_DIR;
    else process.env.PHX_FAKE_SIM_DIR = saved;
    rmSync(simDir, { recursive: true, force: true });
    fake.cleanup();
  }
});

test.run();
