// Host files: /etc/pve/lxc/<id>.conf is the CT's config; .fw files must parse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFirewall } from '../../src/sim/firewall-file.ts';
import { HostFileError } from '../../src/sim/host-files.ts';
import { createCt, expectOk, makeSim } from './sim-helpers.ts';

const signal = new AbortController().signal;

test('reading the conf renders it as Proxmox writes it; writing it updates pct config', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  expectOk(
    await rig.run(
      'pct',
      'snapshot',
      '950',
      'final-form',
      '--description',
      'phx:abc lxc/950/snapshot/final-form',
    ),
    'snap',
  );
  const text = (await rig.sim.readFile('/etc/pve/lxc/950.conf', { signal }))!;
  assert.match(text, /^arch: amd64\ncores: 2\nhostname: ct950\n/);
  assert.match(text, /\n\[final-form\]\n#phx%3Aabc lxc\/950\/snapshot\/final-form\n/);
  assert.match(text, /\nsnaptime: \d+\n/);
  const gpu = [
    'lxc.cgroup2.devices.allow: c 195:* rwm',
    'lxc.mount.entry: /dev/nvidia0 dev/nvidia0 none bind,optional,create=file',
  ].join('\n');
  const [main, ...rest] = text.split('\n[');
  const edited = `${main!.replace('memory: 2048', 'memory: 3072').trimEnd()}\n${gpu}\n\n[${rest.join('\n[')}`;
  await rig.sim.writeFile('/etc/pve/lxc/950.conf', edited, { signal });
  const conf = (await rig.run('pct', 'config', '950')).stdout;
  assert.match(conf, /^memory: 3072$/m);
  assert.ok(conf.endsWith(`${gpu}\n`), conf);
  // The snapshot kept its own config.
  assert.match(
    (await rig.run('pct', 'config', '950', '--snapshot', 'final-form')).stdout,
    /^memory: 2048$/m,
  );
});

const badConfs: [string, string, RegExp][] = [
  [
    'unknown key',
    'rootfs: local-zfs:subvol-950-disk-0,size=8G\ncpus: 4\n',
    /line 2: cpus: unknown key/,
  ],
  [
    'malformed line',
    'rootfs: local-zfs:subvol-950-disk-0,size=8G\nthis is not a config line\n',
    /line 2: unable to parse config: this is not a config line/,
  ],
  [
    'bad value',
    'rootfs: local-zfs:subvol-950-disk-0,size=8G\nmemory: 1\n',
    /line 2: memory: value must have a minimum value of 16/,
  ],
  [
    'bad net0',
    'rootfs: local-zfs:subvol-950-disk-0,size=8G\nnet0: bridge=vmbr0\n',
    /net0\.name: property is missing/,
  ],
  ['no rootfs', 'memory: 512\n', /missing 'rootfs'/],
  [
    'unknown snapshot section',
    'rootfs: local-zfs:subvol-950-disk-0,size=8G\n\n[ghost]\nsnaptime: 1\nrootfs: local-zfs:subvol-950-disk-0,size=8G\n',
    /snapshot sections \[ghost\] do not match the CT's snapshots \[\]/,
  ],
];

for (const [name, content, expected] of badConfs) {
  test(`conf write rejected: ${name}`, async () => {
    const rig = await makeSim();
    expectOk(await createCt(rig, 950), 'create');
    try {
      await rig.sim.writeFile('/etc/pve/lxc/950.conf', content, { signal });
      assert.unreachable('accepted');
    } catch (e) {
      assert.instance(e, HostFileError);
      assert.match((e as Error).message, expected);
    }
    assert.match((await rig.run('pct', 'config', '950')).stdout, /^memory: 2048$/m);
  });
}

test('conf write for a CT that does not exist is rejected', async () => {
  const rig = await makeSim();
  await rig.sim
    .writeFile('/etc/pve/lxc/951.conf', 'rootfs: local-zfs:x,size=8G\n', { signal })
    .then(
      () => {
        assert.unreachable('accepted');
      },
      (e: unknown) => {
        assert.match((e as Error).message, /CT 951 does not exist/);
      },
    );
  assert.is(await rig.sim.readFile('/etc/pve/lxc/951.conf', { signal }), undefined);
});

test('firewall file: valid rules accepted and read back', async () => {
  const rig = await makeSim();
  const fw = [
    '[OPTIONS]',
    'enable: 1',
    'policy_in: DROP',
    '',
    '[RULES]',
    'IN ACCEPT -source 10.0.0.0/24 -p tcp -dport 22 -log nolog # ssh from lan',
    'IN SSH(ACCEPT) -source 10.0.0.111',
    'OUT ACCEPT -p udp -dport 53,123',
    '|IN DROP -p tcp -dport 8000:8100',
    '',
  ].join('\n');
  await rig.sim.writeFile('/etc/pve/firewall/950.fw', fw, { signal });
  assert.is(await rig.sim.readFile('/etc/pve/firewall/950.fw', { signal }), fw);
  const parsed = parseFirewall(fw);
  assert.equal(parsed.errors, []);
  assert.is(parsed.file.rules.length, 4);
  assert.equal(parsed.file.rules[0], {
    enabled: true,
    direction: 'IN',
    action: 'ACCEPT',
    options: { source: '10.0.0.0/24', p: 'tcp', dport: '22', log: 'nolog' },
    comment: 'ssh from lan',
  });
  assert.is(parsed.file.rules[3]!.enabled, false);
});

const badFw: [string, string, RegExp][] = [
  ['unknown option', '[OPTIONS]\nenabled: 1\n', /unknown option 'enabled'/],
  ['bad option value', '[OPTIONS]\nenable: yes\n', /invalid value 'yes' for option 'enable'/],
  ['unknown macro', '[RULES]\nIN FOO(ACCEPT) -source 10.0.0.1\n', /unknown macro 'FOO'/],
  ['bad direction', '[RULES]\nINBOUND ACCEPT -p tcp\n', /unable to parse rule direction 'INBOUND'/],
  ['bad action', '[RULES]\nIN ALLOW -p tcp\n', /unknown action 'ALLOW'/],
  ['unknown rule option', '[RULES]\nIN ACCEPT -port 22\n', /unknown rule option '-port'/],
  [
    'bad source',
    '[RULES]\nIN ACCEPT -source 10.0.0.0/99\n',
    /invalid value '10.0.0.0\/99' for '-source'/,
  ],
  [
    'port without protocol',
    '[RULES]\nIN ACCEPT -dport 22\n',
    /port is only allowed together with a protocol/,
  ],
  ['unknown section', '[SETTINGS]\n', /unknown section '\[SETTINGS\]'/],
];

for (const [name, content, expected] of badFw) {
  test(`firewall write rejected: ${name}`, async () => {
    const rig = await makeSim();
    await rig.sim.writeFile('/etc/pve/firewall/950.fw', content, { signal }).then(
      () => {
        assert.unreachable('accepted');
      },
      (e: unknown) => {
        assert.match((e as Error).message, expected);
      },
    );
  });
}

test.run();
