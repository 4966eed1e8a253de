// The backend's command lines through the real sim node, which accepts exactly
// what a Proxmox node accepts: every command and host-file write of a
// create → settings → firewall → push → exec → snapshot → clone sequence must
// be accepted, and a second settings apply must be a no-op.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { parseConf } from '../../src/backends/proxmox/conf-file.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { readJournal } from '../../src/sim/journal.ts';
import { SimRunner } from '../../src/sim/runner.ts';
import { ctx } from './fake-runner.ts';
import { fixtureGuest } from './fixture-guests.ts';
import { buildStorages } from '../helpers/sim-storage.ts';

test('create → settings → firewall → push → exec → snapshot → clone → settings, all accepted by the sim', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phx-proxmox-sim-'));
  const feature = await mkdtemp(join(tmpdir(), 'phx-feature-'));
  try {
    const sim = new SimRunner({ dir, durations: {}, scale: 0, faults: [] });
    // The node has the storages the example configs define, as `phx setup` makes them.
    await buildStorages((argv) => sim.run(argv, { signal: new AbortController().signal }));
    const backend = new ProxmoxBackend({ runner: sim, kind: 'sim' });
    const g900 = fixtureGuest(900);
    const g901 = fixtureGuest(901);
    const c = ctx('lxc/900/create');

    await backend.create(g900, c);
    await backend.applySettings(g900, c);
    await backend.writeFirewall(g900, c);
    await backend.start(g900, c);
    await writeFile(join(feature, 'install.sh'), '#!/bin/sh\necho ok\n');
    await chmod(join(feature, 'install.sh'), 0o755);
    const run = '/var/lib/phx/run/lxc-900-feature-base_setup';
    await backend.push(g900, feature, run, c);
    await backend.pushFile(g900, '{"name":"Copy-Base"}', '/var/lib/phx/entry.json', c);
    await backend.exec(
      g900,
      { cwd: run, argv: ['./install.sh', 'a; rm -rf /'], env: { PHX_ID: '900', PHX_GPUS: '' } },
      c,
    );
    await backend.snapshot(
      g900,
      'final-form',
      'phx:0123456789abcdef lxc/900/snapshot/final-form',
      c,
    );

    const again = ctx('lxc/900/settings');
    await backend.applySettings(g900, again);
    assert.equal(again.commands, [], 'second apply issues nothing');

    await backend.clone(900 as GuestId, 'final-form', g901, c);
    await backend.applySettings(g901, c);
    const conf = parseConf(
      (await sim.readFile('/etc/pve/lxc/901.conf', { signal: c.signal })) ?? '',
    );
    assert.ok(
      conf.rawLines.includes(
        'lxc.mount.entry: /dev/nvidia1 dev/nvidia1 none bind,optional,create=file',
      ),
    );
    assert.match(conf.options.get('net0') ?? '', /ip=10\.0\.0\.201\/24/);

    const narrowed = ctx('lxc/901/settings');
    await backend.applySettings(
      fixtureGuest(901, (e) => (e.gpu_assignment = '0')),
      narrowed,
    );
    const after = parseConf(
      (await sim.readFile('/etc/pve/lxc/901.conf', { signal: c.signal })) ?? '',
    );
    assert.not.ok(after.rawLines.some((l) => l.includes('nvidia1')));

    const states = await backend.inspect(
      [
        { kind: 'lxc', id: 900 as GuestId },
        { kind: 'lxc', id: 901 as GuestId },
        { kind: 'lxc', id: 999 as GuestId },
      ],
      c.signal,
    );
    assert.is(states.get(900 as GuestId)?.running, true);
    assert.equal(states.get(900 as GuestId)?.snapshots, [
      { name: 'final-form', description: 'phx:0123456789abcdef lxc/900/snapshot/final-form' },
    ]);
    assert.is(states.get(901 as GuestId)?.exists, true);
    assert.is(states.get(999 as GuestId)?.exists, false);

    const journal = await readJournal(dir);
    const refused = journal.filter(
      (j) => !j.accepted && !(j.argv ?? []).join(' ').includes('/lxc/999/'),
    );
    assert.equal(refused, [], 'the sim accepted every command and file write');
    assert.ok(
      journal.some(
        (j) => j.op === 'writeFile' && j.path === '/etc/pve/firewall/900.fw' && j.accepted,
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(feature, { recursive: true, force: true });
  }
});

test.run();
