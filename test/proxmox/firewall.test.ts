import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { firewallFile } from '../../src/backends/proxmox/firewall-file.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { ctx, FakeRunner, must } from './fake-runner.ts';
import { fixtureGuest } from './fixture-guests.ts';

test('900: ICMP and SSH rules, IN/OUT, -p, -dport, comments', () => {
  assert.is(
    must(firewallFile(fixtureGuest(900).firewall)),
    '[OPTIONS]\nenable: 1\n\n[RULES]\n' +
      'IN ACCEPT -source 10.0.0.0/24 -p icmp # Allow ICMP from internal network\n' +
      'IN ACCEPT -source 10.0.0.0/24 -p tcp -dport 22 # Allow SSH from internal network\n',
  );
});

test('103: the rule committed three times is written once', () => {
  const text = must(firewallFile(fixtureGuest(103).firewall));
  assert.is(
    text.split('\n').filter((l) => l.startsWith('OUT ACCEPT -dest 10.0.0.153 -p tcp -dport 80 '))
      .length,
    1,
  );
  assert.is(text.split('\n').filter((l) => /^(IN|OUT) /.test(l)).length, 5);
});

test('101/102: a "80,443" port list is a PVE dport list', () => {
  assert.ok(
    must(firewallFile(fixtureGuest(102).firewall)).includes(
      'IN ACCEPT -source 10.0.0.10 -p tcp -dport 80,443 # Allow Step CA (10.0.0.10) for ACME challenges\n',
    ),
  );
});

test('comments are one line; bad values are refused', () => {
  const r = firewallFile({
    enabled: true,
    rules: [
      { type: 'in', action: 'accept', proto: 'tcp', port: '22', comment: 'a\nIN ACCEPT # b' },
    ],
  });
  assert.is(must(r).split('\n')[4], 'IN ACCEPT -p tcp -dport 22 # a IN ACCEPT # b');
  assert.not.ok(
    firewallFile({
      enabled: true,
      rules: [{ type: 'in', action: 'ACCEPT', proto: 'tcp', port: '22; rm -rf /' }],
    }).ok,
  );
  assert.not.ok(
    firewallFile({
      enabled: true,
      rules: [{ type: 'in', action: 'ACCEPT', source: '10.0.0.1\n[OPTIONS]' }],
    }).ok,
  );
  assert.not.ok(firewallFile({ enabled: true, rules: [{ type: 'in', action: 'ALLOW' }] }).ok);
  assert.not.ok(
    firewallFile({
      enabled: true,
      rules: [{ type: 'in', action: 'ACCEPT', proto: 'icmp', port: '22' }],
    }).ok,
  );
});

test('absent: enable 0, no rules; disabled: enable 0, its rules kept but not applied', () => {
  assert.equal(firewallFile(undefined), { ok: true, value: '[OPTIONS]\nenable: 0\n' });
  assert.equal(firewallFile({ enabled: false, rules: [{ type: 'in', action: 'ACCEPT' }] }), {
    ok: true,
    value: '[OPTIONS]\nenable: 0\n\n[RULES]\nIN ACCEPT\n',
  });
});

test('writeFirewall writes the whole file through the runner, for a CT and a VM alike', async () => {
  const runner = new FakeRunner();
  const backend = new ProxmoxBackend({ runner, kind: 'proxmox' });
  await backend.writeFirewall(fixtureGuest(101), ctx('lxc/101/firewall'));
  assert.match(
    runner.files.get('/etc/pve/firewall/101.fw') ?? '',
    /^\[OPTIONS\]\nenable: 1\n\n\[RULES\]\nIN ACCEPT -source 10.0.0.111/,
  );
  // A VM's .fw is the same file, waiting for the lock of its qemu-server config.
  runner.files.set('/etc/pve/qemu-server/1001.conf', 'name: vm\n');
  const vm = { ...fixtureGuest(101), id: 1001 as GuestId, kind: 'vm' as const };
  await backend.writeFirewall(vm, ctx());
  assert.is(
    runner.files.get('/etc/pve/firewall/1001.fw'),
    runner.files.get('/etc/pve/firewall/101.fw'),
  );
});

test.run();
