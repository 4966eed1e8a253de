// The proxmox backend's /etc/pve writes honour a CT's `lock:` as pct does:
// with the sim node holding a lock (by hand, or under a long operation), the
// backend waits a bounded time, then fails with a typed error naming the lock
// and never sends the write (the journal shows none; the sim's own refusal
// would show as a refused writeFile). A lock that goes during the wait lets
// the write through, made from the config as read after it went.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import { LocalRunner } from '../../src/backends/local-runner.ts';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { RunOptions, RunResult } from '../../src/backends/runner.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { readJournal } from '../../src/sim/journal.ts';
import { fixtureGuest } from '../proxmox/fixture-guests.ts';
import { expectOk, makeSim, tempDir, type SimRig } from './sim-helpers.ts';

const short = { waitMs: 150, pollMs: 20 };

function op(target: string, signal = new AbortController().signal): OpContext {
  return {
    target: target as TargetId,
    targetKind: 'settings',
    log: () => undefined,
    commands: [],
    signal,
  };
}

/** 900 from the real configs, built and settled on the sim; then `gpu` changes only raw lines. */
async function built(rig: SimRig, lockWait = short) {
  const backend = new ProxmoxBackend({ runner: rig.sim, kind: 'sim', lockWait });
  const g = fixtureGuest(900);
  await backend.create(g, op('lxc/900/create'));
  await backend.applySettings(g, op('lxc/900/settings'));
  const withGpu = fixtureGuest(900, (e) => (e.gpu_assignment = '0'));
  return { backend, g, withGpu };
}

async function conf(rig: SimRig): Promise<string> {
  return (await rig.sim.readFile('/etc/pve/lxc/900.conf', { signal: op('x').signal })) ?? '';
}

async function writesTo(rig: SimRig, path: string): Promise<number> {
  return (await readJournal(rig.dir)).filter((e) => e.op === 'writeFile' && e.path === path).length;
}

async function locked(p: Promise<unknown>): Promise<OpError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OpError) return e;
    throw e;
  }
  assert.unreachable('the write went through a locked CT');
  throw new Error('unreachable');
}

test('a lock set by hand (backup): the config is not written, the error names the lock', async () => {
  const rig = await makeSim();
  const { backend, withGpu } = await built(rig);
  const writes = await writesTo(rig, '/etc/pve/lxc/900.conf');
  expectOk(await rig.run('pct', 'set', '900', '--lock', 'backup'), 'lock');
  const before = await conf(rig);

  const e = await locked(backend.applySettings(withGpu, op('lxc/900/settings')));
  assert.is(e.failure.type, 'guest-locked');
  if (e.failure.type !== 'guest-locked') return;
  assert.equal(
    [e.failure.guest, e.failure.lock, e.failure.path],
    [900, 'backup', '/etc/pve/lxc/900.conf'],
  );
  assert.ok(e.failure.waitedMs >= short.waitMs, String(e.failure.waitedMs));
  assert.match(
    e.message,
    /^CT 900 is locked \(backup\): \/etc\/pve\/lxc\/900\.conf not written after waiting 0\.[12]s, as pct refuses a locked CT; retry when the backup ends, or clear a stale lock with 'pct unlock 900'$/,
  );
  // Not sent at all: the sim would have journaled even a refused write.
  assert.is(await writesTo(rig, '/etc/pve/lxc/900.conf'), writes);
  assert.is(await conf(rig), before);
  assert.not.match(await conf(rig), /nvidia0/);
});

test('the firewall file waits for the lock too', async () => {
  const rig = await makeSim();
  const { backend, g } = await built(rig);
  expectOk(await rig.run('pct', 'set', '900', '--lock', 'backup'), 'lock');
  const e = await locked(backend.writeFirewall(g, op('lxc/900/firewall')));
  assert.equal(e.failure, {
    type: 'guest-locked',
    guest: 900,
    lock: 'backup',
    path: '/etc/pve/firewall/900.fw',
    waitedMs: (e.failure as { waitedMs: number }).waitedMs,
  });
  assert.is(await writesTo(rig, '/etc/pve/firewall/900.fw'), 0);
});

test('a lock held by a running snapshot: refused while it runs, written after it ends', async () => {
  const dir = await tempDir('phx-lock-release-');
  const release = join(dir, 'release');
  const rig = await makeSim({
    faults: [{ match: ['pct', 'snapshot', '900'], action: 'wait-file', path: release, times: 1 }],
  });
  const { backend, g } = await built(rig);
  const snap = rig.run('pct', 'snapshot', '900', 'by-hand');
  for (let i = 0; i < 500 && !/^lock: snapshot$/m.test(await conf(rig)); i++)
    await new Promise((r) => setTimeout(r, 5));
  const e = await locked(backend.writeFirewall(g, op('lxc/900/firewall')));
  assert.match(
    e.message,
    /^CT 900 is locked \(snapshot\): \/etc\/pve\/firewall\/900\.fw not written/,
  );
  await writeFile(release, '');
  expectOk(await snap, 'snapshot');
  await backend.writeFirewall(g, op('lxc/900/firewall'));
  assert.match(
    (await rig.sim.readFile('/etc/pve/firewall/900.fw', { signal: op('x').signal })) ?? '',
    /Allow SSH/,
  );
});

test('a lock that goes during the wait: the write follows, made from the unlocked config', async () => {
  const dir = await tempDir('phx-lock-wait-');
  const release = join(dir, 'release');
  const rig = await makeSim({
    faults: [{ match: ['pct', 'snapshot', '900'], action: 'wait-file', path: release, times: 1 }],
  });
  const { backend, withGpu } = await built(rig, { waitMs: 60_000, pollMs: 10 });
  const snap = rig.run('pct', 'snapshot', '900', 'by-hand');
  for (let i = 0; i < 500 && !/^lock: snapshot$/m.test(await conf(rig)); i++)
    await new Promise((r) => setTimeout(r, 5));
  const reads = async () =>
    (await readJournal(rig.dir)).filter(
      (e) => e.op === 'readFile' && e.path === '/etc/pve/lxc/900.conf',
    ).length;
  const start = await reads();
  const writes = await writesTo(rig, '/etc/pve/lxc/900.conf');
  const pending = backend.applySettings(withGpu, op('lxc/900/settings'));
  // Released once the backend has seen the lock more than once (it is waiting).
  for (let i = 0; i < 1000 && (await reads()) < start + 3; i++)
    await new Promise((r) => setTimeout(r, 5));
  assert.is(await writesTo(rig, '/etc/pve/lxc/900.conf'), writes);
  // The snapshot adds its section as it drops the lock: a write made from the
  // config read before would lack it, and the node refuses such a file.
  await writeFile(release, '');
  expectOk(await snap, 'snapshot');
  await pending;
  const text = await conf(rig);
  assert.match(text, /^lxc\.mount\.entry: \/dev\/nvidia0 dev\/nvidia0 /m);
  assert.match(text, /^\[by-hand\]$/m);
  assert.not.match(text, /^lock:/m);
  assert.is(await writesTo(rig, '/etc/pve/lxc/900.conf'), writes + 1);
});

test('cancelled while waiting for a lock: cancelled, nothing written', async () => {
  const rig = await makeSim();
  const { backend, g } = await built(rig, { waitMs: 60_000, pollMs: 10 });
  expectOk(await rig.run('pct', 'set', '900', '--lock', 'migrate'), 'lock');
  const ac = new AbortController();
  const pending = backend.writeFirewall(g, op('lxc/900/firewall', ac.signal));
  setTimeout(() => {
    ac.abort();
  }, 30);
  const e = await locked(pending);
  assert.equal(e.failure, { type: 'cancelled' });
  assert.is(await writesTo(rig, '/etc/pve/firewall/900.fw'), 0);
});

/**
 * The local runner's real file writes, with /etc/pve under a temp folder (this
 * machine is no Proxmox node) and pct answered by nothing: the lock check
 * lives above the runner, so it holds for every runner alike.
 */
class RootedLocalRunner extends LocalRunner {
  constructor(private readonly root: string) {
    super();
  }
  override run(argv: readonly string[]): Promise<RunResult> {
    return Promise.resolve({ exitCode: 1, stdout: '', stderr: `not on a node: ${argv.join(' ')}` });
  }
  override readFile(path: string): Promise<string | undefined> {
    return super.readFile(join(this.root, path));
  }
  override writeFile(path: string, content: string, _opts?: RunOptions): Promise<void> {
    return super.writeFile(join(this.root, path), content);
  }
}

test('over the local runner: a locked config stops the .fw write; unlocked, it is replaced whole', async () => {
  const root = await tempDir('phx-local-pve-');
  await mkdir(join(root, 'etc/pve/lxc'), { recursive: true });
  const confFile = join(root, 'etc/pve/lxc/900.conf');
  await writeFile(confFile, 'hostname: copy-base\nlock: backup\nrootfs: local:900/disk-0\n');
  const backend = new ProxmoxBackend({
    runner: new RootedLocalRunner(root),
    kind: 'proxmox',
    lockWait: short,
  });
  const g = fixtureGuest(900);
  const e = await locked(backend.writeFirewall(g, op('lxc/900/firewall')));
  assert.is(e.failure.type === 'guest-locked' && e.failure.lock, 'backup');
  await readdir(join(root, 'etc/pve/firewall')).then(
    () => {
      assert.unreachable('the firewall folder was created');
    },
    () => undefined,
  );
  await writeFile(confFile, 'hostname: copy-base\nrootfs: local:900/disk-0\n');
  await backend.writeFirewall(g, op('lxc/900/firewall'));
  assert.match(await readFile(join(root, 'etc/pve/firewall/900.fw'), 'utf8'), /Allow SSH/);
  // Replaced by rename: no temp file is left beside it.
  assert.equal(await readdir(join(root, 'etc/pve/firewall')), ['900.fw']);
});

test.run();
