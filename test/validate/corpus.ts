// The broken-config corpus: one workspace per check (DESIGN §7, issue items
// 3–6), written from object literals. corpus.test.ts asserts the exact
// rendered header of every diagnostic each one produces.
import { ct, HOST, LXC, lxcFile, STACKS, VM, vm } from './rig.ts';
import type { WorkspaceSpec } from './rig.ts';

const F: WorkspaceSpec['features'] = {
  base: { manifest: {} },
  nvidia: { manifest: { targets: 'lxc' } },
  vllm: { manifest: { requires: ['nvidia'], targets: ['lxc'] } },
  docker: { manifest: { targets: ['vm'] } },
};
export const cases: Record<string, WorkspaceSpec> = {
  cloneMissing: { configs: { [LXC]: lxcFile({ '950': ct('a', { clone_from_ctid: '999' }) }) } },
  cloneKind: {
    configs: {
      [LXC]: lxcFile({ '950': ct('a', { clone_from_ctid: 9000 }) }),
      [VM]: { vms: [vm(9000, 't')] },
    },
  },
  cloneCycle: {
    configs: {
      [LXC]: lxcFile({
        '900': ct('a', { clone_from_ctid: '912' }),
        '901': ct('b', { clone_from_ctid: '900' }),
        '912': ct('c', { clone_from_ctid: '901' }),
      }),
    },
  },
  depCycle: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { dependencies: ['102'] }),
        '102': ct('b', { dependencies: ['1001'] }),
      }),
      [VM]: { vms: [vm(1001, 'v', { dependencies: [101] })] },
    },
  },
  depUnknown: {
    configs: {
      [LXC]: lxcFile({ '101': ct('a', { dependencies: ['1003'] }) }),
      [VM]: { vms: [vm(1002, 'v')] },
    },
  },
  sameId: {
    configs: { [LXC]: lxcFile({ '1001': ct('a') }), [VM]: { vms: [vm(1001, 'v'), vm(1001, 'w')] } },
  },
  range: {
    configs: {
      [LXC]: lxcFile({ '99': ct('a'), abc: ct('b') }),
      [VM]: { vms: [vm(1000000000, 'v')] },
    },
  },
  dupIp: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { network_config: { ip: '10.0.0.5/24' } }),
        '102': ct('b', { network_config: { ip: 'dhcp' } }),
      }),
      [VM]: {
        vms: [
          vm(1001, 'v', { network_config: { ip: '10.0.0.5/16' } }),
          vm(1002, 'w', { network_config: { ip: 'dhcp' } }),
        ],
      },
    },
  },
  dupMac: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { mac_address: '52:54:00:AA:BB:CC' }),
        '102': ct('b', { mac_address: '52:54:00:aa:bb:cc' }),
        '103': ct('c', { mac_address: '53:54:00:aa:bb:cc' }),
      }),
    },
  },
  badIp: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { network_config: { ip: '10.0.0.256/24', gw: '10.0.0.1/24' } }),
        '102': ct('b', { network_config: { ip: '10.0.0.7' } }),
      }),
    },
  },
  badGpu: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { gpu_assignment: 'all' }),
        '102': ct('b', { gpu_assignment: true }),
      }),
    },
  },
  unknownFeature: {
    configs: { [LXC]: lxcFile({ '101': ct('a', { features: ['nvida', 'helpers'] }) }) },
    features: { ...F, helpers: { executable: null } },
  },
  featureTarget: {
    configs: {
      [LXC]: lxcFile({ '101': ct('a', { features: ['docker'] }) }),
      [VM]: { vms: [vm(1001, 'v', { features: ['nvidia'] })] },
    },
    features: F,
  },
  appMissing: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { application_script: 'x.sh' }),
        '102': ct('b', { application_script: '../x.sh' }),
        '103': ct('c', { application_script: 'ok.sh' }),
      }),
    },
    apps: ['ok.sh'],
  },
  requires: {
    configs: {
      [LXC]: lxcFile({
        '900': ct('a', { features: ['base'] }),
        '901': ct('b', { clone_from_ctid: '900', features: ['nvidia'] }),
        '911': ct('c', { clone_from_ctid: '901' }),
        '801': ct('d', { clone_from_ctid: '911', features: ['vllm'] }),
        '802': ct('e', { clone_from_ctid: '900', features: ['vllm', 'nvidia'] }),
      }),
    },
    features: F,
  },
  consumes: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { features: ['trusted_ca', 'needs_feature'] }),
        '102': ct('b'),
      }),
    },
    features: {
      trusted_ca: { manifest: { consumes: ['lxc/103/app', 'lxc/102/app', 'stack/nope'] } },
      needs_feature: { manifest: { consumes: ['lxc/102/feature/step_ca', 'vm/102/app'] } },
    },
  },
  stacks: {
    configs: {
      [VM]: {
        vms: [
          vm(1001, 'v', {
            docker_stacks: [
              'qdrant_servce',
              { name: 'qdrant_service', environment: 'testing' },
              { name: 'qdrant_service' },
            ],
          }),
        ],
      },
      [STACKS]: {
        docker_stacks: { qdrant_service: { environments: { production: {}, testng: {} } } },
      },
    },
  },
  snapshot: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { template_snapshot_name: 'final-form' }),
        '102': ct('b', { template_snapshot_name: '2nd' }),
        '103': ct('c', { template_snapshot_name: 'a'.repeat(41) }),
        '104': ct('d', { template_snapshot_name: 'phx-mine' }),
        '105': ct('e', { template_snapshot_name: 'has space' }),
      }),
    },
  },
  hostname: {
    configs: {
      [LXC]: lxcFile({
        '101': ct('Copy-Cuda12.8'),
        '102': ct('web server'),
        '103': ct('-bad'),
        '104': ct('a;rm -rf /'),
      }),
      [VM]: { vms: [vm(1001, 'x_y')] },
    },
  },
  syntax: {
    configs: {
      [LXC]: '{\n  "lxc_configs": {\n    "101": { "name": "a", }\n  }\n}\n',
      [VM]: '',
      [STACKS]: '{ "docker_stacks": { } } x',
    },
  },
  unknownKeys: {
    configs: {
      [LXC]: lxcFile(
        {
          '101': ct('a', {
            memroy_mb: 5,
            clone_from_ctd: '900',
            foo: 1,
            network_config: { gateway: '1.2.3.4' },
          }),
        },
        { lxc_config: {} },
      ),
      [HOST]: { domain_nam: 'x', network: { anything: 1 } },
    },
  },
  schemaErrors: {
    configs: {
      [LXC]: lxcFile({
        '101': {
          memory_mb: 'lots',
          cores: -1,
          unprivileged: 'yes',
          portainer_role: 'boss',
          features: [3],
        },
      }),
      [VM]: { vms: [{ name: 'x' }] },
    },
  },
};
