// A phx workspace for real LXC containers: a three-level clone chain of
// busybox guests whose features leave files, an artifact producer and its
// consumer, all on a bridge of the test's own (10.254.1.0/24, no route out).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LxcWorkspaceOptions {
  readonly dir: string;
  readonly tarball: string;
  readonly bridge: string;
}

function script(path: string, body: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\nset -eu\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A feature that appends its name and version to /root/layers and writes /root/<name>. */
export function writeLayerFeature(dir: string, name: string, version: string): void {
  script(
    join(dir, 'features', name, 'install.sh'),
    `echo "${name}-${version}" > /root/${name}\necho "${name}" >> /root/layers`,
  );
  writeFileSync(
    join(dir, 'features', name, 'feature.json'),
    JSON.stringify({ description: `test layer ${name}`, targets: ['lxc'] }),
  );
}

function entry(
  id: number,
  extra: Record<string, unknown>,
  bridge: string,
): Record<string, unknown> {
  return {
    name: `phx-it-${id}`,
    memory_mb: 256,
    cores: 1,
    storage_pool: 'local',
    storage_size_gb: 10,
    unprivileged: false,
    network_config: { name: 'eth0', bridge, ip: `10.254.1.${id % 250}/24` },
    mac_address: `52:54:00:fe:01:${(id % 250).toString(16).padStart(2, '0')}`,
    gpu_assignment: 'none',
    portainer_role: 'none',
    apparmor_profile: 'unconfined',
    apparmor_manages_nesting: false,
    ...extra,
  };
}

export function writeLxcWorkspace(opts: LxcWorkspaceOptions): void {
  const { dir, tarball, bridge } = opts;
  writeLayerFeature(dir, 'layer_a', 'v1');
  writeLayerFeature(dir, 'layer_b', 'v1');
  writeLayerFeature(dir, 'layer_c', 'v1');
  // The consumer copies what the producer published into its own filesystem.
  script(
    join(dir, 'features', 'uses_token', 'install.sh'),
    'cp "$PHX_ARTIFACTS/lxc_930_app/token.txt" /root/token',
  );
  writeFileSync(
    join(dir, 'features', 'uses_token', 'feature.json'),
    JSON.stringify({
      description: 'reads the token 930 publishes',
      consumes: ['lxc/930/app'],
      targets: ['lxc'],
    }),
  );
  script(join(dir, 'features', 'apps', 'app.sh'), 'echo "app for $PHX_ID" > /root/app');
  script(
    join(dir, 'features', 'apps', 'publish.sh'),
    'mkdir -p /var/lib/phx/artifacts\necho token-1 > /var/lib/phx/artifacts/token.txt',
  );
  const lxc = {
    lxc_configs: {
      '900': entry(
        900,
        { template: tarball, features: ['layer_a'], template_snapshot_name: 'final-form' },
        bridge,
      ),
      '910': entry(
        910,
        { clone_from_ctid: '900', features: ['layer_b'], template_snapshot_name: 'final-form' },
        bridge,
      ),
      '920': entry(
        920,
        {
          clone_from_ctid: '910',
          features: ['layer_c', 'uses_token'],
          application_script: 'app.sh',
        },
        bridge,
      ),
      '930': entry(930, { clone_from_ctid: '900', application_script: 'publish.sh' }, bridge),
    },
  };
  mkdirSync(join(dir, 'configs'), { recursive: true });
  writeFileSync(
    join(dir, 'configs', 'phoenix_lxc_configs.json'),
    JSON.stringify(lxc, null, 2) + '\n',
  );
}
