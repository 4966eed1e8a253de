// net0's IPv6, VLAN and MTU fields and the search domain: accepted by the
// schema, so validated by the formats module and written by the backend
// (they used to be dropped without a word), and accepted by the sim node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Rig } from '../helpers/rig.ts';

const simBin = join(import.meta.dirname, '../../bin/phx-sim.js');

const lxc = 'configs/phoenix_lxc_configs.json';

function setNet(rig: Rig, net: Record<string, unknown>): void {
  rig.editJson(lxc, (d) => Object.assign(d.lxc_configs['953'].network_config, net));
}

test('bad ip6, gw6, tag, mtu and searchdomain are refused at their place', async () => {
  const rig = Rig.create();
  try {
    setNet(rig, { ip6: 'fd00::1', gw6: '10.0.0.1', tag: 5000, mtu: 9, searchdomain: 'a_b' });
    const r = await rig.phx(['validate']);
    assert.is(r.code, 1, r.stderr);
    for (const [key, text] of [
      ['ip6', '"fd00::1" is not an IPv6 CIDR'],
      ['gw6', '"10.0.0.1" is not an IPv6 address'],
      ['tag', '5000 is not a whole number from 1 to 4094'],
      ['mtu', '9 is not a whole number from 64 to 65535'],
      ['searchdomain', '"a_b" is not a DNS name'],
    ] as const) {
      const line = r.stderr
        .split('\n')
        .find((l) => l.includes(`/lxc_configs/953/network_config/${key}:`));
      assert.ok(line !== undefined, `${key} not reported:\n${r.stderr}`);
      assert.match(line, new RegExp(`^${lxc.replace(/\./g, '\\.')}:\\d+:\\d+: error: `));
      assert.ok(line.includes(text), line);
    }
    assert.not.match(r.stderr, /\bat .*\.[jt]s:\d+/);
  } finally {
    rig.cleanup();
  }
});

test('good values reach the node: net0 carries ip6, gw6, tag and mtu, and searchdomain is set', async () => {
  const rig = Rig.create();
  try {
    setNet(rig, {
      ip6: 'fd00::953/64',
      gw6: 'fd00::1',
      tag: 20,
      mtu: 1450,
      searchdomain: 'phx.lan lab.lan',
    });
    const built = await rig.phx(['build', '953']);
    assert.is(built.code, 0, built.stderr);
    const conf = execFileSync(process.execPath, [simBin, 'pct', 'config', '953'], {
      cwd: rig.path('.'),
      env: rig.env(),
      encoding: 'utf8',
    });
    const net0 = conf.split('\n').find((l) => l.startsWith('net0:')) ?? '';
    for (const part of ['ip6=fd00::953/64', 'gw6=fd00::1', 'tag=20', 'mtu=1450'])
      assert.ok(net0.includes(part), `${part} not in ${net0}`);
    assert.ok(conf.split('\n').includes('searchdomain: phx.lan lab.lan'), conf);
    const again = await rig.planJson(['953']);
    assert.equal(
      again.json.targets
        .filter((t: { action: string }) => t.action === 'build')
        .map((t: { id: string }) => t.id),
      [],
      'the next plan is a no-op: no drift on the new keys',
    );
  } finally {
    rig.cleanup();
  }
});

test.run();
