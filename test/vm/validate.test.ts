// Validation of VM entries (issue 11 item 5), as rendered: a clone of a
// missing VM names the VM and its key (its pointer is only an array index),
// a VM and a CT with one id or a clone across kinds name both entries with
// their places, a feature on the wrong kind is refused at its list item,
// and a template_image must be a plain file name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ct, headers, LXC, lxcFile, VM, vm } from '../validate/rig.ts';

test('a clone of a missing VM names the VM, the key and the id', async () => {
  assert.equal(
    await headers({
      configs: {
        [VM]: {
          vms: [
            vm(9000, 't', { template_image: 'a.img' }),
            vm(1001, 'p', { clone_from_vmid: 9999 }),
          ],
        },
      },
    }),
    [
      'configs/phoenix_vm_configs.json:11:26: error: /vms/1/clone_from_vmid: VM 1001: clone_from_vmid 9999 is not defined',
    ],
  );
});

test('a VM cloning a CT names both, the CT with its place', async () => {
  assert.equal(
    await headers({
      configs: {
        [LXC]: lxcFile({ '900': ct('base') }),
        [VM]: { vms: [vm(1001, 'p', { clone_from_vmid: 900 })] },
      },
    }),
    [
      'configs/phoenix_vm_configs.json:6:26: error: /vms/0/clone_from_vmid: VM 1001 clones 900, which is a CT (configs/phoenix_lxc_configs.json:3:12): a VM can only clone a VM',
    ],
  );
});

test('a VM and a CT with one id name both entries', async () => {
  assert.equal(
    await headers({
      configs: {
        [LXC]: lxcFile({ '9000': ct('base') }),
        [VM]: { vms: [vm(9000, 't', { template_image: 'a.img' })] },
      },
    }),
    [
      'configs/phoenix_vm_configs.json:4:15: error: /vms/0/vmid: VM 9000 has the same id as CT 9000 (configs/phoenix_lxc_configs.json:3:13): containers and VMs share one id space',
    ],
  );
});

test('a CT-only feature listed by a VM is refused at the list item', async () => {
  assert.equal(
    await headers({
      configs: {
        [VM]: { vms: [vm(9000, 't', { template_image: 'a.img', features: ['nvidia'] })] },
      },
      features: { nvidia: { manifest: { targets: ['lxc'] } } },
    }),
    [
      'configs/phoenix_vm_configs.json:8:9: error: /vms/0/features/0: feature nvidia does not support VMs (its feature.json says targets: ["lxc"])',
    ],
  );
});

test('a template_image that is a path is refused', async () => {
  assert.equal(
    await headers({
      configs: { [VM]: { vms: [vm(9000, 't', { template_image: '../../etc/shadow' })] } },
    }),
    [
      `configs/phoenix_vm_configs.json:6:25: error: /vms/0/template_image: VM 9000: template_image "../../etc/shadow" must be a file name (letters, digits, . _ + -, not starting with a dot), looked up in phoenix.build.ts images or the configs folder's images/`,
    ],
  );
});

test.run();
