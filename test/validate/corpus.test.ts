// Exact diagnostics of the broken-config corpus (corpus.ts), one test per
// check: the rendered header names file:line:col, the JSON pointer and the
// message, and the list is sorted by file then position.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cases } from './corpus.ts';
import { cleanup, headers, load } from './rig.ts';

test('clone source not defined', async () => {
  assert.equal(await headers(cases['cloneMissing']!), [
    'configs/phoenix_lxc_configs.json:7:26: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined',
  ]);
});

test('clone source of the other kind', async () => {
  assert.equal(await headers(cases['cloneKind']!), [
    'configs/phoenix_lxc_configs.json:7:26: error: /lxc_configs/950/clone_from_ctid: CT 950 clones 9000, which is a VM (configs/phoenix_vm_configs.json:3:5): a CT can only clone a CT',
  ]);
});

test('clone cycle names every edge', async () => {
  assert.equal(await headers(cases['cloneCycle']!), [
    'configs/phoenix_lxc_configs.json:7:26: error: /lxc_configs/900/clone_from_ctid: clone cycle: 900 clones 912, 912 clones 901, 901 clones 900',
  ]);
});

test('dependency cycle across CTs and VMs', async () => {
  assert.equal(await headers(cases['depCycle']!), [
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/dependencies/0: dependency cycle: 101 depends on 102, 102 depends on 1001, 1001 depends on 101',
  ]);
});

test('unknown dependency id', async () => {
  assert.equal(await headers(cases['depUnknown']!), [
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/dependencies/0: no CT or VM has id 1003 (did you mean "1002"?)',
  ]);
});

test('a CT and a VM with one id', async () => {
  assert.equal(await headers(cases['sameId']!), [
    'configs/phoenix_vm_configs.json:4:15: error: /vms/0/vmid: VM 1001 has the same id as CT 1001 (configs/phoenix_lxc_configs.json:3:13): containers and VMs share one id space',
    'configs/phoenix_vm_configs.json:8:15: error: /vms/1/vmid: VM 1001 has the same id as CT 1001 (configs/phoenix_lxc_configs.json:3:13): containers and VMs share one id space',
  ]);
});

test('ids outside 100..999999999 and non-numeric CTIDs', async () => {
  assert.equal(await headers(cases['range']!), [
    'configs/phoenix_lxc_configs.json:3:5: error: /lxc_configs/99: CT 99: ids must be between 100 and 999999999',
    'configs/phoenix_lxc_configs.json:8:5: error: /lxc_configs/abc: CTID "abc" is not a number',
    'configs/phoenix_vm_configs.json:4:15: error: /vms/0/vmid: VM 1000000000: ids must be between 100 and 999999999',
  ]);
});

test('duplicate IP (dhcp aside, prefix ignored)', async () => {
  assert.equal(await headers(cases['dupIp']!), [
    'configs/phoenix_vm_configs.json:7:15: error: /vms/0/network_config/ip: IP 10.0.0.5 is also used by CT 101',
  ]);
});

test('duplicate and malformed MACs', async () => {
  assert.equal(await headers(cases['dupMac']!), [
    'configs/phoenix_lxc_configs.json:13:22: error: /lxc_configs/102/mac_address: MAC address 52:54:00:aa:bb:cc is also used by CT 101',
    'configs/phoenix_lxc_configs.json:19:22: error: /lxc_configs/103/mac_address: malformed MAC address "53:54:00:aa:bb:cc": expected a unicast address like 52:54:00:12:34:56',
  ]);
});

test('malformed IP and gateway', async () => {
  assert.equal(await headers(cases['badIp']!), [
    'configs/phoenix_lxc_configs.json:8:15: error: /lxc_configs/101/network_config/ip: malformed IP "10.0.0.256/24": expected an IPv4 address with a prefix length like 10.0.0.5/24, or dhcp',
    'configs/phoenix_lxc_configs.json:9:15: error: /lxc_configs/101/network_config/gw: malformed gateway "10.0.0.1/24": expected an IPv4 address like 10.0.0.1',
    'configs/phoenix_lxc_configs.json:17:15: error: /lxc_configs/102/network_config/ip: malformed IP "10.0.0.7": expected an IPv4 address with a prefix length like 10.0.0.5/24, or dhcp',
  ]);
});

test('malformed gpu_assignment', async () => {
  assert.equal(await headers(cases['badGpu']!), [
    'configs/phoenix_lxc_configs.json:7:25: error: /lxc_configs/101/gpu_assignment: malformed gpu_assignment "all": expected "none" or GPU indices like "0,1"',
    'configs/phoenix_lxc_configs.json:13:25: error: /lxc_configs/102/gpu_assignment: expected "none" or GPU indices like "0,1"',
  ]);
});

test('unknown feature, with did-you-mean and helper folders', async () => {
  assert.equal(await headers(cases['unknownFeature']!), [
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/features/0: unknown feature "nvida" (did you mean "nvidia"?)',
    'configs/phoenix_lxc_configs.json:9:9: error: /lxc_configs/101/features/1: unknown feature "helpers" (features/helpers has no install.sh)',
  ]);
});

test('feature targets exclude the guest kind', async () => {
  assert.equal(await headers(cases['featureTarget']!), [
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/features/0: feature docker does not support CTs (its feature.json says targets: ["vm"])',
    'configs/phoenix_vm_configs.json:7:9: error: /vms/0/features/0: feature nvidia does not support VMs (its feature.json says targets: ["lxc"])',
  ]);
});

test('missing application script, path instead of a name', async () => {
  assert.equal(await headers(cases['appMissing']!), [
    'configs/phoenix_lxc_configs.json:7:29: error: /lxc_configs/101/application_script: application script features/apps/x.sh does not exist',
    'configs/phoenix_lxc_configs.json:13:29: error: /lxc_configs/102/application_script: application_script must be a file name in features/apps, not a path: "../x.sh"',
  ]);
});

test('requires met through clone ancestors, not after the feature', async () => {
  assert.equal(await headers(cases['requires']!), [
    'configs/phoenix_lxc_configs.json:18:9: error: /lxc_configs/802/features/0: feature vllm requires nvidia, which is not installed before it in CT 802 or its clone sources 900',
  ]);
});

test('consumes names missing producers', async () => {
  assert.equal(await headers(cases['consumes']!), [
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/features/0: feature trusted_ca consumes lxc/103/app, but CT 103 is not defined',
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/features/0: feature trusted_ca consumes lxc/102/app, but CT 102 has no application_script',
    'configs/phoenix_lxc_configs.json:8:9: error: /lxc_configs/101/features/0: feature trusted_ca consumes stack/nope, but stack nope is not defined',
    'configs/phoenix_lxc_configs.json:9:9: error: /lxc_configs/101/features/1: feature needs_feature consumes lxc/102/feature/step_ca, but CT 102 has no feature step_ca',
    'configs/phoenix_lxc_configs.json:9:9: error: /lxc_configs/101/features/1: feature needs_feature consumes vm/102/app, but VM 102 is not defined',
  ]);
});

test('unknown docker stacks and environments', async () => {
  assert.equal(await headers(cases['stacks']!), [
    'configs/phoenix_vm_configs.json:7:9: error: /vms/0/docker_stacks/0: unknown docker stack "qdrant_servce" (did you mean "qdrant_service"?)',
    'configs/phoenix_vm_configs.json:8:9: error: /vms/0/docker_stacks/1: docker stack qdrant_service has no environment "testing" (did you mean "testng"?)',
  ]);
});

test('snapshot names Proxmox refuses', async () => {
  assert.equal(await headers(cases['snapshot']!), [
    'configs/phoenix_lxc_configs.json:13:33: error: /lxc_configs/102/template_snapshot_name: snapshot name "2nd" is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most 40 characters',
    'configs/phoenix_lxc_configs.json:19:33: error: /lxc_configs/103/template_snapshot_name: snapshot name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most 40 characters',
    'configs/phoenix_lxc_configs.json:25:33: error: /lxc_configs/104/template_snapshot_name: snapshot names starting with "phx-" are reserved for phx\'s layer snapshots',
    'configs/phoenix_lxc_configs.json:31:33: error: /lxc_configs/105/template_snapshot_name: snapshot name "has space" is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most 40 characters',
  ]);
});

test('names that are not hostnames', async () => {
  assert.equal(await headers(cases['hostname']!), [
    'configs/phoenix_lxc_configs.json:9:15: error: /lxc_configs/102/name: name "web server" is not a valid hostname: use letters, digits and "-", in dot-separated labels of at most 63 characters',
    'configs/phoenix_lxc_configs.json:14:15: error: /lxc_configs/103/name: name "-bad" is not a valid hostname: use letters, digits and "-", in dot-separated labels of at most 63 characters',
    'configs/phoenix_lxc_configs.json:19:15: error: /lxc_configs/104/name: name "a;rm -rf /" is not a valid hostname: use letters, digits and "-", in dot-separated labels of at most 63 characters',
    'configs/phoenix_vm_configs.json:5:15: error: /vms/0/name: name "x_y" is not a valid hostname: use letters, digits and "-", in dot-separated labels of at most 63 characters',
  ]);
});

test('JSON syntax errors and an empty file', async () => {
  assert.equal(await headers(cases['syntax']!), [
    'configs/phoenix_lxc_configs.json:3:27: error: JSON syntax error: property name expected',
    'configs/phoenix_stacks_config.json:1:26: error: JSON syntax error: invalid symbol',
    'configs/phoenix_vm_configs.json:1:1: error: empty file: expected a JSON object',
  ]);
});

test('unknown keys are warnings with did-you-mean', async () => {
  assert.equal(await headers(cases['unknownKeys']!), [
    'configs/phoenix_hypervisor_config.json:2:3: warning: /domain_nam: unknown key "domain_nam" (did you mean "domain_name"?)',
    'configs/phoenix_lxc_configs.json:2:3: warning: /lxc_config: unknown key "lxc_config" (did you mean "lxc_configs"?)',
    'configs/phoenix_lxc_configs.json:8:7: warning: /lxc_configs/101/memroy_mb: unknown key "memroy_mb" (did you mean "memory_mb"?)',
    'configs/phoenix_lxc_configs.json:9:7: warning: /lxc_configs/101/clone_from_ctd: unknown key "clone_from_ctd" (did you mean "clone_from_ctid"?)',
    'configs/phoenix_lxc_configs.json:10:7: warning: /lxc_configs/101/foo: unknown key "foo"',
    'configs/phoenix_lxc_configs.json:12:9: warning: /lxc_configs/101/network_config/gateway: unknown key "gateway"',
  ]);
});

test('schema errors: required, types, ranges, enums', async () => {
  assert.equal(await headers(cases['schemaErrors']!), [
    'configs/phoenix_lxc_configs.json:3:12: error: /lxc_configs/101/name: missing required key "name"',
    'configs/phoenix_lxc_configs.json:4:20: error: /lxc_configs/101/memory_mb: expected an integer (a number or a string of digits)',
    'configs/phoenix_lxc_configs.json:5:16: error: /lxc_configs/101/cores: must be at least 1',
    'configs/phoenix_lxc_configs.json:6:23: error: /lxc_configs/101/unprivileged: expected boolean, got string',
    'configs/phoenix_lxc_configs.json:7:25: error: /lxc_configs/101/portainer_role: expected one of "server", "agent", "none", "infrastructure"',
    'configs/phoenix_lxc_configs.json:9:9: error: /lxc_configs/101/features/0: expected a feature name or { "name": …, "params": {…} }',
    'configs/phoenix_vm_configs.json:3:5: error: /vms/0/vmid: missing required key "vmid"',
  ]);
});

test('--strict turns every warning into an error and the project is rejected', async () => {
  assert.equal(await headers(cases['unknownKeys']!, true), [
    'configs/phoenix_hypervisor_config.json:2:3: error: /domain_nam: unknown key "domain_nam" (did you mean "domain_name"?)',
    'configs/phoenix_lxc_configs.json:2:3: error: /lxc_config: unknown key "lxc_config" (did you mean "lxc_configs"?)',
    'configs/phoenix_lxc_configs.json:8:7: error: /lxc_configs/101/memroy_mb: unknown key "memroy_mb" (did you mean "memory_mb"?)',
    'configs/phoenix_lxc_configs.json:9:7: error: /lxc_configs/101/clone_from_ctd: unknown key "clone_from_ctd" (did you mean "clone_from_ctid"?)',
    'configs/phoenix_lxc_configs.json:10:7: error: /lxc_configs/101/foo: unknown key "foo"',
    'configs/phoenix_lxc_configs.json:12:9: error: /lxc_configs/101/network_config/gateway: unknown key "gateway"',
  ]);
  assert.is((await load(cases['unknownKeys']!, true)).project, undefined);
  assert.ok((await load(cases['unknownKeys']!)).project, 'warnings alone leave the project valid');
});

test.after(cleanup);
test.run();
