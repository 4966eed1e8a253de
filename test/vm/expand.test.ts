// VM entries as targets (targets/vm.ts) and what the plan rebuilds when
// their inputs change, on the example configs: 9000 is made from its image
// (vm/9000/image → create → snapshot), 1001/1002 are full clones of its
// template snapshot with their feature layers. A new image rebuilds
// exactly 9000, 1001 and 1002; an edited VM-only feature, exactly its layer
// in the VM that lists it (and the settings that go back on after the rollback).
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandProject, type ExpandOptions } from '../../targets/index.ts';
import type { Target } from '../../targets/target.ts';
import { targetKinds, type TargetId, type TargetKind } from '../../src/core/target-id.ts';
import { initHash } from '../../src/core/hash.ts';
import { loadProject } from '../../src/model/load.ts';
import type { Project } from '../../src/model/model.ts';
import { buildGraph } from '../../src/engine/graph.ts';
import { fileRoots } from '../../src/engine/file-roots.ts';
import { makePlan, type Plan } from '../../src/engine/plan.ts';
import { FileDigests } from '../../src/cache/file-digests.ts';
import type { TargetRecord } from '../../src/cache/records.ts';
import { rules } from '../../rules/index.ts';
import { repoRoot } from '../helpers/rig.ts';

await initHash();

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'phx-vm-expand-'));
  cpSync(join(repoRoot, 'configs'), join(dir, 'configs'), { recursive: true });
  cpSync(join(repoRoot, 'features'), join(dir, 'features'), { recursive: true });
  return dir;
}

async function load(dir: string): Promise<Project> {
  const loaded = await loadProject({ configDir: 'configs', featuresDir: 'features', cwd: dir });
  assert.ok(loaded.project, 'the example configs load');
  return loaded.project;
}

const placesOf = (dir: string): ExpandOptions['images'] => ({
  root: dir,
  imagesDir: join(dir, 'configs', 'images'),
  cacheDir: join(dir, '.phoenix-cache', 'images'),
  sources: {},
});

const vmTargets = (targets: readonly Target[]) =>
  targets.filter((t) => t.id.startsWith('vm/')).map((t) => t.id);

test('9000 from its image, 1001 and 1002 cloned from its template snapshot, each with its layers', async () => {
  const dir = workspace();
  try {
    const { targets } = await expandProject(await load(dir), { images: placesOf(dir) });
    assert.equal(vmTargets(targets), [
      'vm/9000/image',
      'vm/9000/create',
      'vm/9000/settings',
      'vm/9000/snapshot/final-form',
      'vm/1001/clone',
      'vm/1001/settings',
      'vm/1001/feature/base_setup',
      'vm/1001/feature/trusted_ca',
      'vm/1001/feature/step_cli',
      'vm/1001/feature/docker',
      'vm/1001/feature/nfs_mounts',
      'vm/1001/firewall',
      'vm/1002/clone',
      'vm/1002/settings',
      'vm/1002/feature/base_setup',
      'vm/1002/feature/trusted_ca',
      'vm/1002/feature/step_cli',
      'vm/1002/feature/docker',
      'vm/1002/feature/portainer_agent',
      'vm/1002/feature/nfs_mounts',
      'vm/1002/firewall',
    ]);
    const byId = new Map(targets.map((t) => [t.id as string, t]));
    const deps = (id: string) => byId.get(id)!.deps.map((e) => `${e.kind} ${e.from}`);
    assert.equal(deps('vm/9000/create'), [
      'clone vm/9000/image',
      'order host/storage/quickOS-vm-disks',
    ]);
    assert.equal(deps('vm/1001/clone'), [
      'clone vm/9000/snapshot/final-form',
      'order host/storage/quickOS-vm-disks',
    ]);
    // The source is held while it is cloned, as for containers.
    assert.equal(byId.get('vm/1002/clone')!.pools, ['guest:1002', 'guest:9000']);
    assert.equal(byId.get('vm/1002/feature/portainer_agent')!.layer, 5);
    // What each reads, by the pointer a plan names.
    const image = byId.get('vm/9000/image')!;
    assert.equal(Object.keys(image.config), [
      '/vms/0/template_image',
      '/vms/0/template_image#sha256',
    ]);
    assert.equal(Object.keys(byId.get('vm/9000/create')!.config), [
      '/vms/0/template_image',
      '/vms/0/storage_pool',
    ]);
    const settings = Object.keys(byId.get('vm/1001/settings')!.config);
    for (const k of [
      'memory_mb',
      'cores',
      'network_config',
      'user_config',
      'disk_size_gb',
      'firewall/enabled',
    ])
      assert.ok(settings.includes(`/vms/1/${k}`), k);
    assert.not.ok(settings.includes('/vms/1/volumes'), 'NFS volumes are not a setting');
    assert.ok(
      '/vms/1/volumes' in byId.get('vm/1001/feature/nfs_mounts')!.config,
      'nfs_mounts reads them',
    );
    // How long a start waits for the agent: the default, or the build file's.
    assert.is(image.agentTimeoutMs, 300_000);
    const { targets: quick } = await expandProject(await load(dir), {
      images: placesOf(dir),
      agentTimeoutMs: 5_000,
    });
    assert.ok(quick.filter((t) => t.id.startsWith('vm/')).every((t) => t.agentTimeoutMs === 5_000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Plan everything, record it all as built, then plan again after `change`: the ids that build. */
async function rebuiltAfter(
  change: (dir: string) => void,
  forget: readonly string[] = [],
): Promise<string[]> {
  const dir = workspace();
  try {
    const plan = async (): Promise<Plan> => {
      const project = await load(dir);
      const { targets } = await expandProject(project, { images: placesOf(dir) });
      const graph = buildGraph(targets);
      assert.ok(graph.ok);
      return makePlan({
        graph: graph.value,
        selection: new Set(targets.map((t) => t.id)),
        outputs: { snapshotsOf: () => 'trusted' as const },
        digests: new FileDigests(undefined),
        ruleDigests: new Map<TargetKind, string>(targetKinds.map((k) => [k, `d-${k}`])),
        rules,
        backend: 'sim',
        roots: fileRoots({ featuresDir: project.featuresDir, configDir: project.configDir }),
        force: false,
        secrets: () => 'secret',
        record: (id) => records.get(id),
      });
    };
    const records = new Map<TargetId, TargetRecord>();
    for (const p of (await plan()).targets)
      records.set(p.target.id, {
        fingerprint: p.fingerprint,
        data: p.json,
        output: '',
        entry: p.target.entry,
        kind: p.target.kind,
        backend: 'sim',
        builtAt: 0,
        durationMs: 0,
      });
    assert.equal(
      (await plan()).targets.filter((p) => p.action === 'build'),
      [],
      'recorded: a no-op',
    );
    change(dir);
    for (const id of forget) records.delete(id as TargetId);
    return (await plan()).targets.filter((p) => p.action === 'build').map((p) => p.target.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a new image rebuilds 9000, 1001 and 1002, every target of each, and nothing else', async () => {
  const built = await rebuiltAfter((dir) => {
    appendFileSync(join(dir, 'configs', 'images', 'noble-server-cloudimg-amd64.img'), 'v2\n');
  });
  assert.ok(
    built.every((id) => /^vm\/(9000|1001|1002)\//.test(id)),
    built.join(' '),
  );
  for (const entry of ['9000', '1001', '1002'])
    assert.ok(
      built.some((id) => id.startsWith(`vm/${entry}/`)),
      entry,
    );
  assert.ok(built.includes('vm/9000/image') && built.includes('vm/1002/feature/portainer_agent'));
  assert.is(built.length, 21, 'all 21 VM targets');
});

test('an image target whose record is lost stages the image again and rebuilds nothing else', async () => {
  // `cache rebuild` re-derives records from layer snapshots; the image leaves none.
  assert.equal(await rebuiltAfter(() => undefined, ['vm/9000/image']), ['vm/9000/image']);
});

test('an edited VM-only feature rebuilds its layer and the later ones in that VM, and its settings', async () => {
  const built = await rebuiltAfter((dir) => {
    appendFileSync(join(dir, 'features', 'portainer_agent', 'install.sh'), '# edited\n');
  });
  assert.equal(built, [
    'vm/1002/settings',
    'vm/1002/feature/portainer_agent',
    'vm/1002/feature/nfs_mounts',
  ]);
});

test('an edited feature both kinds use rebuilds its layer and the later ones, in each guest that lists it', async () => {
  const built = await rebuiltAfter((dir) => {
    appendFileSync(join(dir, 'features', 'docker', 'install.sh'), '# edited\n');
  });
  const vm = built.filter((id) => id.startsWith('vm/'));
  assert.equal(vm, [
    'vm/1001/settings',
    'vm/1001/feature/docker',
    'vm/1001/feature/nfs_mounts',
    'vm/1002/settings',
    'vm/1002/feature/docker',
    'vm/1002/feature/portainer_agent',
    'vm/1002/feature/nfs_mounts',
  ]);
  assert.not.ok(
    built.some((id) => id.startsWith('vm/9000/')),
    '9000 does not list docker',
  );
});

test.run();
