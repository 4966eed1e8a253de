// configs/ is the example project: the real Phoenix files' shapes, only keys
// the real entries use, the seed documents' topology, unique addresses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const CONFIGS = join(import.meta.dirname, '../../configs');
const FIXTURES = join(import.meta.dirname, '../fixtures/phoenix-real');
type Obj = Record<string, unknown>;
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Obj;

const lxc = read(join(CONFIGS, 'phoenix_lxc_configs.json'));
const vms = read(join(CONFIGS, 'phoenix_vm_configs.json'));
const stacks = read(join(CONFIGS, 'phoenix_stacks_config.json'));
const host = read(join(CONFIGS, 'phoenix_hypervisor_config.json'));
const cts = lxc.lxc_configs as Record<string, Obj>;
const vmList = vms.vms as Obj[];
const features = (e: Obj) =>
  ((e.features ?? []) as (string | { name: string })[]).map((f) =>
    typeof f === 'string' ? f : f.name,
  );

test('LXC and VM entries use only keys the real entries use', () => {
  const realCts = read(join(FIXTURES, 'phoenix_lxc_configs.json')).lxc_configs as Record<
    string,
    Obj
  >;
  const realVms = read(join(FIXTURES, 'phoenix_vm_configs.json')).vms as Obj[];
  const ctKeys = new Set(Object.values(realCts).flatMap((e) => Object.keys(e)));
  const vmKeys = new Set(realVms.flatMap((e) => Object.keys(e)));
  for (const [id, e] of Object.entries(cts))
    for (const k of Object.keys(e)) assert.ok(ctKeys.has(k), `CT ${id}: ${k}`);
  for (const e of vmList)
    for (const k of Object.keys(e)) assert.ok(vmKeys.has(k), `VM ${String(e.vmid)}: ${k}`);
});

test('the topology of the seed documents', () => {
  assert.equal(Object.keys(cts).sort(), [
    '101',
    '102',
    '103',
    '900',
    '901',
    '921',
    '950',
    '953',
    '955',
  ]);
  assert.equal(
    vmList.map((v) => v.vmid),
    [9000, 1001, 1002],
  );
  const clone = (id: string) => cts[id]!.clone_from_ctid;
  assert.is(cts['900']!.clone_from_ctid, undefined);
  assert.match(String(cts['900']!.template), /ubuntu-24\.04-standard.*\.tar\.zst$/);
  assert.equal(
    [clone('901'), clone('921'), clone('950'), clone('953'), clone('955')],
    ['900', '901', '921', '900', '901'],
  );
  assert.equal([clone('101'), clone('102'), clone('103')], ['900', '900', '900']);
  assert.equal(features(cts['900']!), ['base_setup']);
  assert.equal(features(cts['901']!), ['nvidia']);
  assert.equal(features(cts['921']!), ['vllm']);
  assert.equal(features(cts['953']!), ['nginx']);
  assert.equal(features(cts['955']!), ['ollama']);
  assert.ok(features(cts['103']!).includes('step_ca'));
  for (const id of ['900', '901', '921'])
    assert.is(cts[id]!.template_snapshot_name, 'final-form', id);
  for (const id of ['901', '950', '955']) assert.is(cts[id]!.gpu_assignment, '0', id);
  assert.is(cts['950']!.application_script, 'phoenix_hypervisor_lxc_vllm.sh');
  assert.is(cts['955']!.application_script, 'phoenix_hypervisor_lxc_955.sh');
  assert.equal(cts['101']!.dependencies, ['103']);
  assert.equal(cts['102']!.dependencies, ['103']);
  const [t, portainer, drphoenix] = vmList as [Obj, Obj, Obj];
  assert.is(t.is_template, true);
  assert.is(t.template_image, 'noble-server-cloudimg-amd64.img');
  assert.is(t.template_snapshot_name, 'final-form');
  assert.is(portainer.clone_from_vmid, 9000);
  assert.is(portainer.portainer_role, 'primary');
  assert.equal(portainer.docker_stacks, ['portainer_service']);
  assert.is(drphoenix.portainer_role, 'agent');
  assert.equal(drphoenix.docker_stacks, [{ name: 'qdrant_service', environment: 'production' }]);
  assert.equal(Object.keys(stacks.docker_stacks as Obj).sort(), [
    'portainer_service',
    'qdrant_service',
  ]);
});

test('application scripts and features named in the configs exist', () => {
  const all = [...Object.values(cts), ...vmList];
  for (const e of all) {
    for (const f of features(e)) readFileSync(join(CONFIGS, '../features', f, 'install.sh'));
    if (typeof e.application_script === 'string')
      readFileSync(join(CONFIGS, '../features/apps', e.application_script));
  }
});

test('IPs and MACs are unique and inside 10.0.0.0/24', () => {
  const ips = [...Object.values(cts), ...vmList]
    .map((e) => String((e.network_config as Obj).ip))
    .filter((ip) => ip !== 'dhcp');
  assert.is(new Set(ips).size, ips.length, ips.join(' '));
  for (const ip of ips)
    assert.match(ip, /^10\.0\.0\.([1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-4])\/24$/);
  const macs = Object.values(cts).map((e) => String(e.mac_address).toLowerCase());
  assert.is(new Set(macs).size, macs.length);
});

test('secrets are references, not plaintext', () => {
  assert.is((host.portainer_api as Obj).admin_password, 'env:PHX_PORTAINER_PASSWORD');
});

test.run();
