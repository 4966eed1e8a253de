// Issue 10: how container entries expand into the host targets they need
// (targets/host-guests.ts), in-process on a copy of the example configs:
// which grant an id map needs, which owner a bind folder gets, which
// dataset it waits for, and which slice each is fingerprinted by.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadProject } from '../../src/model/load.ts';
import { expandProject } from '../../targets/index.ts';
import type { Target } from '../../targets/target.ts';
import type { BindFolderTarget, SubidTarget } from '../../targets/host-guest-target.ts';
import { Rig, repoRoot } from '../helpers/rig.ts';
import { initHash } from '../../src/core/hash.ts';

await initHash();

const lxc = 'configs/phoenix_lxc_configs.json';

interface LxcDoc {
  lxc_configs: Record<string, Record<string, unknown>>;
}

async function expand(edit: (d: LxcDoc) => void): Promise<Map<string, Target>> {
  const rig = Rig.create();
  try {
    rig.editJson(lxc, edit);
    const loaded = await loadProject({
      configDir: rig.path('configs'),
      featuresDir: join(repoRoot, 'features'),
      cwd: rig.dir,
    });
    assert.ok(loaded.project, 'the edited configs load');
    const { targets } = await expandProject(loaded.project);
    return new Map(targets.map((t) => [t.id, t]));
  } finally {
    rig.cleanup();
  }
}

const mount = (host_path: string, extra: Record<string, unknown> = {}) => ({
  host_path,
  container_path: '/data',
  ...extra,
});

test('a folder under a dataset waits for that dataset (the deepest one); one elsewhere waits for nothing', async () => {
  const t = await expand((d) => {
    d.lxc_configs['101']!.mount_points = [
      mount('/quickOS/lxc-persistent-data/101/db/'),
      mount('/srv/phx/101', { container_path: '/srv' }),
    ];
  });
  const under = t.get('host/bind-folder/quickOS/lxc-persistent-data/101/db') as BindFolderTarget;
  assert.ok(under, [...t.keys()].filter((k) => k.startsWith('host/bind')).join(' '));
  // The trailing slash is one folder with the path without it.
  assert.is(under.folder.path, '/quickOS/lxc-persistent-data/101/db');
  assert.equal(under.deps, [
    {
      from: 'host/zfs-dataset/quickOS/lxc-persistent-data',
      to: 'host/bind-folder/quickOS/lxc-persistent-data/101/db',
      kind: 'order',
    },
  ]);
  assert.equal((t.get('host/bind-folder/srv/phx/101') as BindFolderTarget).deps, []);
  // Both are order edges into 101's base.
  const base = t.get('lxc/101/clone')!;
  for (const id of [
    'host/bind-folder/quickOS/lxc-persistent-data/101/db',
    'host/bind-folder/srv/phx/101',
  ])
    assert.ok(
      base.deps.some((e) => e.from === id && e.kind === 'order'),
      id,
    );
});

test('owners: an unprivileged id is 100000 + id unless mapped, a privileged one is itself; explicit owners that disagree are conflicts', async () => {
  const t = await expand((d) => {
    const c = d.lxc_configs;
    c['101']!.id_maps = [{ type: 'uid', host_id: 1500, container_id: 1000, size: 10 }];
    c['101']!.mount_points = [mount('/srv/shared', { owner_uid: 1003, owner_gid: 1003 })];
    c['102']!.unprivileged = false;
    c['102']!.mount_points = [mount('/srv/priv', { owner_uid: 7, owner_gid: 8 })];
    c['103']!.mount_points = [mount('/srv/shared', { owner_uid: 0, owner_gid: 0 })];
  });
  const shared = t.get('host/bind-folder/srv/shared') as BindFolderTarget;
  // uid 1003 → 1500 + 3 by the map; gid 1003 → 101003 (no gid map).
  assert.equal(shared.folder, { path: '/srv/shared', uid: 1503, gid: 101003 });
  assert.equal(shared.conflicts, [
    '101/mount_points/0 implies 1503:101003',
    '103/mount_points/0 implies 100000:100000',
  ]);
  const priv = t.get('host/bind-folder/srv/priv') as BindFolderTarget;
  assert.equal(priv.folder, { path: '/srv/priv', uid: 7, gid: 8 });
  assert.equal(priv.conflicts, []);
  // 101's uid map is outside the default range: a subuid grant.
  const grant = t.get('host/subid/subuid/root:1500:10') as SubidTarget;
  assert.equal(grant.subid, { file: '/etc/subuid', user: 'root', start: 1500, count: 10 });
});

test('a map inside the default range needs no grant; one grant is shared, its slice unchanged by a second container asking for it', async () => {
  const inside = await expand((d) => {
    d.lxc_configs['101']!.id_maps = [{ type: 'gid', host_id: 100500, container_id: 33, size: 1 }];
  });
  assert.not.ok([...inside.keys()].some((k) => k.startsWith('host/subid/')));

  const map = { type: 'gid', host_id: 33, container_id: 33, size: 1 };
  const one = await expand((d) => {
    d.lxc_configs['101']!.id_maps = [map];
  });
  const two = await expand((d) => {
    d.lxc_configs['101']!.id_maps = [map];
    d.lxc_configs['102']!.id_maps = [{ ...map, container_id: 50 }];
  });
  const id = 'host/subid/subgid/root:33:1';
  assert.equal(two.get(id)!.config, one.get(id)!.config);
  assert.equal(one.get(id)!.config, {
    '/lxc_configs/101/id_maps/0/type': 'gid',
    '/lxc_configs/101/id_maps/0/host_id': 33,
    '/lxc_configs/101/id_maps/0/size': 1,
  });
  for (const entry of ['101', '102'])
    assert.ok(
      two.get(`lxc/${entry}/clone`)!.deps.some((e) => e.from === id && e.kind === 'order'),
      entry,
    );
});

test('AppArmor: Proxmox’s own profiles need no target; another name reads configs/apparmor/<name> and the files it includes', async () => {
  const t = await expand((d) => {
    d.lxc_configs['101']!.apparmor_profile = 'lxc-container-default-cgns';
    d.lxc_configs['102']!.apparmor_profile = 'lxc-phoenix-v2';
    d.lxc_configs['103']!.apparmor_profile = 'lxc-not-in-the-project';
  });
  assert.not.ok(t.has('host/apparmor-profile/lxc-container-default-cgns'));
  const v2 = t.get('host/apparmor-profile/lxc-phoenix-v2')!;
  assert.equal(
    v2.files.map((f) => f.slice(f.indexOf('/configs/') + 1)),
    ['configs/apparmor/lxc-phoenix-v2'],
  );
  assert.equal(v2.config, {});
  // A profile the project lacks still plans (its rule says where to put it).
  assert.equal(t.get('host/apparmor-profile/lxc-not-in-the-project')!.files, []);
});

test.run();
