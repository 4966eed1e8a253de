// Issue 10: the host-service operations (NFS exports, Samba, users, ARC
// limit, cluster firewall) of the proxmox backend, run as argv against the
// sim node, which refuses what the real tools refuse: an export of a folder
// the host lacks, a share of a missing folder, a Samba account without its
// Linux account, a cluster.fw pve-firewall would not compile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { HostOps, OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { replaceBlock } from '../../src/backends/managed-block.ts';
import { clusterFirewallErrors } from '../../src/sim/cluster-firewall.ts';
import { digestOf, type HostServicesState } from '../../src/sim/host-services-state.ts';
import { makeSim } from '../sim/sim-helpers.ts';

function ctx(commands: string[][] = [], log: string[] = []): OpContext {
  return {
    target: 'host/nfs-exports/exports' as TargetId,
    targetKind: 'nfs-exports',
    log: (l) => log.push(l),
    commands,
    signal: new AbortController().signal,
  };
}

async function rig() {
  const s = await makeSim({ bare: true });
  const host: HostOps = new ProxmoxBackend({ runner: s.sim, kind: 'sim' }).hostOps();
  // A dataset whose folder an export and a share can name.
  assert.is(
    (await s.run('zfs', 'create', '-o', 'mountpoint=/quickOS/shared', 'quickOS/shared')).exitCode,
    0,
  );
  const file = (path: string) => readFileSync(join(s.dir, 'host', path), 'utf8');
  const state = () =>
    JSON.parse(readFileSync(join(s.dir, 'host-services.json'), 'utf8')) as HostServicesState;
  return { ...s, host, file, state };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    return (e as OpError).message;
  }
  assert.unreachable('expected a refusal');
  return '';
}

const share = {
  name: 'shared',
  path: '/quickOS/shared',
  parameters: [
    ['browseable', 'yes'],
    ['writable', 'yes'],
  ] as [string, string][],
  validUsers: ['heads'],
};

test('phx block: replaced in place, foreign lines kept, an empty body removes it', () => {
  const mine = replaceBlock('/srv/theirs *(ro)\n', 'nfs-exports', '/a b(rw)');
  assert.match(
    mine,
    /^\/srv\/theirs \*\(ro\)\n# BEGIN phx nfs-exports .*\n\/a b\(rw\)\n# END phx nfs-exports\n$/,
  );
  const again = replaceBlock(`${mine}# after\n`, 'nfs-exports', '/c d(ro)');
  assert.is(
    again
      .split('\n')
      .filter((l) => l.startsWith('/'))
      .join('|'),
    '/srv/theirs *(ro)|/c d(ro)',
  );
  assert.ok(again.endsWith('# after\n'));
  assert.is(replaceBlock(again, 'nfs-exports', ''), '/srv/theirs *(ro)\n# after\n');
});

test('exports: phx block written and exported; lines others wrote stay', async () => {
  const r = await rig();
  await r.sim.writeFile('/etc/exports', '/srv *(ro)\n', { signal: new AbortController().signal });
  assert.is((await r.run('mkdir', '-p', '/srv')).exitCode, 0);
  const commands: string[][] = [];
  await r.host.applyExports(
    [{ path: '/quickOS/shared', clients: ['10.0.0.1', '10.0.0.2'], options: ['rw', 'sync'] }],
    ctx(commands),
  );
  const text = r.file('etc/exports');
  assert.ok(text.startsWith('/srv *(ro)\n'), text);
  assert.match(text, /\n\/quickOS\/shared 10\.0\.0\.1\(rw,sync\) 10\.0\.0\.2\(rw,sync\)\n/);
  assert.equal(commands.at(-1), ['exportfs', '-ra']);
  assert.equal(r.state().exported, ['/srv', '/quickOS/shared']);
});

test('exports: a path no dataset or folder provides is refused by exportfs, and the file is put back', async () => {
  const r = await rig();
  await r.host.applyExports([{ path: '/quickOS/shared', clients: ['*'], options: ['ro'] }], ctx());
  const before = r.file('etc/exports');
  const message = await refusal(
    r.host.applyExports([{ path: '/quickOS/nowhere', clients: ['*'], options: ['ro'] }], ctx()),
  );
  assert.match(message, /exportfs: Failed to stat \/quickOS\/nowhere: No such file or directory/);
  assert.is(r.file('etc/exports'), before);
  assert.equal(r.state().exported, ['/quickOS/shared']);
  // An option exports(5) does not know is refused as exportfs refuses it.
  assert.match(
    await refusal(
      r.host.applyExports(
        [{ path: '/quickOS/shared', clients: ['*'], options: ['rw', 'fast'] }],
        ctx(),
      ),
    ),
    /unknown keyword "fast"/,
  );
});

test('an NFS storage mounts only what the node exports: pvesm add nfs of a path not exported is refused', async () => {
  const r = await rig();
  const nfs = {
    id: 'nfs-shared',
    type: 'nfs' as const,
    target: '/quickOS/shared',
    server: '10.0.0.13',
    content: 'backup',
  };
  assert.match(
    await refusal(r.host.addStorage(nfs, ctx())),
    /access denied by server while mounting 10\.0\.0\.13:\/quickOS\/shared/,
  );
  await r.host.applyExports(
    [{ path: '/quickOS/shared', clients: ['10.0.0.0/24'], options: ['rw'] }],
    ctx(),
  );
  const commands: string[][] = [];
  await r.host.addStorage(nfs, ctx(commands));
  assert.equal(commands[0]!.slice(0, 8), [
    'pvesm',
    'add',
    'nfs',
    'nfs-shared',
    '--server',
    '10.0.0.13',
    '--export',
    '/quickOS/shared',
  ]);
  assert.ok(await r.host.storageExists('nfs-shared', ctx()));
});

test('samba share: its section in smb.conf, testparm-checked; a missing folder, an unknown parameter and a foreign section are refused', async () => {
  const r = await rig();
  const commands: string[][] = [];
  await r.host.applySambaShare(share, ctx(commands));
  const conf = r.file('etc/samba/smb.conf');
  assert.match(
    conf,
    /\[shared\]\n {3}path = \/quickOS\/shared\n {3}browseable = yes\n {3}writable = yes\n {3}valid users = heads\n/,
  );
  assert.ok(commands.some((c) => c[0] === 'testparm'));
  assert.match(
    await refusal(r.host.applySambaShare({ ...share, name: 'gone', path: '/quickOS/gone' }, ctx())),
    /samba share gone: folder \/quickOS\/gone does not exist/,
  );
  assert.match(
    await refusal(
      r.host.applySambaShare({ ...share, parameters: [['browsable', 'maybe']] }, ctx()),
    ),
    /Badly formed boolean/,
  );
  assert.match(
    await refusal(r.host.applySambaShare({ ...share, parameters: [['writeabel', 'yes']] }, ctx())),
    /Unknown parameter encountered: "writeabel"/,
  );
  // Each refused write was put back: the file is the first share's.
  assert.is(r.file('etc/samba/smb.conf'), conf);
  await r.sim.writeFile('/etc/samba/smb.conf', `[theirs]\n   path = /srv\n${conf}`, {
    signal: new AbortController().signal,
  });
  assert.match(
    await refusal(r.host.applySambaShare({ ...share, name: 'theirs' }, ctx())),
    /already has a \[theirs\] section phx did not write/,
  );
});

test('samba user: the password goes on stdin only; no Linux account and createAccount false is refused', async () => {
  const r = await rig();
  const secret = 'pw-7c1e9 on stdin';
  const commands: string[][] = [];
  await r.host.applySambaUser({ name: 'heads', createAccount: true }, secret, ctx(commands));
  assert.equal(commands[1], [
    'useradd',
    '--system',
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    '--comment',
    'phx-managed',
    'heads',
  ]);
  assert.equal(commands[2], ['smbpasswd', '-s', '-a', 'heads']);
  assert.not.ok(JSON.stringify(commands).includes(secret));
  assert.is(r.state().samba.heads, digestOf(secret));
  assert.not.ok(readFileSync(join(r.dir, 'host-services.json'), 'utf8').includes(secret));
  const journal = readFileSync(join(r.dir, 'journal.jsonl'), 'utf8');
  assert.not.ok(journal.includes(secret));
  assert.match(
    await refusal(r.host.applySambaUser({ name: 'nobody2', createAccount: false }, secret, ctx())),
    /samba user nobody2: the Linux account does not exist/,
  );
  // smbpasswd itself refuses an account Linux lacks.
  const direct = await r.runWith({ stdin: 'a\na\n' }, 'smbpasswd', '-s', '-a', 'ghost');
  assert.is(direct.exitCode, 1);
  assert.match(direct.stderr, /Failed to add entry for user ghost/);
});

test('linux user: created once, sudo, key in its block; an existing account is adopted, never re-created', async () => {
  const r = await rig();
  const user = { name: 'phoenix_admin', sudo: true, sshPublicKey: 'ssh-ed25519 AAAA test@x' };
  const commands: string[][] = [];
  await r.host.applyLinuxUser(user, undefined, ctx(commands));
  assert.ok(commands.some((c) => c[0] === 'useradd'));
  assert.not.ok(
    commands.some((c) => c[0] === 'chpasswd'),
    'NOT_SET: no password',
  );
  const account = r.state().accounts.phoenix_admin!;
  assert.equal(account.groups, ['sudo']);
  assert.is(account.comment, 'phx-managed');
  assert.match(
    r.file('home/phoenix_admin/.ssh/authorized_keys'),
    /\nssh-ed25519 AAAA test@x\n# END phx linux-user\n$/,
  );
  const again: string[][] = [];
  const log: string[] = [];
  await r.host.applyLinuxUser({ ...user, sudo: false }, '$6$salt$hash', ctx(again, log));
  assert.not.ok(again.some((c) => c[0] === 'useradd'));
  assert.ok(log.some((l) => /adopted/.test(l)));
  assert.equal(r.state().accounts.phoenix_admin!.groups, []);
  assert.is(r.state().accounts.phoenix_admin!.passwordDigest, digestOf('$6$salt$hash'));
  assert.is((await r.run('useradd', 'phoenix_admin')).exitCode, 9);
  assert.is((await r.run('useradd', 'Bad Name')).exitCode, 3);
});

test('proxmox user: added once with its ACL; an unknown role or user is refused by pveum', async () => {
  const r = await rig();
  const u = { userid: 'phoenix_admin@pam', aclPath: '/', role: 'Administrator' };
  await r.host.applyPveUser(u, ctx());
  const commands: string[][] = [];
  await r.host.applyPveUser(u, ctx(commands));
  assert.not.ok(
    commands.some((c) => c[2] === 'add'),
    'the second run adds nothing',
  );
  assert.equal(
    r.state().acl.filter((e) => e.ugid === 'phoenix_admin@pam'),
    [{ path: '/', ugid: 'phoenix_admin@pam', role: 'Administrator' }],
  );
  assert.match(
    await refusal(r.host.applyPveUser({ ...u, role: 'Admin' }, ctx())),
    /role 'Admin' does not exist/,
  );
  const stray = await r.run(
    'pveum',
    'acl',
    'modify',
    '/',
    '--users',
    'ghost@pam',
    '--roles',
    'PVEAuditor',
  );
  assert.match(stray.stderr, /user 'ghost@pam' does not exist/);
});

test('ARC limit: modprobe.d line in its block and the live parameter; the initramfs updated only on a change', async () => {
  const r = await rig();
  await r.sim.writeFile('/etc/modprobe.d/zfs.conf', 'options zfs zfs_prefetch_disable=1\n', {
    signal: new AbortController().signal,
  });
  const commands: string[][] = [];
  await r.host.applyArcLimit(32 * 1024 ** 3, ctx(commands));
  assert.match(
    r.file('etc/modprobe.d/zfs.conf'),
    /^options zfs zfs_prefetch_disable=1\n# BEGIN phx arc-limit .*\noptions zfs zfs_arc_max=34359738368\n# END phx arc-limit\n$/,
  );
  assert.is(r.state().arcMax, 34359738368);
  assert.ok(commands.some((c) => c[0] === 'update-initramfs'));
  const again: string[][] = [];
  await r.host.applyArcLimit(32 * 1024 ** 3, ctx(again));
  assert.equal(again, [['tee', '/sys/module/zfs/parameters/zfs_arc_max']]);
  const bad = await r.runWith({ stdin: 'lots\n' }, 'tee', '/sys/module/zfs/parameters/zfs_arc_max');
  assert.match(bad.stderr, /Invalid argument/);
});

test('cluster.fw: written from the host firewall; the sim refuses what pve-firewall refuses at cluster level', async () => {
  const r = await rig();
  await r.host.writeClusterFirewall(
    {
      enabled: true,
      policy_in: 'DROP',
      policy_out: 'ACCEPT',
      rules: [{ type: 'in', action: 'ACCEPT', proto: 'tcp', port: '443', comment: 'https' }],
    },
    ctx(),
  );
  assert.is(
    r.file('etc/pve/firewall/cluster.fw'),
    '[OPTIONS]\nenable: 1\npolicy_in: DROP\npolicy_out: ACCEPT\n\n[RULES]\nIN ACCEPT -p tcp -dport 443 # https\n',
  );
  // Guest-only options are not cluster options.
  assert.equal(clusterFirewallErrors('[OPTIONS]\nenable: 1\ndhcp: 1\n'), [
    "line 3: unknown option 'dhcp'",
  ]);
  assert.equal(clusterFirewallErrors('[OPTIONS]\nebtables: 0\npolicy_forward: DROP\n'), []);
  assert.match(
    clusterFirewallErrors('[RULES]\nIN ACCEPT -dport 80\n').join(),
    /port is only allowed together with a protocol/,
  );
  assert.match(
    await refusal(
      r.host.writeClusterFirewall({ enabled: true, policy_in: 'DENY', rules: [] }, ctx()),
    ),
    /policy_in "DENY" is not ACCEPT, DROP or REJECT/,
  );
  await rejectsWrite(r.sim, '[OPTIONS]\nipfilter: 1\n');
});

async function rejectsWrite(
  sim: { writeFile: (p: string, c: string, o: { signal: AbortSignal }) => Promise<void> },
  text: string,
) {
  try {
    await sim.writeFile('/etc/pve/firewall/cluster.fw', text, {
      signal: new AbortController().signal,
    });
  } catch (e) {
    assert.match(String(e), /unknown option 'ipfilter'/);
    return;
  }
  assert.unreachable('the sim node accepted a cluster.fw pve-firewall refuses');
}

test.run();
