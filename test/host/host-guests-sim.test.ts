// Issue 10: what a container's start needs of its node, on the sim through
// the proxmox backend's host operations (argv and host-file writes, as on a
// real node): the sim refuses to start a CT whose id map needs a subgid
// grant the host lacks, whose bind-mount source is missing, or whose
// AppArmor profile is not loaded, and starts it once the host operation ran.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { createCt, expectOk, makeSim, type SimRig } from '../sim/sim-helpers.ts';

const signal = new AbortController().signal;

function ctx(): OpContext {
  return {
    target: 'host/subid/subgid/root:33:1' as TargetId,
    targetKind: 'subid',
    log: () => undefined,
    commands: [],
    signal,
  };
}

async function rig() {
  const s = await makeSim();
  const host = new ProxmoxBackend({ runner: s.sim, kind: 'sim' }).hostOps();
  return { ...s, host };
}

/** Append raw lines to the CT's config, as the backend's settings write them. */
async function addRaw(r: SimRig, id: number, ...lines: string[]): Promise<void> {
  const path = `/etc/pve/lxc/${id}.conf`;
  const text = (await r.sim.readFile(path, { signal }))!;
  await r.sim.writeFile(path, `${text.trimEnd()}\n${lines.join('\n')}\n`, { signal });
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    return (e as OpError).message;
  }
  assert.unreachable('expected the sim node to refuse');
  return '';
}

// 101's map (test/fixtures/phoenix-real): gid 33 is the host's 33, the rest the default range.
const map101 = [
  'lxc.idmap: u 0 100000 65536',
  'lxc.idmap: g 0 100000 33',
  'lxc.idmap: g 33 33 1',
  'lxc.idmap: g 34 100034 65502',
];

test('a container whose id map needs root:33:1 in /etc/subgid does not start without it, and starts after addSubid', async () => {
  const r = await rig();
  expectOk(await createCt(r, 101), 'create');
  await addRaw(r, 101, ...map101);
  const refused = await r.run('pct', 'start', '101');
  assert.is(refused.exitCode, 255);
  assert.match(
    refused.stderr,
    'newgidmap failed to write mapping "newgidmap: gid range [33-34) -> [33-34) not allowed"',
  );
  assert.match(refused.stderr, "startup for container '101' failed");
  assert.match((await r.run('pct', 'status', '101')).stdout, 'status: stopped');

  const spec = { file: '/etc/subgid' as const, user: 'root', start: 33, count: 1 };
  assert.is(await r.host.subidCovered(spec, ctx()), false);
  const c = ctx();
  await r.host.addSubid(spec, c);
  assert.equal(c.commands, [['write-file', '/etc/subgid']]);
  // The install's grant is kept; the new line is added after it.
  assert.is(await r.sim.readFile('/etc/subgid', { signal }), 'root:100000:65536\nroot:33:1\n');
  assert.is(await r.host.subidCovered(spec, ctx()), true);
  // Added once: a second call writes nothing.
  const again = ctx();
  await r.host.addSubid(spec, again);
  assert.equal(again.commands, []);
  expectOk(await r.run('pct', 'start', '101'), 'start with the grant');
  // /etc/subuid was never touched: the uid map is the default range it grants.
  assert.is(await r.sim.readFile('/etc/subuid', { signal }), 'root:100000:65536\n');
});

test('a range split over two lines is covered; one id short is not', async () => {
  const r = await rig();
  const c = ctx();
  await r.host.addSubid({ file: '/etc/subuid', user: 'root', start: 1000, count: 10 }, c);
  await r.host.addSubid({ file: '/etc/subuid', user: 'root', start: 1010, count: 5 }, c);
  const covered = (start: number, count: number) =>
    r.host.subidCovered({ file: '/etc/subuid', user: 'root', start, count }, ctx());
  assert.is(await covered(1005, 10), true);
  assert.is(await covered(1005, 11), false);
  // Another user's grant is not root's.
  assert.is(
    await r.host.subidCovered({ file: '/etc/subuid', user: 'www', start: 1000, count: 1 }, ctx()),
    false,
  );
});

test('a bind mount whose host folder is missing does not start; makeFolder creates it with its owner', async () => {
  const r = await rig();
  expectOk(
    await createCt(
      r,
      102,
      '--mp0',
      '/mnt/pve/quickOS/lxc-persistent-data/102/certs,mp=/etc/traefik/certs',
    ),
    'create with a bind mount',
  );
  const refused = await r.run('pct', 'start', '102');
  assert.is(refused.exitCode, 255);
  assert.match(
    refused.stderr,
    "bind mount source '/mnt/pve/quickOS/lxc-persistent-data/102/certs' does not exist",
  );
  const path = '/mnt/pve/quickOS/lxc-persistent-data/102/certs';
  assert.is(await r.host.folderState(path, ctx()), undefined);
  const c = ctx();
  await r.host.makeFolder({ path, uid: 100000, gid: 100000 }, c);
  assert.equal(c.commands, [
    ['mkdir', '-p', '--', path],
    ['chown', '100000:100000', '--', path],
  ]);
  assert.equal(await r.host.folderState(path, ctx()), { uid: 100000, gid: 100000 });
  // Parents are root's, as mkdir -p leaves them.
  assert.equal(await r.host.folderState('/mnt/pve/quickOS', ctx()), { uid: 0, gid: 0 });
  expectOk(await r.run('pct', 'start', '102'), 'start with the folder');
});

test('chown of a missing path and stat of one fail as coreutils do', async () => {
  const r = await rig();
  const chown = await r.run('chown', '1:1', '--', '/nowhere');
  assert.is(chown.exitCode, 1);
  assert.match(chown.stderr, "chown: cannot access '/nowhere': No such file or directory");
  const stat = await r.run('stat', '-c', '%u:%g', '--', '/nowhere');
  assert.is(stat.exitCode, 1);
  const mkdir = await r.run('mkdir', '/a/b/c');
  assert.match(mkdir.stderr, "cannot create directory '/a/b/c': No such file or directory");
});

const profile = `#include <tunables/global>
#include <tunables/phoenix>

profile lxc-phoenix-v2 flags=(attach_disconnected,mediate_deleted) {
  #include <abstractions/lxc/container-base>
  mount fstype=nfs*,
}
`;

test('an AppArmor profile not loaded stops the start; installProfile writes it and its includes and loads it', async () => {
  const r = await rig();
  expectOk(await createCt(r, 103), 'create');
  await addRaw(r, 103, 'lxc.apparmor.profile: lxc-phoenix-v2');
  const refused = await r.run('pct', 'start', '103');
  assert.is(refused.exitCode, 255);
  assert.match(refused.stderr, 'Failed to change AppArmor profile to lxc-phoenix-v2');
  assert.is(await r.host.profileLoaded('lxc-phoenix-v2', ctx()), false);
  // A shipped profile is loaded on every node.
  assert.is(await r.host.profileLoaded('lxc-container-default-cgns', ctx()), true);

  // Without its tunables file the parser cannot open the include.
  const missing = await failure(
    r.host.installProfile({ name: 'lxc-phoenix-v2', text: profile, includes: [] }, ctx()),
  );
  assert.match(missing, "at line 2: Could not open 'tunables/phoenix'");
  assert.is(await r.host.profileLoaded('lxc-phoenix-v2', ctx()), false);

  const c = ctx();
  await r.host.installProfile(
    {
      name: 'lxc-phoenix-v2',
      text: profile,
      includes: [{ path: 'tunables/phoenix', text: '@{PHOENIX}=/mnt/pve\n' }],
    },
    c,
  );
  assert.equal(c.commands, [
    ['write-file', '/etc/apparmor.d/tunables/phoenix'],
    ['write-file', '/etc/apparmor.d/lxc-phoenix-v2'],
    ['apparmor_parser', '-r', '-W', '/etc/apparmor.d/lxc-phoenix-v2'],
  ]);
  assert.is(await r.host.profileLoaded('lxc-phoenix-v2', ctx()), true);
  expectOk(await r.run('pct', 'start', '103'), 'start with the profile loaded');
});

test('apparmor_parser refuses unbalanced braces and a file that declares no profile', async () => {
  const r = await rig();
  const load = (text: string) =>
    failure(r.host.installProfile({ name: 'broken', text, includes: [] }, ctx()));
  assert.match(await load('profile broken {\n  capability,\n'), 'unexpected $end');
  assert.match(await load('capability,\n'), 'no profile declared');
  assert.is(await r.host.profileLoaded('broken', ctx()), false);
});

test('the node has no storage it did not see built: a container on the example storage id is refused on a bare node', async () => {
  const bare = await makeSim({ bare: true });
  const refused = await createCt(bare, 990);
  assert.is.not(refused.exitCode, 0);
  assert.match(refused.stderr, "storage 'quickOS-lxc-disks' does not exist");
  // Proxmox's own `local` (the templates' storage) is there on a fresh install.
  assert.match((await bare.run('pvesm', 'status')).stdout, /^local dir active$/m);
  // A mount of a storage never added is refused too.
  const withStorage = await makeSim();
  expectOk(await createCt(withStorage, 991), 'create');
  const mp = await withStorage.run('pct', 'set', '991', '--mp0', 'tank-nowhere:8,mp=/data');
  assert.is.not(mp.exitCode, 0);
  assert.match(mp.stderr, "storage 'tank-nowhere' does not exist");
});

test.run();
