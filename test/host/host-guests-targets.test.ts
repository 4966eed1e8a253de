// Issue 10: the host targets containers need, through the real CLI on the
// sim node (test/helpers/rig.ts): the subgid grant of 101's id map, the
// bind-mount folders of 101–103 with the owners their id maps imply, and
// AppArmor profiles from configs/apparmor/. Each feeds its containers
// through `order` edges; the sim refuses a start without them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, built, repoRoot, toBuild } from '../helpers/rig.ts';

const lxc = 'configs/phoenix_lxc_configs.json';

interface LxcDoc {
  lxc_configs: Record<string, Record<string, unknown>>;
}

interface GraphJson {
  nodes: { id: string; entry: string }[];
  edges: { from: string; to: string; kind: string }[];
}

const grant = 'host/subid/subgid/root:33:1';
const data = '/mnt/pve/quickOS/lxc-persistent-data';
const folder = (path: string) => `host/bind-folder${path}`;

const folders = (rig: Rig): Record<string, { uid: number; gid: number }> =>
  (
    JSON.parse(readFileSync(rig.path('.phoenix-sim/host-paths.json'), 'utf8')) as {
      folders: Record<string, { uid: number; gid: number }>;
    }
  ).folders;

function sim(rig: Rig, ...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx-sim.js'), ...args], {
    cwd: rig.dir,
    env: rig.env(),
    encoding: 'utf8',
  });
}

test('real configs: the plan lists 101’s subgid grant and the bind folders of 101–103 under host, each an order edge into the containers that need it', async () => {
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  try {
    const plan = await rig.planJson(['--all']);
    const ids = plan.json.targets.map((t) => t.id);
    const firstGuest = ids.findIndex((id) => !id.startsWith('host/'));
    const hostIds = ids.slice(0, firstGuest);
    for (const id of [
      grant,
      folder(`${data}/101/logs`),
      folder(`${data}/101/ssl`),
      folder(`${data}/102/certs`),
      folder(`${data}/103/ssl`),
    ])
      assert.ok(hostIds.includes(id), `${id} among the host targets: ${hostIds.join(' ')}`);
    // Every real entry is unconfined: no profile to install.
    assert.not.ok(ids.some((id) => id.startsWith('host/apparmor-profile/')));

    const graph = JSON.parse((await rig.phx(['graph', '--format', 'json'])).stdout) as GraphJson;
    const into = (from: string) =>
      graph.edges
        .filter((e) => e.from === from)
        .map((e) => `${e.kind} ${e.to}`)
        .sort();
    assert.equal(into(grant), ['order lxc/101/clone']);
    assert.equal(into(folder(`${data}/103/ssl`)), [
      'order lxc/101/clone',
      'order lxc/102/clone',
      'order lxc/103/clone',
    ]);
    assert.equal(into(folder(`${data}/101/logs`)), ['order lxc/101/clone']);
    // plan and graph touched nothing on the node.
    const status = sim(rig, 'pct', 'list');
    assert.is(status.status, 0, status.stderr);
    assert.not.ok(existsSync(rig.path('.phoenix-sim/host-paths.json')));
    assert.not.ok(existsSync(rig.path('.phoenix-sim/host.json')));
  } finally {
    rig.cleanup();
  }
});

test('real configs: 101 builds after its subgid grant and folders (owners from its id map); without the grant the sim will not start it; the plan notices and re-adds it', async () => {
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  try {
    const r = await rig.buildJson(['101']);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const order = built(r.json);
    const at = (id: string) => order.indexOf(id);
    assert.ok(at(grant) >= 0 && at(grant) < at('lxc/101/clone'), order.join(' '));
    assert.ok(at(folder(`${data}/101/logs`)) < at('lxc/101/clone'));
    const g = r.json.targets.find((t) => t.id === grant)!;
    assert.equal(g.commands, [['write-file', '/etc/subgid']]);
    assert.is(
      readFileSync(rig.path('.phoenix-sim/host/etc/subgid'), 'utf8'),
      'root:100000:65536\nroot:33:1\n',
    );
    const f = folders(rig);
    // owner_uid 33 is the default range's 100033; owner_gid 33 is mapped to the host's 33.
    assert.equal(f[`${data}/101/logs`], { uid: 100033, gid: 33 });
    assert.equal(f[`${data}/101/ssl`], { uid: 100000, gid: 100000 });
    assert.equal(f[`${data}/103/ssl`], { uid: 100000, gid: 100000 });
    assert.match(sim(rig, 'pct', 'status', '101').stdout, 'status: running');

    const again = await rig.phx(['plan', '101', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);

    // The grant removed by hand: 101 no longer starts, as on a real node.
    assert.is(sim(rig, 'pct', 'stop', '101').status, 0);
    writeFileSync(rig.path('.phoenix-sim/host/etc/subgid'), 'root:100000:65536\n');
    const start = sim(rig, 'pct', 'start', '101');
    assert.is.not(start.status, 0);
    assert.match(start.stderr, 'newgidmap: gid range [33-34) -> [33-34) not allowed');
    // A live plan asks the host: the grant is gone, and only it builds again.
    const plan = await rig.planJson(['101']);
    assert.equal(toBuild(plan.json), [grant]);
    const rebuilt = await rig.buildJson(['101']);
    assert.is(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(built(rebuilt.json), [grant]);
    assert.is(sim(rig, 'pct', 'start', '101').status, 0);
  } finally {
    rig.cleanup();
  }
});

test('example configs: an id map added to 101 adds the grant, re-owns its folder and re-applies its settings; nothing else', async () => {
  const rig = Rig.create();
  try {
    const first = await rig.buildJson(['101']);
    assert.is(first.code, 0, first.stderr + first.stdout);
    // No id map: owner 33:33 in the container is 100033:100033 on the host.
    assert.equal(folders(rig)[`${data}/101/logs`], { uid: 100033, gid: 100033 });
    assert.not.ok(built(first.json).some((id) => id.startsWith('host/subid/')));

    rig.editJson(lxc, (d: LxcDoc) => {
      d.lxc_configs['101']!.id_maps = [{ type: 'gid', host_id: 33, container_id: 33, size: 1 }];
    });
    const plan = await rig.planJson(['101']);
    assert.equal(toBuild(plan.json).sort(), [
      folder(`${data}/101/logs`),
      grant,
      'lxc/101/settings',
    ]);
    const r = await rig.buildJson(['101']);
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.equal(folders(rig)[`${data}/101/logs`], { uid: 100033, gid: 33 });
    const f = r.json.targets.find((t) => t.id === folder(`${data}/101/logs`))!;
    assert.equal(f.commands, [
      ['stat', '-c', '%u:%g', '--', `${data}/101/logs`],
      ['mkdir', '-p', '--', `${data}/101/logs`],
      ['chown', '100033:33', '--', `${data}/101/logs`],
    ]);
    assert.match(sim(rig, 'pct', 'config', '101').stdout, /^lxc\.idmap: g 33 33 1$/m);
    const again = await rig.phx(['plan', '101', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

/** A container of its own on the example base (900), confined by `profile`. */
function addConfined(rig: Rig, profile: string): void {
  rig.editJson(lxc, (d: LxcDoc) => {
    const base = d.lxc_configs['900']!;
    const entry: Record<string, unknown> = {
      ...base,
      name: 'confined',
      apparmor_profile: profile,
      network_config: { ...(base.network_config as object), ip: '10.0.0.198/24' },
      mac_address: '52:54:00:AA:BB:F8',
      features: [],
    };
    // Its profile is the one it names: no `lxc.apparmor.profile=unconfined` after it.
    delete entry.lxc_options;
    delete entry.template_snapshot_name;
    d.lxc_configs['961'] = entry;
  });
}

const profileText = (name: string, extra = '') => `#include <tunables/global>

profile ${name} flags=(attach_disconnected,mediate_deleted) {
  #include <abstractions/lxc/container-base>
  mount options=(rw, bind) /mnt/pve/** -> /**,${extra}
}
`;

test('an AppArmor profile the project lacks fails its target and holds back the container; added, it is installed and loaded, the container starts; editing it re-applies only it', async () => {
  const rig = Rig.create();
  try {
    addConfined(rig, 'lxc-phoenix-test');
    const profileId = 'host/apparmor-profile/lxc-phoenix-test';
    const refused = await rig.buildJson(['961']);
    assert.is(refused.code, 1, refused.stdout);
    const failed = refused.json.targets.find((t) => t.id === profileId)!;
    assert.is(failed.action, 'failed');
    assert.match(
      refused.stdout + refused.stderr,
      "AppArmor profile 'lxc-phoenix-test' is named by an entry but configs/apparmor/lxc-phoenix-test does not exist",
    );
    assert.not.ok(built(refused.json).includes('lxc/961/create'));

    rig.write('configs/apparmor/lxc-phoenix-test', profileText('lxc-phoenix-test'));
    const r = await rig.buildJson(['961']);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const order = built(r.json);
    assert.ok(order.indexOf(profileId) < order.indexOf('lxc/961/create'), order.join(' '));
    const p = r.json.targets.find((t) => t.id === profileId)!;
    assert.equal(p.commands, [
      ['write-file', '/etc/apparmor.d/lxc-phoenix-test'],
      ['apparmor_parser', '-r', '-W', '/etc/apparmor.d/lxc-phoenix-test'],
    ]);
    assert.match(
      readFileSync(rig.path('.phoenix-sim/host/etc/apparmor.d/lxc-phoenix-test'), 'utf8'),
      'profile lxc-phoenix-test flags',
    );
    assert.match(
      sim(rig, 'pct', 'config', '961').stdout,
      /^lxc\.apparmor\.profile: lxc-phoenix-test$/m,
    );
    if (!sim(rig, 'pct', 'status', '961').stdout.includes('running'))
      assert.is(sim(rig, 'pct', 'start', '961').status, 0, 'starts with its profile loaded');
    assert.match(sim(rig, 'pct', 'status', '961').stdout, 'status: running');

    // An edited profile: reloaded in place; no container rebuilds for it.
    rig.write(
      'configs/apparmor/lxc-phoenix-test',
      profileText('lxc-phoenix-test', '\n  /dev/nvidia* rwm,'),
    );
    const plan = await rig.planJson(['961']);
    assert.equal(toBuild(plan.json), [profileId]);
    const again = await rig.buildJson(['961']);
    assert.is(again.code, 0, again.stderr);
    assert.equal(built(again.json), [profileId]);
    const noop = await rig.phx(['plan', '961', '--detailed-exitcode']);
    assert.is(noop.code, 0, noop.stdout + noop.stderr);
  } finally {
    rig.cleanup();
  }
});

test('a profile file that declares another name is refused with the reason', async () => {
  const rig = Rig.create();
  try {
    addConfined(rig, 'lxc-phoenix-test');
    rig.write('configs/apparmor/lxc-phoenix-test', profileText('lxc-other'));
    const r = await rig.phx(['build', 'host/apparmor-profile/lxc-phoenix-test']);
    assert.is(r.code, 1);
    assert.match(
      r.stdout + r.stderr,
      "configs/apparmor/lxc-phoenix-test does not declare 'profile lxc-phoenix-test {…}'",
    );
  } finally {
    rig.cleanup();
  }
});

test('the quick start: build --all builds the example bind folders before their containers, and the next plan is a no-op', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const order = built(r.json);
    const logs = folder(`${data}/101/logs`);
    const models = folder('/mnt/pve/fastData/shared-bulk-data/ollama_models');
    assert.ok(order.indexOf(logs) >= 0 && order.indexOf(logs) < order.indexOf('lxc/101/clone'));
    assert.ok(order.indexOf(models) >= 0 && order.indexOf(models) < order.indexOf('lxc/955/clone'));
    assert.equal(folders(rig)['/mnt/pve/fastData/shared-bulk-data/ollama_models'], {
      uid: 100000,
      gid: 100000,
    });
    const again = await rig.phx(['plan', '--detailed-exitcode']);
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Nothing to build/);
  } finally {
    rig.cleanup();
  }
});

test.run();
