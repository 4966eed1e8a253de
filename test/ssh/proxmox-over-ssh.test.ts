// The proxmox backend end to end over SSH: ProxmoxBackend → SshRunner → fake
// ssh (/bin/sh -c on this machine) → fake pct/pvesh/cat/sh that forward to a
// sim node. Everything the sim accepts here went through one quoting layer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OpContext } from '../../src/backends/backend.ts';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { SshRunner } from '../../src/backends/ssh-runner.ts';
import type { TargetId, TargetKind } from '../../src/core/target-id.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { fixtureGuest } from '../proxmox/fixture-guests.ts';
import { makeFakeSsh } from './fake-ssh.ts';

const fakePct = fileURLToPath(new URL('./fake-pct.ts', import.meta.url));
// The fake tools run from any cwd: load tsx by its resolved URL, not by package name.
const tsx = import.meta.resolve('tsx');
const forward = (mode: string) =>
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${tsx} ${JSON.stringify(fakePct)} ${mode} "$@"\n`;

function op(target: string, kind: TargetKind, log: string[] = []): OpContext {
  return {
    target: target as TargetId,
    targetKind: kind,
    log: (l) => log.push(l),
    commands: [],
    signal: new AbortController().signal,
  };
}

test('create → settings → firewall → push/exec → snapshot over ssh are all accepted by the node', async () => {
  const fake = makeFakeSsh();
  const simDir = mkdtempSync(join(tmpdir(), 'phx-ssh-sim-'));
  fake.addRemoteTool('pct', forward('pct'));
  fake.addRemoteTool('pvesh', forward('pvesh'));
  fake.addRemoteTool('zfs', forward('zfs'));
  fake.addRemoteTool('pvesm', forward('pvesm'));
  // /etc/pve lives in the sim: reads and the fixed write script go there; anything else is the real tool.
  fake.addRemoteTool(
    'cat',
    `#!/bin/sh\ncase "$1" in /etc/pve/*) exec ${JSON.stringify(process.execPath)} --import ${tsx} ${JSON.stringify(fakePct)} read-file "$1";; esac\nexec /bin/cat "$@"\n`,
  );
  fake.addRemoteTool(
    'sh',
    `#!/bin/sh\nif [ "$1" = -c ] && [ "$3" = sh ]; then case "$4" in /etc/pve/*) exec ${JSON.stringify(process.execPath)} --import ${tsx} ${JSON.stringify(fakePct)} write-file "$4";; esac; fi\nexec /bin/sh "$@"\n`,
  );
  const env = { ...fake.env, PHX_FAKE_SIM_DIR: simDir };
  const saved = process.env.PHX_FAKE_SIM_DIR;
  process.env.PHX_FAKE_SIM_DIR = simDir; // the fake ssh's children inherit this process's env
  const backend = new ProxmoxBackend({ runner: new SshRunner('root@pve', env), kind: 'proxmox' });
  const guest = fixtureGuest(900);
  try {
    // The node has only the storages built on it (issue 10): its host targets' commands, over ssh too.
    const host = backend.hostOps();
    await host.createDataset(
      { path: 'quickOS/lxc-disks', properties: {} },
      op('host/zfs-dataset/quickOS/lxc-disks', 'zfs-dataset'),
    );
    await host.addStorage(
      {
        id: 'quickOS-lxc-disks',
        type: 'zfspool',
        target: 'quickOS/lxc-disks',
        content: 'images,rootdir',
      },
      op('host/storage/quickOS-lxc-disks', 'storage'),
    );
    await backend.create(guest, op('lxc/900/create', 'create'));
    const settingsLog: string[] = [];
    await backend.applySettings(guest, op('lxc/900/settings', 'settings', settingsLog));
    await backend.writeFirewall(guest, op('lxc/900/firewall', 'firewall'));
    await backend.start(guest, op('lxc/900/feature/base_setup', 'feature'));
    const dir = mkdtempSync(join(tmpdir(), 'phx-ssh-feature-'));
    writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\necho ok\n', { mode: 0o755 });
    await backend.push(
      guest,
      dir,
      '/var/lib/phx/run/lxc_900_feature_base_setup',
      op('lxc/900/feature/base_setup', 'feature'),
    );
    await backend.exec(
      guest,
      {
        cwd: '/var/lib/phx/run/lxc_900_feature_base_setup',
        argv: ['./install.sh', "a 'b' $(c)"],
        env: { PHX_ID: '900' },
      },
      op('lxc/900/feature/base_setup', 'feature'),
    );
    rmSync(dir, { recursive: true, force: true });
    await backend.snapshot(
      guest,
      'phx-0123456789ab',
      'phx:0123456789abcdef lxc/900/feature/base_setup',
      op('lxc/900/snapshot', 'snapshot'),
    );

    // The sim node saw exactly what the backend meant, and agrees with a direct look.
    const states = await backend.inspect(
      [{ kind: 'lxc', id: 900 as GuestId }],
      new AbortController().signal,
    );
    const st = states.get(900 as GuestId)!;
    assert.ok(st.exists);
    assert.ok(st.running);
    assert.equal(
      st.snapshots.map((s) => s.name),
      ['phx-0123456789ab'],
    );
    assert.is(st.snapshots[0]!.description, 'phx:0123456789abcdef lxc/900/feature/base_setup');
    const direct = new SimRunner({ dir: simDir, durations: {}, scale: 0, faults: [] });
    const conf = await direct.readFile('/etc/pve/lxc/900.conf', {
      signal: new AbortController().signal,
    });
    assert.match(conf ?? '', /^memory: 2048$/m);
    assert.match(conf ?? '', /^lxc\.apparmor\.profile: unconfined$/m);
    assert.match(
      (await direct.readFile('/etc/pve/firewall/900.fw', {
        signal: new AbortController().signal,
      })) ?? '',
      /Allow SSH/,
    );
    // A second settings pass finds nothing to change over the same path.
    const again = op('lxc/900/settings', 'settings');
    await backend.applySettings(guest, again);
    assert.equal(again.commands, []);
    const remote = fake.calls().map((c) => c.at(-1)!);
    assert.ok(
      remote.some((r) => r.startsWith('pct create 900 ')),
      remote.join('\n'),
    );
    assert.ok(
      remote.some((r) =>
        r.startsWith(
          "pct snapshot 900 phx-0123456789ab --description 'phx:0123456789abcdef lxc/900/feature/base_setup'",
        ),
      ),
    );
  } finally {
    await backend.close();
    if (saved === undefined) delete process.env.PHX_FAKE_SIM_DIR;
    else process.env.PHX_FAKE_SIM_DIR = saved;
    rmSync(simDir, { recursive: true, force: true });
    fake.cleanup();
  }
});

test.run();
