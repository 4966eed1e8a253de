// Issue 9 item 4: every value that used to pass `validate` and fail mid-build
// (after `create` ran, with no file or line) is refused by the real CLI,
// `node bin/phx.js validate` on dist/ (run `npx tsc -p .` first), each at
// file:line:col with its JSON pointer, and with no stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/rig.ts';
import { cleanup, workspace } from './rig.ts';
import { badFallbacks, badValues } from './values-corpus.ts';

const L = 'configs/phoenix_lxc_configs.json';
const V = 'configs/phoenix_vm_configs.json';
const path = (p: string) =>
  `${p} is not a plain absolute path: it must start with "/" and hold only letters, digits and ._/@+:- (no ",", "=", spaces, "." or ".." components)`;
const storage = (s: string) =>
  `"${s}" is not a storage id: a letter, then letters, digits, "-", "_" or ".", ending in a letter or digit (like local-zfs)`;
const bridge = (b: string) =>
  `"${b}" is not a bridge name like vmbr0: letters, digits, "-", "_" or ".", at most 15 characters`;
const address = (a: string) =>
  `"${a}" is not an address, CIDR, range, alias or ipset (or a "," list of them)`;
const notIp = (ip: string) =>
  `"${ip}" is not an IP address: nameservers are IP addresses separated by spaces, "," or ";"`;

/** Field → the exact header of its diagnostic, in the order validate prints them. */
const expected: [string, string][] = [
  ['storage_pool', `${L}:7:23: error: /lxc_configs/101/storage_pool: ${storage('local zfs')}`],
  [
    'template',
    `${L}:13:19: error: /lxc_configs/102/template: template "ubuntu-24.04-standard.tar.zst" is neither a plain absolute path nor a storage:vztmpl/<file> volume id`,
  ],
  [
    'network_config.bridge',
    `${L}:20:19: error: /lxc_configs/103/network_config/bridge: ${bridge('vmbr0,firewall=0')}`,
  ],
  [
    'network_config.name',
    `${L}:28:17: error: /lxc_configs/104/network_config/name: "eth 0" is not an interface name like eth0: letters, digits, "-", "_" or ".", at most 15 characters`,
  ],
  [
    'nameservers',
    `${L}:36:24: error: /lxc_configs/105/network_config/nameservers: ${notIp('dns.google')}`,
  ],
  [
    'lxc_options (refused key)',
    `${L}:45:9: error: /lxc_configs/106/lxc_options/1: lxc.rootfs.path is generated from rootfs`,
  ],
  [
    'lxc_options (renamed key)',
    `${L}:46:9: error: /lxc_configs/106/lxc_options/2: lxc.aa_profile was renamed to lxc.apparmor.profile (LXC 3.0)`,
  ],
  [
    'lxc_options (unknown key)',
    `${L}:47:9: error: /lxc_configs/106/lxc_options/3: lxc.no.such.key is not a key pve-container keeps in a CT's config`,
  ],
  [
    'lxc_options (cgroup v1)',
    `${L}:48:9: error: /lxc_configs/106/lxc_options/4: lxc.cgroup.devices.allow is cgroup v1, which Proxmox VE no longer mounts: use lxc.cgroup2.devices.allow`,
  ],
  [
    'lxc_options (two lines)',
    `${L}:49:9: error: /lxc_configs/106/lxc_options/5: "lxc.mount.entry: /a a none bind\\nlxc.idmap: u 0 0 65536" is not one "lxc.key=value" line`,
  ],
  [
    'lxc_options (not lxc.*)',
    `${L}:50:9: error: /lxc_configs/106/lxc_options/6: "apparmor=unconfined" is not "lxc.key=value" or "lxc.key: value" (keys are lower case)`,
  ],
  [
    'apparmor_profile',
    `${L}:57:27: error: /lxc_configs/107/apparmor_profile: "my profile" is not an AppArmor profile name: letters, digits and _.:/- (like unconfined or lxc-container-default-cgns)`,
  ],
  [
    'pct_options (two in one)',
    `${L}:65:9: error: /lxc_configs/108/pct_options/1: "nesting=1,keyctl=1" holds ",": give one feature per list item`,
  ],
  [
    'pct_options (no value)',
    `${L}:66:9: error: /lxc_configs/108/pct_options/2: "fuse" is not a "feature=value" pair (like nesting=1)`,
  ],
  [
    'pct_options (mount types)',
    `${L}:67:9: error: /lxc_configs/108/pct_options/3: "mount=nfs cifs": mount takes file system types separated by ";" (like nfs;cifs)`,
  ],
  [
    'pct_options (contradiction)',
    `${L}:68:9: error: /lxc_configs/108/pct_options/4: "nesting=0": nesting is already set to 1`,
  ],
  [
    'mount_points.host_path',
    `${L}:77:24: error: /lxc_configs/109/mount_points/0/host_path: ${path('"/srv/data,mp=/etc"')}`,
  ],
  [
    'mount_points.container_path',
    `${L}:82:29: error: /lxc_configs/109/mount_points/1/container_path: ${path('"var/log"')}`,
  ],
  [
    'mount_points (twice)',
    `${L}:86:29: error: /lxc_configs/109/mount_points/2/container_path: /data is already mounted by mount_points/0/container_path`,
  ],
  [
    'zfs_volumes.pool',
    `${L}:92:19: error: /lxc_configs/109/zfs_volumes/0/pool: ${storage('tank pool')}`,
  ],
  [
    'zfs_volumes.mount_point',
    `${L}:94:26: error: /lxc_configs/109/zfs_volumes/0/mount_point: ${path('"/models/../etc"')}`,
  ],
  [
    'firewall action',
    `${L}:106:23: error: /lxc_configs/110/firewall/rules/0/action: action "ALLOW" is not ACCEPT, DROP or REJECT`,
  ],
  [
    'firewall source',
    `${L}:113:23: error: /lxc_configs/110/firewall/rules/1/source: ${address('10.0.0.0/33')}`,
  ],
  [
    'firewall dport',
    `${L}:115:22: error: /lxc_configs/110/firewall/rules/1/dport: "70000": port 70000 is above 65535`,
  ],
  [
    'firewall dest',
    `${L}:120:21: error: /lxc_configs/110/firewall/rules/2/dest: ${address('10.0.0.1;rm')}`,
  ],
  [
    'firewall proto',
    `${L}:121:22: error: /lxc_configs/110/firewall/rules/2/proto: "tcpx" is not a protocol`,
  ],
  [
    'firewall sport',
    `${L}:126:22: error: /lxc_configs/110/firewall/rules/3/sport: "53" needs proto tcp, udp, udplite, dccp or sctp`,
  ],
  [
    'health_check.command',
    `${L}:136:20: error: /lxc_configs/111/health_check/command: health check: shell syntax '|' is not allowed in a command; give a script instead`,
  ],
  [
    'tests path (..)',
    `${L}:148:21: error: /lxc_configs/112/tests/smoke/0/path: "../../etc/passwd" must be a file path inside features/tests/ (relative, no "..")`,
  ],
  [
    'tests path (absolute)',
    `${L}:153:21: error: /lxc_configs/112/tests/smoke/1/path: "/usr/bin/true" must be a file path inside features/tests/ (relative, no "..")`,
  ],
  [
    'tests type',
    `${L}:157:21: error: /lxc_configs/112/tests/smoke/2/type: test type "python" is not supported (only "script")`,
  ],
  [
    'template_snapshot_name',
    `${L}:167:33: error: /lxc_configs/113/template_snapshot_name: snapshot name "final form" is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most 40 characters`,
  ],
  ['VM storage_pool', `${V}:6:23: error: /vms/0/storage_pool: ${storage('x')}`],
  ['VM network_bridge', `${V}:7:25: error: /vms/0/network_bridge: ${bridge('vmbr0 ')}`],
  [
    'VM network_config.bridge',
    `${V}:9:19: error: /vms/0/network_config/bridge: ${bridge('vmbr1,tag=5')}`,
  ],
  ['VM nameserver', `${V}:10:23: error: /vms/0/network_config/nameserver: ${notIp('10.0.0.300')}`],
];

function validate(cwd: string) {
  assert.ok(
    existsSync(join(repoRoot, 'dist', 'src', 'model', 'pve', 'formats.js')),
    'dist/ is missing the formats module: run `npx tsc -p .` first',
  );
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx.js'), 'validate'], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
  });
}

test('phx validate refuses every bad value at file:line:col with its pointer', () => {
  const r = validate(workspace(badValues));
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stdout, '');
  const headers = r.stderr.split('\n').filter((l) => /^configs\/\S+:\d+:\d+: /.test(l));
  assert.equal(
    headers,
    expected.map(([, h]) => h),
  );
  assert.ok(r.stderr.endsWith(`invalid: ${expected.length} errors\n`), r.stderr.slice(-200));
  assert.not.match(r.stderr, /\n\s+at |internal error|Error:/);
});

test('an inherited bad value is reported once, where it is written', () => {
  const r = validate(workspace(badFallbacks));
  assert.is(r.status, 1, r.stderr);
  assert.equal(
    r.stderr.split('\n').filter((l) => /^configs\/\S+:\d+:\d+: /.test(l)),
    [
      `${L}:2:19: error: /storage_pool: ${storage('bad pool')}`,
      `${V}:4:23: error: /vm_defaults/network_bridge: ${bridge('vmbr0,firewall=1')}`,
    ],
  );
});

test('each item-4 field has at least one case in the corpus', () => {
  const fields = expected.map(([f]) => f).join('\n');
  for (const f of [
    'storage_pool',
    'template',
    'network_config.bridge',
    'nameservers',
    'lxc_options',
    'apparmor_profile',
    'pct_options',
    'mount_points.container_path',
    'zfs_volumes.mount_point',
    'firewall',
    'health_check.command',
    'tests path',
    'template_snapshot_name',
  ])
    assert.ok(fields.includes(f), f);
});

test('the good values next to them pass: a fixed entry validates clean', () => {
  const r = validate(
    workspace({
      configs: {
        'phoenix_lxc_configs.json': {
          lxc_configs: {
            '101': {
              name: 'fixed',
              storage_pool: 'local-zfs',
              template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
              network_config: {
                bridge: 'vmbr0',
                name: 'eth0',
                nameservers: '8.8.8.8, fe80::1%eth0',
              },
              lxc_options: ['lxc.mount.auto: sys:rw', 'lxc.cgroup2.devices.allow=c 195:* rwm'],
              apparmor_profile: 'lxc-container-default-cgns',
              pct_options: ['nesting=1', 'keyctl=1', 'mount=nfs;cifs', 'nesting=1'],
              mount_points: [{ host_path: '/srv/data', container_path: '/data' }],
              zfs_volumes: [{ name: 'm', pool: 'tank', size_gb: 5, mount_point: '/models' }],
              firewall: {
                rules: [
                  {
                    type: 'in',
                    action: 'accept',
                    source: '10.0.0.0/24',
                    proto: 'tcp',
                    dport: '80,8000:8010',
                  },
                  { type: 'out', action: 'DROP', dest: '+blocked', proto: 'udp', sport: '53' },
                ],
              },
              health_check: { command: "check.sh --url 'http://localhost:80/'" },
              tests: { smoke: [{ name: 'up', type: 'script', path: 'smoke/up.sh' }] },
              template_snapshot_name: 'final-form',
            },
          },
        },
      },
    }),
  );
  assert.is(r.stderr, 'valid: 1 guest, 0 stacks, 0 features\n');
  assert.is(r.status, 0);
});

test.after(cleanup);
test.run();
