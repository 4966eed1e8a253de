// Issue 10: the host-service targets through the real CLI on the sim node
// (test/helpers/rig.ts): each is rebuilt only when its own slice of the
// hypervisor config changes, the cluster firewall file is what the config
// says, and the Samba password (a secret reference) reaches the node on
// stdin and appears in no plan, graph, log, record or sim file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, built, toBuild } from '../helpers/rig.ts';

const host = 'configs/phoenix_hypervisor_config.json';

interface Share {
  name: string;
  path: string;
  options: string;
  valid_users: string[];
}

interface HostDoc {
  samba: { user: string; password?: string; shares: Share[] };
  nfs: { exports: { path: string; clients: string[]; options: string[] }[] };
  zfs: { arc_max_gb: number };
  users: { sudo_access: boolean };
  shared_volumes: { firewall: { default_input_policy: string } };
}

/** Every host-service target of the example config. */
const serviceIds = [
  'host/nfs-exports/exports',
  'host/storage/nfs-vm-persistent-data',
  'host/samba-share/shared-prod-data',
  'host/samba-share/shared-prod-data-sync',
  'host/samba-share/shared-test-data',
  'host/samba-share/shared-bulk-data',
  'host/samba-share/shared-test-data-sync',
  'host/samba-user/heads',
  'host/linux-user/phoenix_admin',
  'host/pve-user/phoenix_admin@pam',
  'host/arc-limit/zfs_arc_max',
  'host/cluster-firewall/cluster',
];

const simFile = (rig: Rig, path: string) => rig.read(`.phoenix-sim/host/${path}`);

async function buildServices(rig: Rig, env: Record<string, string> = {}) {
  const r = await rig.buildJson(serviceIds, { env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  return r;
}

test('the host services build in order after the datasets they stand on; the next plan of them is a no-op', async () => {
  const rig = Rig.create();
  try {
    const plan = await rig.planJson(serviceIds);
    const ids = plan.json.targets.map((t) => t.id);
    for (const id of serviceIds) assert.ok(ids.includes(id), id);
    // A share after the dataset that holds its folder; the exports after theirs.
    const at = (id: string) => ids.indexOf(id);
    assert.ok(
      at('host/zfs-dataset/fastData/shared-bulk-data') < at('host/samba-share/shared-bulk-data'),
    );
    assert.ok(at('host/zfs-dataset/quickOS/vm-persistent-data') < at('host/nfs-exports/exports'));
    assert.ok(at('host/linux-user/phoenix_admin') < at('host/pve-user/phoenix_admin@pam'));
    assert.ok(at('host/nfs-exports/exports') < at('host/storage/nfs-vm-persistent-data'));

    const r = await buildServices(rig);
    for (const id of serviceIds) assert.ok(built(r.json).includes(id), `${id} built`);
    assert.match(
      simFile(rig, 'etc/exports'),
      /\/quickOS\/vm-persistent-data 10\.0\.0\.111\(rw,sync,no_subtree_check,no_root_squash\) 10\.0\.0\.102\(/,
    );
    const nfs = r.json.targets.find((t) => t.id === 'host/storage/nfs-vm-persistent-data')!;
    assert.equal(nfs.commands.at(-1)!.slice(0, 8), [
      'pvesm',
      'add',
      'nfs',
      'nfs-vm-persistent-data',
      '--server',
      '10.0.0.13',
      '--export',
      '/quickOS/vm-persistent-data',
    ]);
    const smb = simFile(rig, 'etc/samba/smb.conf');
    assert.is(smb.match(/^\[/gm)?.length, 5, smb);
    assert.match(smb, /\[shared-bulk-data\]\n {3}path = \/fastData\/shared-bulk-data\n/);
    // No samba.password in the example config: the account is made, no Samba password is set, the log says so.
    const samba = r.json.targets.find((t) => t.id === 'host/samba-user/heads')!;
    assert.not.ok(samba.commands.some((c) => c[0] === 'smbpasswd'));
    const again = await rig.phx(['plan', '--detailed-exitcode', ...serviceIds]);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('a live plan asks the host: an account or a share block removed by hand builds again', async () => {
  const rig = Rig.create();
  try {
    await buildServices(rig);
    const statePath = '.phoenix-sim/host-services.json';
    const state = JSON.parse(rig.read(statePath)) as { accounts: Record<string, unknown> };
    delete state.accounts.phoenix_admin;
    rig.write(statePath, JSON.stringify(state));
    const smb = '.phoenix-sim/host/etc/samba/smb.conf';
    rig.write(
      smb,
      rig
        .read(smb)
        .replace(
          /# BEGIN phx samba-share shared-bulk-data[^]*?# END phx samba-share shared-bulk-data\n/,
          '',
        ),
    );
    const plan = await rig.planJson(serviceIds);
    assert.equal(toBuild(plan.json), [
      'host/linux-user/phoenix_admin',
      'host/samba-share/shared-bulk-data',
    ]);
    const offline = await rig.planJson(['--offline', ...serviceIds]);
    assert.equal(toBuild(offline.json), []);
    const r = await buildServices(rig);
    assert.equal(built(r.json), [
      'host/linux-user/phoenix_admin',
      'host/samba-share/shared-bulk-data',
    ]);
    assert.match(rig.read(smb), /\[shared-bulk-data\]/);
  } finally {
    rig.cleanup();
  }
});

test('cluster.fw is the host firewall of the config: options and the global rules, no guest rules', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['host/cluster-firewall/cluster']);
    assert.is(r.code, 0, r.stderr);
    assert.is(
      simFile(rig, 'etc/pve/firewall/cluster.fw'),
      [
        '[OPTIONS]',
        'enable: 1',
        'policy_in: DROP',
        'policy_out: ACCEPT',
        '',
        '[RULES]',
        'IN ACCEPT -p tcp -dport 80 # Allow HTTP for ACME challenges to Nginx',
        'IN ACCEPT -p tcp -dport 443 # Allow external HTTPS traffic to the Nginx gateway',
        'IN ACCEPT -source 10.0.0.0/24 -dest 10.0.0.13 -p udp -dport 53 # Allow internal guests to query DNS on Host',
        'IN ACCEPT -source 10.0.0.0/24 -dest 10.0.0.13 -p tcp -dport 53 # Allow internal guests to query DNS on Host',
        'IN ACCEPT -source 10.0.0.0/24 -dest 10.0.0.13 -p tcp -dport 2049 # Allow internal guests to access NFS on Host',
        'OUT ACCEPT -dest 10.0.0.153 -p tcp -dport 443 # Allow Proxmox host to access the Nginx gateway for Portainer API calls',
        '',
      ].join('\n'),
    );
  } finally {
    rig.cleanup();
  }
});

test('editing one share re-applies only that share; editing the ARC limit re-applies only the ARC target', async () => {
  const rig = Rig.create();
  try {
    await buildServices(rig);
    rig.editJson(host, (d: HostDoc) => {
      d.samba.shares.find((s) => s.name === 'shared-test-data')!.options =
        'browseable=no writable=yes';
    });
    const plan = await rig.planJson(serviceIds);
    assert.equal(toBuild(plan.json), ['host/samba-share/shared-test-data']);
    const r = await buildServices(rig);
    assert.equal(built(r.json), ['host/samba-share/shared-test-data']);
    assert.match(
      simFile(rig, 'etc/samba/smb.conf'),
      /\[shared-test-data\]\n {3}path = \/fastData\/shared-test-data\n {3}browseable = no\n/,
    );
    assert.match(
      simFile(rig, 'etc/samba/smb.conf'),
      /\[shared-bulk-data\]\n {3}path = \/fastData\/shared-bulk-data\n {3}browseable = yes\n/,
    );

    rig.editJson(host, (d: HostDoc) => {
      d.zfs.arc_max_gb = 16;
    });
    assert.equal(toBuild((await rig.planJson(serviceIds)).json), ['host/arc-limit/zfs_arc_max']);
    const arc = await buildServices(rig);
    assert.equal(built(arc.json), ['host/arc-limit/zfs_arc_max']);
    assert.match(simFile(rig, 'etc/modprobe.d/zfs.conf'), /^options zfs zfs_arc_max=17179869184$/m);
    const state = JSON.parse(rig.read('.phoenix-sim/host-services.json')) as { arcMax: number };
    assert.is(state.arcMax, 16 * 1024 ** 3);

    // Each of the others reads its own slice too.
    const only = async (edit: (d: HostDoc) => void, expected: string[]) => {
      rig.editJson(host, edit);
      assert.equal(toBuild((await rig.planJson(serviceIds)).json), expected);
      assert.equal(built((await buildServices(rig)).json), expected);
    };
    await only(
      (d) => {
        d.users.sudo_access = false;
      },
      ['host/linux-user/phoenix_admin'],
    );
    await only(
      (d) => {
        d.nfs.exports[0]!.options = ['ro', 'sync', 'no_subtree_check'];
      },
      ['host/nfs-exports/exports'],
    );
    await only(
      (d) => {
        d.shared_volumes.firewall.default_input_policy = 'REJECT';
      },
      ['host/cluster-firewall/cluster'],
    );
    assert.match(simFile(rig, 'etc/pve/firewall/cluster.fw'), /^policy_in: REJECT$/m);
    assert.match(simFile(rig, 'etc/exports'), /10\.0\.0\.111\(ro,sync,no_subtree_check\)/);
  } finally {
    rig.cleanup();
  }
});

test('an export of a folder the host lacks fails its target, named by exportfs; the exports file is left as it was', async () => {
  const rig = Rig.create();
  try {
    await buildServices(rig);
    const before = simFile(rig, 'etc/exports');
    rig.editJson(host, (d: HostDoc) => {
      d.nfs.exports.push({
        path: '/quickOS/not-a-dataset',
        clients: ['10.0.0.0/24'],
        options: ['ro'],
      });
    });
    const r = await rig.phx(['build', 'host/nfs-exports/exports']);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout + r.stderr,
      /exportfs: Failed to stat \/quickOS\/not-a-dataset: No such file or directory/,
    );
    assert.is(simFile(rig, 'etc/exports'), before);
  } finally {
    rig.cleanup();
  }
});

/** Every file under `dir` whose bytes contain `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile() && readFileSync(p).includes(bytes)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

test('the Samba password (env: reference) is set on the node and appears in no plan, graph, log, record or sim file', async () => {
  const rig = Rig.create();
  const secret = 'Smb-pw-3f9a1c-never-shown';
  const env = { PHX_SAMBA_PASSWORD: secret };
  try {
    rig.editJson(host, (d: HostDoc) => {
      d.samba.password = 'env:PHX_SAMBA_PASSWORD';
    });
    const outputs: string[] = [];
    const keep = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);
    keep(await rig.phx(['plan', ...serviceIds], { env }));
    keep(await rig.phx(['plan', '--json', ...serviceIds], { env }));
    keep(await rig.phx(['graph', '--format', 'json', ...serviceIds], { env }));
    const b = await rig.phx(['build', '--verbose', ...serviceIds], { env });
    assert.is(b.code, 0, b.stdout + b.stderr);
    keep(b);
    keep(await rig.phx(['explain', 'host/samba-user/heads'], { env }));
    const state = JSON.parse(rig.read('.phoenix-sim/host-services.json')) as {
      samba: Record<string, string>;
    };
    assert.is(state.samba.heads, createHash('sha256').update(secret).digest('hex'), 'password set');
    for (const o of outputs) assert.not.ok(o.includes(secret), o);
    assert.equal(filesHolding(rig.dir, secret), []);

    // A new password is a changed slice: the Samba user alone re-applies.
    const rotated = { PHX_SAMBA_PASSWORD: `${secret}-2` };
    assert.equal(toBuild((await rig.planJson(serviceIds, { env: rotated })).json), [
      'host/samba-user/heads',
    ]);
  } finally {
    rig.cleanup();
  }
});

test.run();
