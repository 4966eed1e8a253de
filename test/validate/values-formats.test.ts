// The Proxmox formats module (src/model/pve/): each predicate on values
// Proxmox accepts and refuses; the backend refusing a bad value in the same
// words `validate` prints; and the sim's own parser (written apart on
// purpose) agreeing on both sides, so it still catches a backend mistake.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArgv } from '../../src/backends/proxmox/create-args.ts';
import { ruleLine } from '../../src/backends/proxmox/firewall-file.ts';
import { apparmorLines, lxcOptionLines } from '../../src/backends/proxmox/raw-lines.ts';
import { desiredSettings } from '../../src/backends/proxmox/settings.ts';
import { testPathProblem } from '../../src/model/checks/commands.ts';
import { commandProblem } from '../../src/model/command-words.ts';
import { addressProblem, portSpecProblem, ruleProblems } from '../../src/model/pve/firewall.ts';
import {
  absPathProblem,
  bridgeProblem,
  isHostname,
  isIpv4Cidr,
  isIpv6Cidr,
  isMac,
  isSafeAbsPath,
  isSnapshotName,
  isStorageId,
  isTemplateVolid,
  sizeGbProblem,
  splitNameservers,
  storageIdProblem,
  templateProblem,
} from '../../src/model/pve/formats.ts';
import { lxcKeyProblem, normalizeRawLine, parseRawLine } from '../../src/model/pve/lxc-keys.ts';
import { parsePctFeatures } from '../../src/model/pve/pct-features.ts';
import { parsePropertyString, netSpec, mpSpec } from '../../src/sim/property-string.ts';
import { snapname, storageId } from '../../src/sim/pve-formats.ts';
import { fixtureGuest } from '../proxmox/fixture-guests.ts';

test('storage ids, snapshot names, hostnames: pve-storage-id, pve-configid, dns-name', () => {
  for (const s of ['local', 'local-zfs', 'quickOS-lxc-disks', 'a1', 'x.y_z'])
    assert.ok(isStorageId(s), s);
  for (const s of ['x', '1local', 'local-', 'local zfs', 'local,zfs', 'lo:cal', ''])
    assert.not.ok(isStorageId(s), s);
  assert.ok(isSnapshotName('final-form') && isSnapshotName('a_1'));
  for (const s of ['a', '1a', 'final form', 'x'.repeat(41), 'a.b'])
    assert.not.ok(isSnapshotName(s), s);
  assert.ok(isHostname('ct-101.internal') && isHostname('a'));
  for (const s of ['-a', 'a_b', 'a..b', 'x'.repeat(64), 'a b']) assert.not.ok(isHostname(s), s);
});

test('bridges, interfaces and MACs: no comma, no key smuggled into net0', () => {
  assert.is(bridgeProblem('vmbr0'), undefined);
  assert.is(bridgeProblem('vmbr0.100'), undefined);
  for (const b of ['vmbr0,firewall=0', 'vmbr0 ', 'vmbr=0', '', 'a'.repeat(16)])
    assert.ok(bridgeProblem(b), b);
  assert.ok(isMac('52:54:00:AA:BB:CC'));
  assert.not.ok(isMac('53:54:00:aa:bb:cc'), 'multicast bit');
});

test('addresses: CIDRs without leading zeros, IPv6 through node:net, nameserver lists', () => {
  assert.ok(isIpv4Cidr('10.0.0.5/24') && isIpv4Cidr('0.0.0.0/0'));
  for (const s of ['10.0.0.5', '10.0.0.256/24', '10.0.0.5/33', '10.0.0.5/024', '010.0.0.5/24'])
    assert.not.ok(isIpv4Cidr(s), s);
  assert.ok(isIpv6Cidr('fd00::1/64'));
  assert.not.ok(isIpv6Cidr('fd00::1/129'));
  assert.equal(splitNameservers('8.8.8.8, 1.1.1.1;fe80::1%eth0'), {
    ips: ['8.8.8.8', '1.1.1.1', 'fe80::1%eth0'],
  });
  assert.equal(splitNameservers(['10.0.0.13']), { ips: ['10.0.0.13'] });
  assert.match(splitNameservers('8.8.8.8 dns.google').problem ?? '', /"dns.google" is not an IP/);
  assert.match(splitNameservers(' ').problem ?? '', /no nameserver/);
});

test('paths, templates and sizes', () => {
  for (const p of ['/srv/data', '/mnt/pve/quickOS/lxc-persistent-data/101/logs', '/a/.hidden', '/'])
    assert.ok(isSafeAbsPath(p), p);
  for (const p of ['srv', '/a,mp=/etc', '/a=b', '/a b', '/a/../b', '/a/./b', '/a\nb', ''])
    assert.not.ok(isSafeAbsPath(p), p);
  assert.ok(isTemplateVolid('local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst'));
  assert.not.ok(isTemplateVolid('local:iso/ubuntu.iso'));
  assert.not.ok(isTemplateVolid('l:vztmpl/x.tar.zst'), 'storage id of one character');
  assert.is(templateProblem('/fastData/shared-iso/template/cache/u.tar.zst'), undefined);
  assert.ok(templateProblem('u.tar.zst'));
  assert.is(sizeGbProblem(16), undefined);
  for (const n of [0, 1.5, '16', -1]) assert.ok(sizeGbProblem(n), String(n));
});

test("lxc.* keys: pve-container's table, its prefixes, its refusals and LXC 3.0 renames", () => {
  for (const k of [
    'lxc.apparmor.profile',
    'lxc.mount.auto',
    'lxc.cgroup2.devices.allow',
    'lxc.prlimit.nofile',
    'lxc.net.0.type',
    'lxc.idmap',
  ])
    assert.is(lxcKeyProblem(k), undefined, k);
  assert.match(lxcKeyProblem('lxc.rootfs.path') ?? '', /generated from rootfs/);
  assert.match(lxcKeyProblem('lxc.utsname') ?? '', /renamed to lxc.uts.name/);
  assert.match(lxcKeyProblem('lxc.limit.nofile') ?? '', /lxc.prlimit.nofile/);
  assert.match(lxcKeyProblem('lxc.cgroup.memory.limit') ?? '', /lxc.cgroup2.memory.limit/);
  assert.match(lxcKeyProblem('lxc.bogus') ?? '', /not a key pve-container keeps/);
  assert.equal(parseRawLine('lxc.mount.auto:sys:rw'), {
    ok: true,
    value: { key: 'lxc.mount.auto', value: 'sys:rw' },
  });
  assert.equal(parseRawLine(' lxc.apparmor.profile = unconfined '), {
    ok: true,
    value: { key: 'lxc.apparmor.profile', value: 'unconfined' },
  });
  assert.not.ok(parseRawLine('LXC.apparmor.profile=x').ok, 'keys are lower case');
  assert.not.ok(parseRawLine(42).ok);
  // Reading a live conf keeps any lxc.* line, known key or not: it is not phx's to judge.
  assert.is(normalizeRawLine('lxc.bogus=1'), 'lxc.bogus: 1');
});

test('pct features: the table, boolean words, mount types, one key once', () => {
  const r = parsePctFeatures(['nesting=1', 'keyctl=yes', 'mount=nfs;cifs', 'nesting=1']);
  assert.equal(r.problems, []);
  assert.equal(
    r.features.map((f) => `${f.key}=${f.value}`),
    ['nesting=1', 'keyctl=yes', 'mount=nfs;cifs'],
  );
  const bad = parsePctFeatures([
    'nest=1',
    'fuse=2',
    'nesting=1,keyctl=1',
    7,
    'keyctl=1',
    'keyctl=0',
  ]);
  assert.equal(
    bad.problems.map((p) => p.index),
    [0, 1, 2, 3, 5],
  );
  assert.match(
    bad.problems[0]?.problem ?? '',
    /"nest" is not a container feature \(nesting, keyctl/,
  );
});

test('firewall fields: port lists, address lists, every problem of a rule with its field', () => {
  assert.is(portSpecProblem('80,443,8000:8010'), undefined);
  assert.is(portSpecProblem('90:80'), 'backwards range 90:80');
  assert.is(
    portSpecProblem('1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16'),
    'more than 15 ports in one list',
  );
  assert.is(addressProblem('10.0.0.0/24,10.0.1.1-10.0.1.9,+ipset,fd00::/8'), undefined);
  assert.ok(addressProblem('10.0.0.1 10.0.0.2'));
  assert.equal(
    ruleProblems({
      type: 'in',
      action: 'allow',
      source: '1.2.3',
      proto: 'tcp',
      dport: 'a;b',
      sport: '22',
    }).map((p) => p.field),
    ['action', 'source', 'dport'],
  );
});

test('commands and test paths', () => {
  assert.is(commandProblem("check.sh --name 'a b'"), undefined);
  assert.match(commandProblem('FOO=1 check.sh') ?? '', /env would take it as a variable/);
  assert.match(commandProblem('-x check.sh') ?? '', /as an option/);
  assert.match(commandProblem('a && b') ?? '', /shell syntax '&'/);
  assert.is(testPathProblem('vllm/test_vllm_context_window.py'), undefined);
  for (const p of ['', '..', '../x', 'a/../../x', '/x', '.']) assert.ok(testPathProblem(p), p);
});

test('the backend refuses a bad value in the words validate prints', () => {
  const guest = fixtureGuest(900, (e) => {
    e.storage_pool = 'local zfs';
    e.template = 'u.tar.zst';
  });
  const create = createArgv(guest);
  assert.not.ok(create.ok);
  if (!create.ok) assert.match(create.error, /storage_pool "local zfs" is not a storage id/);

  const settings = desiredSettings(
    fixtureGuest(101, (e) => {
      (e.network_config as Record<string, unknown>).bridge = 'vmbr0,firewall=0';
      e.pct_options = ['fuse'];
      e.mount_points = [{ host_path: '/a,mp=/etc', container_path: '/a' }];
    }),
  );
  assert.not.ok(settings.ok);
  if (!settings.ok) {
    assert.ok(
      settings.error.includes(`network_config.bridge ${bridgeProblem('vmbr0,firewall=0')!}`),
      settings.error,
    );
    assert.ok(
      settings.error.includes(`mount_points[0].host_path ${absPathProblem('/a,mp=/etc')!}`),
      settings.error,
    );
    assert.ok(settings.error.includes('"fuse" is not a "feature=value" pair'), settings.error);
  }
  const raw = lxcOptionLines({ lxc_options: ['lxc.rootfs.path=/x'] });
  assert.equal(raw, {
    ok: false,
    error: 'lxc_options item lxc.rootfs.path is generated from rootfs',
  });
  assert.not.ok(apparmorLines({ apparmor_profile: 'a b' }).ok);
  const line = ruleLine({ type: 'in', action: 'ACCEPT', source: '10.0.0.0/33' });
  assert.equal(line, { ok: false, error: `rule source ${addressProblem('10.0.0.0/33')!}` });
  assert.ok(storageIdProblem('local zfs'));
});

test('the sim, with its own parser, agrees: it accepts what validates and refuses what does not', () => {
  for (const s of ['local-zfs', 'quickOS-lxc-disks']) {
    assert.ok(isStorageId(s));
    assert.equal(storageId(s, 'storage'), []);
  }
  for (const s of ['local zfs', '1x', 'x']) {
    assert.not.ok(isStorageId(s));
    assert.ok(storageId(s, 'storage').length > 0, s);
  }
  assert.equal(snapname('final-form', 'snapname'), []);
  assert.ok(snapname('final form', 'snapname').length > 0);
  // What the backend would print into net0 with the bridge as given.
  const net0 = (bridge: string) =>
    parsePropertyString(`name=eth0,bridge=${bridge},ip=dhcp`, netSpec, 'net0').errors;
  assert.equal(net0('vmbr0'), []);
  // A smuggled key Proxmox knows is a valid net0 to any parser: only the
  // bridge check, before the string is printed, can see it was not meant.
  assert.equal(net0('vmbr0,firewall=0'), []);
  assert.ok(bridgeProblem('vmbr0,firewall=0'));
  assert.ok(net0('vmbr0,bogus=1').length > 0, 'a smuggled unknown key is refused by the sim');
  const mp = (path: string) => parsePropertyString(`/srv/x,mp=${path}`, mpSpec, 'mp0').errors;
  assert.equal(mp('/data'), []);
  assert.ok(mp('/a/../etc').length > 0 && absPathProblem('/a/../etc'));
});

test.run();
