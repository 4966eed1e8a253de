// Every firewall field the config schema accepts reaches the .fw file in
// pve-firewall's syntax, and the sim's parser (which refuses what
// pve-firewall refuses) reads it back equal. What Proxmox would refuse or
// drop, the schema refuses first; the real configs still validate and write.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import { firewallFile, ruleLine } from '../../src/backends/proxmox/firewall-file.ts';
import type { Firewall, FirewallRule } from '../../src/model/model.ts';
import {
  FIREWALL_MACROS,
  guestFirewall,
  guestFirewallRule,
} from '../../src/model/schema/firewall.ts';
import { lxcFile } from '../../src/model/schema/lxc.ts';
import { firewallMacros, parseFirewall } from '../../src/sim/firewall-file.ts';
import type { FirewallRule as SimRule } from '../../src/sim/firewall-file.ts';
import { createCt, expectOk, makeSim } from '../sim/sim-helpers.ts';
import { ctx, must } from './fake-runner.ts';
import { guestOf } from './fixture-guests.ts';

/** A config block using every field, each rule in its own combination. */
const declared = {
  enabled: true,
  policy_in: 'DROP',
  policy_out: 'REJECT',
  log_level_in: 'warning',
  log_level_out: 'nolog',
  macfilter: false,
  ipfilter: true,
  dhcp: 1,
  ndp: 0,
  radv: true,
  rules: [
    {
      type: 'in',
      action: 'accept',
      macro: 'ssh',
      source: '10.0.0.0/24',
      iface: 'net0',
      log: 'info',
      comment: 'SSH from the LAN',
    },
    {
      type: 'out',
      action: 'DROP',
      dest: '10.0.0.13',
      proto: 'udp',
      dport: '53',
      sport: '1024:65535',
      log: 'nolog',
      enable: false,
    },
    { type: 'in', action: 'REJECT', proto: 'tcp', port: 8000, enable: 1 },
  ],
};

const expectedFile = [
  '[OPTIONS]',
  'enable: 1',
  'policy_in: DROP',
  'policy_out: REJECT',
  'log_level_in: warning',
  'log_level_out: nolog',
  'macfilter: 0',
  'ipfilter: 1',
  'dhcp: 1',
  'ndp: 0',
  'radv: 1',
  '',
  '[RULES]',
  'IN SSH(ACCEPT) -i net0 -source 10.0.0.0/24 -log info # SSH from the LAN',
  '|OUT DROP -dest 10.0.0.13 -p udp -dport 53 -sport 1024:65535 -log nolog',
  'IN REJECT -p tcp -dport 8000',
  '',
].join('\n');

/** What the sim's parser must read back for one config rule, field by field. */
function asParsed(r: FirewallRule): SimRule {
  const options: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined) options[k] = v;
  };
  put('i', r.iface);
  put('source', r.source);
  put('dest', r.dest);
  put('p', r.proto);
  put('dport', r.dport ?? r.port);
  put('sport', r.sport);
  put('log', r.log);
  return {
    enabled: r.enable !== false,
    direction: r.type === 'in' ? 'IN' : 'OUT',
    action: r.action.toUpperCase(),
    ...(r.macro === undefined ? {} : { macro: r.macro }),
    options,
    ...(r.comment === undefined ? {} : { comment: r.comment }),
  };
}

const onOff = (v: boolean | undefined) => (v === undefined ? undefined : v ? '1' : '0');

test('every rule field and option reaches the .fw file in Proxmox syntax', () => {
  const fw: Firewall = guestFirewall.parse(declared);
  // The test covers the schema: a field added to it without a place here fails.
  const used = new Set(declared.rules.flatMap((r) => Object.keys(r)));
  assert.equal(
    Object.keys(guestFirewallRule.shape).filter((k) => !used.has(k)),
    [],
    'rule fields this test does not write',
  );
  assert.equal(
    Object.keys(guestFirewall.shape).filter((k) => !(k in declared)),
    [],
    'options this test does not write',
  );
  assert.is(must(firewallFile(fw)), expectedFile);
});

test('the sim parses the written file back equal to the config', () => {
  const fw: Firewall = guestFirewall.parse(declared);
  const { file, errors } = parseFirewall(must(firewallFile(fw)));
  assert.equal(errors, []);
  assert.equal(file.rules, fw.rules.map(asParsed));
  const options: Record<string, string> = { enable: '1' };
  for (const k of ['policy_in', 'policy_out', 'log_level_in', 'log_level_out'] as const)
    if (fw[k] !== undefined) options[k] = fw[k];
  for (const k of ['macfilter', 'ipfilter', 'dhcp', 'ndp', 'radv'] as const) {
    const v = onOff(fw[k]);
    if (v !== undefined) options[k] = v;
  }
  assert.equal(file.options, options);
});

test('a macro rule is that macro, not "every port"; a disabled rule is written disabled', () => {
  const fw = guestFirewall.parse({
    rules: [
      { type: 'in', action: 'ACCEPT', macro: 'SSH', source: '10.0.0.0/24' },
      { type: 'in', action: 'ACCEPT', proto: 'tcp', port: '22', enable: false },
    ],
  });
  const rules = must(firewallFile(fw)).split('[RULES]\n')[1];
  assert.is(rules, 'IN SSH(ACCEPT) -source 10.0.0.0/24\n|IN ACCEPT -p tcp -dport 22\n');
  assert.equal(
    parseFirewall(must(firewallFile(fw))).file.rules.map((r) => [r.enabled, r.macro]),
    [
      [true, 'SSH'],
      [false, undefined],
    ],
  );
});

test('through the backend onto the sim node: accepted and read back byte for byte', async () => {
  const rig = await makeSim();
  expectOk(await createCt(rig, 950), 'create');
  const backend = new ProxmoxBackend({ runner: rig.sim, kind: 'sim' });
  const guest = { ...guestOf(950, { name: 'fw' }), firewall: guestFirewall.parse(declared) };
  await backend.writeFirewall(guest, ctx('lxc/950/firewall'));
  assert.is(
    await rig.sim.readFile('/etc/pve/firewall/950.fw', { signal: ctx().signal }),
    expectedFile,
  );
});

const schemaRefusals: [string, Record<string, unknown>, RegExp][] = [
  ['unknown macro', { macro: 'SSHX' }, /unknown firewall macro "SSHX"/],
  ['macro with a port', { macro: 'SSH', proto: 'tcp', port: '22' }, /cannot be given with a macro/],
  ['port and dport', { proto: 'tcp', port: '22', dport: '22' }, /give "port" or "dport"/],
  ['iface not a NIC', { iface: 'eth0' }, /expected a guest NIC name like net0/],
  ['bad log level', { log: 'verbose' }, /expected a log level/],
  ['enable 2', { enable: 2 }, /expected true, false, 1 or 0/],
];

for (const [name, extra, message] of schemaRefusals) {
  test(`schema refuses: ${name}`, () => {
    const r = guestFirewallRule.safeParse({ type: 'in', action: 'ACCEPT', ...extra });
    assert.not.ok(r.success);
    assert.match(r.error?.issues.map((i) => i.message).join('\n') ?? '', message);
  });
}

test('schema refuses a bad [OPTIONS] value', () => {
  for (const bad of [{ policy_in: 'ALLOW' }, { log_level_out: 'loud' }, { dhcp: 'yes' }])
    assert.not.ok(guestFirewall.safeParse(bad).success, JSON.stringify(bad));
});

test('the writer refuses what pve-firewall refuses, for entries not from the schema', () => {
  const bad: [FirewallRule, RegExp][] = [
    [{ type: 'in', action: 'ACCEPT', macro: 'Nope' }, /not a pve-firewall macro/],
    [{ type: 'in', action: 'ACCEPT', sport: '53' }, /needs proto/],
    [{ type: 'in', action: 'ACCEPT', proto: 'icmp', dport: '22' }, /needs proto/],
    [{ type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '90:80' }, /backwards range 90:80/],
    [{ type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '70000' }, /above 65535/],
    [
      {
        type: 'in',
        action: 'ACCEPT',
        proto: 'tcp',
        dport: '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16',
      },
      /more than 15/,
    ],
    [{ type: 'in', action: 'ACCEPT', iface: 'vmbr0' }, /not a NIC/],
    [{ type: 'in', action: 'ACCEPT', log: 'loud' }, /not a log level/],
  ];
  for (const [rule, message] of bad) {
    const r = ruleLine(rule);
    assert.not.ok(r.ok, JSON.stringify(rule));
    if (!r.ok) assert.match(r.error, message);
  }
});

const simRefusals: [string, string, RegExp][] = [
  ['unknown macro', 'IN SSHX(ACCEPT)', /unknown macro 'SSHX'/],
  ['backwards port range', 'IN ACCEPT -p tcp -dport 90:80', /invalid value '90:80'/],
  ['port above 65535', 'IN ACCEPT -p tcp -sport 70000', /invalid value '70000'/],
  [
    '16 ports',
    `IN ACCEPT -p tcp -dport ${Array.from({ length: 16 }, (_, i) => i + 1).join(',')}`,
    /invalid value/,
  ],
  ['empty list item', 'IN ACCEPT -p tcp -dport 80,,443', /invalid value '80,,443'/],
  ['bad log level', 'IN ACCEPT -p tcp -dport 22 -log loud', /invalid value 'loud' for '-log'/],
  ['iface not a NIC', 'IN ACCEPT -i eth0', /invalid value 'eth0' for '-i'/],
  [
    'macro port without -p',
    'IN SSH(ACCEPT) -dport 22',
    /port is only allowed together with a protocol/,
  ],
  ['sport on icmp', 'IN ACCEPT -p icmp -sport 22', /protocol 'icmp' does not support ports/],
];

for (const [name, rule, message] of simRefusals) {
  test(`sim parser refuses: ${name}`, () => {
    const { errors } = parseFirewall(`[RULES]\n${rule}\n`);
    assert.is(errors.length, 1, errors.join('\n'));
    assert.match(errors[0] ?? '', message);
  });
}

test('sim parser accepts what pve-firewall accepts: any-case macro, --options, icmp types', () => {
  const { file, errors } = parseFirewall(
    '[RULES]\nIN ssh(ACCEPT) --source 10.0.0.1\nIN ACCEPT --proto icmp --dport echo-request\n',
  );
  assert.equal(errors, []);
  assert.is(file.rules[0]?.macro, 'SSH');
  assert.equal(file.rules[1]?.options, { p: 'icmp', dport: 'echo-request' });
});

test("phx's macro list is the sim's: every macro phx writes, the node knows", () => {
  assert.equal([...FIREWALL_MACROS].sort(), [...firewallMacros].sort());
  for (const m of FIREWALL_MACROS) {
    const line = must(ruleLine({ type: 'in', action: 'ACCEPT', macro: m.toLowerCase() }));
    assert.is(line, `IN ${m}(ACCEPT)`);
    assert.equal(parseFirewall(`[RULES]\n${line}\n`).errors, []);
  }
});

test('the real configs: every firewall block validates, writes and parses on the sim', () => {
  const path = fileURLToPath(
    new URL('../fixtures/phoenix-real/phoenix_lxc_configs.json', import.meta.url),
  );
  const parsed = lxcFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  let blocks = 0;
  for (const [id, entry] of Object.entries(parsed.lxc_configs)) {
    if (entry.firewall === undefined) continue;
    blocks++;
    const text = must(firewallFile(entry.firewall));
    const { file, errors } = parseFirewall(text);
    assert.equal(errors, [], `CT ${id}`);
    // Each declared rule is in the file field for field; a duplicate once,
    // with the first duplicate's comment (101 says one rule twice, worded twice).
    const bare = ({ comment: _, ...rest }: SimRule) => rest;
    const want = entry.firewall.rules.map(asParsed);
    for (const r of want) {
      const same = (x: SimRule) => {
        try {
          assert.equal(bare(x), bare(r));
          return true;
        } catch {
          return false;
        }
      };
      assert.ok(file.rules.some(same), `CT ${id}: ${JSON.stringify(r)}`);
    }
    assert.equal(file.options, { enable: '1' });
  }
  assert.is(blocks, 8);
});

test.run();
