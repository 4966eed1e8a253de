// The real Phoenix configs (test/fixtures/phoenix-real, byte-identical to the
// project's etc/) validate with no errors and no warnings against the repo's
// features/, and come out normalised.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProject } from '../../src/model/load.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { renderHeader } from '../../src/model/render.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(repo, 'test/fixtures/phoenix-real');

async function loadReal() {
  return loadProject({ configDir: fixtures, featuresDir: join(repo, 'features'), cwd: repo });
}

test('real configs: valid, no warnings', async () => {
  const r = await loadReal();
  assert.equal(r.diagnostics.map(renderHeader), []);
  assert.ok(r.project);
  assert.equal(r.project.guests.size, 15);
  assert.equal([...r.project.stacks.keys()].sort(), [
    'portainer_service',
    'qdrant_service',
    'thinkheads_ai_app',
  ]);
});

test('real configs: string numbers, GPU lists, stacks and fallbacks are normalised', async () => {
  const p = (await loadReal()).project!;
  const g = (id: number) => p.guests.get(id as GuestId)!;
  assert.is(g(901).cloneFrom, 900);
  assert.equal(g(901).gpus, [0, 1]);
  assert.equal(g(910).gpus, [0, 1]);
  assert.equal(g(900).gpus, []);
  assert.equal(g(901).dependencies, [1002]);
  assert.is(g(901).kind, 'lxc');
  assert.is(g(1002).kind, 'vm');
  assert.is(g(1002).cloneFrom, 9000);
  assert.equal(g(1002).dockerStacks, [
    { name: 'qdrant_service', environment: 'production' },
    { name: 'thinkheads_ai_app', environment: 'production' },
  ]);
  assert.is(g(9000).isTemplate, true);
  assert.is(g(900).isTemplate, true, 'CT 900 is cloned, so it is a template');
  assert.is(g(801).isTemplate, false);
  assert.is(g(801).config['nvidia_runfile_url'], p.lxcRoot['nvidia_runfile_url']);
  assert.is(g(801).config['clone_from_ctid'], 911);
  assert.equal(g(801).config['traefik_service'], { name: 'granite-embedding', port: 8000 });
  assert.equal(
    g(102).features.map((f) => f.name),
    ['base_setup', 'trusted_ca', 'step_cli', 'traefik'],
  );
  assert.equal(g(102).features[2]!.source, {
    file: 'test/fixtures/phoenix-real/phoenix_lxc_configs.json',
    pointer: '/lxc_configs/102/features/2',
  });
  assert.is(g(1001).memoryMb, 8192);
  assert.is(g(9000).memoryMb, 4096, 'vm_defaults.memory_mb is a fallback');
  assert.is(g(9000).storagePool, 'quickOS-vm-disks');
  assert.is(g(801).applicationScript, 'phoenix_hypervisor_lxc_vllm.sh');
  assert.is(g(801).firewall!.rules[0]!.port, '8000');
  assert.is(p.features.get('vllm')!.gpu, true);
  assert.equal(p.features.get('vllm')!.requires, ['nvidia']);
});

test('a 2,000-entry LXC file loads clean (its speed is measured in bench/, not here)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phx-big-'));
  try {
    mkdirSync(join(dir, 'configs'));
    copyFileSync(
      join(fixtures, 'phoenix_hypervisor_config.json'),
      join(dir, 'configs/phoenix_hypervisor_config.json'),
    );
    const entries: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) {
      const id = 10000 + i;
      entries[id] = {
        name: `guest-${id}`,
        memory_mb: '2048',
        cores: 2,
        storage_pool: 'quickOS-lxc-disks',
        storage_size_gb: 16,
        network_config: {
          name: 'eth0',
          bridge: 'vmbr0',
          ip: `10.${(i >> 8) & 255}.${i & 255}.2/16`,
          gw: '10.0.0.1',
        },
        gpu_assignment: i % 3 === 0 ? '0, 1' : 'none',
        unprivileged: true,
        clone_from_ctid: i === 0 ? undefined : String(10000 + Math.floor(i / 2)),
        features: i % 2 === 0 ? ['base_setup'] : ['nvidia', 'vllm'],
        template_snapshot_name: 'final-form',
        firewall: {
          enabled: true,
          rules: [{ type: 'in', action: 'ACCEPT', proto: 'tcp', port: '22' }],
        },
      };
    }
    writeFileSync(
      join(dir, 'configs/phoenix_lxc_configs.json'),
      JSON.stringify({ nvidia_runfile_url: 'https://x/y.run', lxc_configs: entries }, null, 2),
    );
    const opts = { configDir: 'configs', featuresDir: join(repo, 'features'), cwd: dir };
    const result = await loadProject(opts);
    assert.equal(result.diagnostics.map(renderHeader), []);
    assert.is(result.project!.guests.size, 2000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
