// SshRunner through a fake ssh that runs the remote string with /bin/sh (dash
// on Debian): one quoting layer, one control socket, file and folder transfer.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpError } from '../../src/core/failure.ts';
import { remoteCommand, shq, SshRunner } from '../../src/backends/ssh-runner.ts';
import { makeFakeSsh } from './fake-ssh.ts';

const signal = new AbortController().signal;

test('shq leaves plain words bare and single-quotes the rest', () => {
  assert.is(shq('pct'), 'pct');
  assert.is(shq('/etc/pve/lxc/950.conf'), '/etc/pve/lxc/950.conf');
  assert.is(shq('name=eth0,bridge=vmbr0,ip=10.0.0.5/24'), 'name=eth0,bridge=vmbr0,ip=10.0.0.5/24');
  assert.is(shq(''), "''");
  assert.is(shq("it's"), "'it'\\''s'");
  assert.is(remoteCommand(['echo', 'a b']), "echo 'a b'");
});

test('each argv element arrives as exactly one argument, nothing is run by the remote shell', async () => {
  const fake = makeFakeSsh();
  const pwned = join(fake.dir, 'pwned');
  const runner = new SshRunner('root@pve', fake.env);
  try {
    const nasty = [
      'a b',
      "it's",
      '"double"',
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `x; touch ${pwned}`,
      `x && touch ${pwned} || y`,
      'line1\nline2',
      '',
      '*',
      '$HOME',
      'back\\slash',
      '-n',
      "'",
      'tab\there',
      'ünïcode ✓',
      '>out',
    ];
    const r = await runner.run(['argv-dump', ...nasty], { signal });
    assert.is(r.exitCode, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), nasty);
    assert.not.ok(existsSync(pwned), 'a quoted value ran as shell code');
    assert.not.ok(existsSync(join(fake.dir, 'out')));
  } finally {
    await runner.close();
    fake.cleanup();
  }
});

test('one control socket: ControlMaster/ControlPath on every call, the same path, closed with -O exit', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('root@pve', fake.env);
  const lines: string[] = [];
  try {
    await Promise.all([
      runner.run(['echo', 'one'], { signal, onLine: (l) => lines.push(l) }),
      runner.run(['echo', 'two'], { signal, onLine: (l) => lines.push(l) }),
      runner.run(['echo', 'three'], { signal }),
    ]);
    assert.equal(lines.sort(), ['one', 'two']);
    const calls = fake.calls();
    const paths = new Set<string>();
    for (const c of calls) {
      assert.ok(c.includes('BatchMode=yes'), c.join(' '));
      assert.ok(c.includes('ControlMaster=auto'), c.join(' '));
      assert.ok(c.some((a) => a.startsWith('ControlPersist=')));
      const p = c.find((a) => a.startsWith('ControlPath='));
      assert.ok(p);
      paths.add(p);
      assert.is(c[c.length - 2], '--');
      assert.is(c[c.length - 3], 'root@pve');
    }
    assert.is(paths.size, 1, 'every call reuses one ControlPath');
    // The master is opened once, before the parallel commands.
    assert.is(calls[0]![calls[0]!.length - 1], 'true');
    assert.is(calls.length, 4);
    const socket = [...paths][0]!.slice('ControlPath='.length);
    assert.ok(Buffer.byteLength(socket) < 108, socket);
    assert.ok(existsSync(socket), 'the master socket exists while the runner is open');
    await runner.close();
    const last = fake.calls().at(-1)!;
    assert.ok(last.includes('-O') && last.includes('exit'), last.join(' '));
    assert.ok(last.includes(`ControlPath=${socket}`));
    assert.not.ok(existsSync(socket));
  } finally {
    await runner.close();
    fake.cleanup();
  }
});

test('writeFile then readFile round-trips any content; a missing file reads as undefined', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('root@pve', fake.env);
  try {
    const path = join(fake.dir, 'odd dir', "it's $(x).conf");
    const content =
      "arch: amd64\nlxc.mount.entry: /dev/nvidia0 dev/nvidia0 none bind,optional,create=file\n'quoted' $HOME `id`\n";
    await runner.writeFile(path, content, { signal });
    assert.is(readFileSync(path, 'utf8'), content);
    assert.not.ok(existsSync(`${path}.phx-tmp`));
    assert.is(await runner.readFile(path, { signal }), content);
    assert.is(await runner.readFile(join(fake.dir, 'absent.conf'), { signal }), undefined);
    // The path travels as a positional parameter, never inside the script.
    const write = fake.calls().find((c) => c.at(-1)!.startsWith('sh -c '))!;
    assert.ok(write.at(-1)!.endsWith(` sh ${shq(path)}`), write.at(-1));
  } finally {
    await runner.close();
    fake.cleanup();
  }
});

test('readFile of an unreadable path is a command failure, not "absent"', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('root@pve', fake.env);
  try {
    const failure = await runner.readFile(fake.dir, { signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(
      failure instanceof OpError && failure.failure.type === 'command-failed',
      String(failure),
    );
  } finally {
    await runner.close();
    fake.cleanup();
  }
});

test('stage copies a folder to a remote temp dir; close removes it', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('root@pve', fake.env);
  const local = mkdtempSync(join(tmpdir(), 'phx-stage-src-'));
  try {
    mkdirSync(join(local, 'sub dir'));
    writeFileSync(join(local, 'install.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    writeFileSync(join(local, 'sub dir', "x'y.txt"), 'data\n');
    const remote = await runner.stage(local, { signal });
    assert.match(remote, new RegExp(`^/tmp/phx-stage-[^/]+-${process.pid}\\.`));
    assert.is(readFileSync(join(remote, 'install.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
    assert.is(readFileSync(join(remote, 'sub dir', "x'y.txt"), 'utf8'), 'data\n');
    await runner.close();
    assert.not.ok(existsSync(remote), 'staged folders are removed on close');
  } finally {
    await runner.close();
    rmSync(local, { recursive: true, force: true });
    fake.cleanup();
  }
});

test('unstage removes a staged folder at once; a folder a dead phx of this machine left is swept, a live one kept', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('root@pve', fake.env);
  const local = mkdtempSync(join(tmpdir(), 'phx-stage-src-'));
  const prefix = `/tmp/phx-stage-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-`;
  // A pid that is not running: spawn and reap a process, keep its number.
  const dead = spawnSync('true').pid;
  const left = `${prefix}${dead}.killedxx`;
  const living = `${prefix}1.initxxxx`;
  mkdirSync(left);
  mkdirSync(living);
  writeFileSync(join(left, 'entry.json'), '{"token":"s3cret"}');
  try {
    writeFileSync(join(local, 'entry.json'), '{}');
    const remote = await runner.stage(local, { signal });
    assert.not.ok(existsSync(left), "the dead run's folder is gone");
    assert.ok(existsSync(living), 'pid 1 is alive: its folder stays');
    assert.ok(existsSync(join(remote, 'entry.json')));
    await runner.unstage(remote, { signal });
    assert.not.ok(existsSync(remote), 'unstage removes the folder before close');
  } finally {
    await runner.close();
    rmSync(local, { recursive: true, force: true });
    rmSync(left, { recursive: true, force: true });
    rmSync(living, { recursive: true, force: true });
    fake.cleanup();
  }
});

test('a host that ssh would read as an option is refused', async () => {
  const fake = makeFakeSsh();
  const runner = new SshRunner('-oProxyCommand=touch /tmp/x', fake.env);
  try {
    const r = await runner.run(['true'], { signal });
    assert.is(r.exitCode, 255);
    assert.match(r.stderr, /is not user@host/);
    assert.is(fake.calls().length, 0);
  } finally {
    await runner.close();
    fake.cleanup();
  }
});

test.run();
