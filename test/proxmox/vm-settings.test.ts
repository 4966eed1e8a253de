// VM settings from the entry and their reconcile against a live config
// (pure): the second apply is a no-op, an unpinned MAC is Proxmox's, keys the
// entry drops are deleted, disks only grow, and the cloud-init drive is
// regenerated only when a value it carries changed (never on a template).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConf } from '../../src/backends/proxmox/conf-file.ts';
import {
  desiredVmSettings,
  reconcileVm,
  type DesiredVmSettings,
} from '../../src/backends/proxmox/vm-settings.ts';
import { clone, makeVm, template } from './vm-sequence.ts';

function desired(g = clone): DesiredVmSettings {
  const d = desiredVmSettings(g);
  if (!d.ok) throw new Error(d.error);
  return d.value;
}

const live = (lines: string[]) => parseConf(`${lines.join('\n')}\n`);

const cloneLive = [
  'agent: 1',
  'ciuser: phoenix_user',
  'cores: 4',
  'ide2: quickOS-vm-disks:vm-1001-cloudinit,media=cdrom',
  'ipconfig0: ip=10.0.0.111/24,gw=10.0.0.1',
  'memory: 8192',
  'name: Portainer',
  'nameserver: 10.0.0.13',
  'net0: virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1',
  'onboot: 1',
  'scsi0: quickOS-vm-disks:vm-1001-disk-0,size=32G',
  'smbios1: uuid=0b8e1d7c-0000-4000-8000-000000000000',
  'sshkeys: ssh-ed25519%20AAAAC3Nz%20phx%40test%0A',
  'startup: order=4,up=2,down=2',
];

test('the entry maps to qm keys', () => {
  assert.equal(desired().options, {
    name: 'Portainer',
    memory: '8192',
    cores: '4',
    net0: 'virtio,bridge=vmbr0,firewall=1',
    ipconfig0: 'ip=10.0.0.111/24,gw=10.0.0.1',
    nameserver: '10.0.0.13',
    ciuser: 'phoenix_user',
    sshkeys: 'ssh-ed25519%20AAAAC3Nz%20phx%40test%0A',
    onboot: '1',
    startup: 'order=4,up=2,down=2',
    agent: '1',
  });
  assert.is(desired().diskSizeGb, 32);
});

test('a config that already says it all: no change, whatever MAC Proxmox chose', () => {
  const plan = reconcileVm(desired(), live(cloneLive));
  assert.equal([plan.set, plan.delete, plan.resizeGb, plan.cloudinit], [[], [], undefined, false]);
});

test('a pinned MAC that differs is set; an undeclared managed key is deleted; unmanaged keys stay', () => {
  const d = desired({
    ...clone,
    config: { ...clone.config, mac_address: 'bc:24:11:00:00:01' },
  });
  const plan = reconcileVm(d, live([...cloneLive, 'searchdomain: old.lan']));
  assert.equal(plan.set, [['net0', 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1']]);
  assert.equal(plan.delete, ['searchdomain']);
  assert.is(plan.cloudinit, true, 'net0 and searchdomain are cloud-init values');
});

test('disks grow, never shrink; a memory change needs no cloud-init update', () => {
  const small = cloneLive.map((l) =>
    l.startsWith('scsi0') ? 'scsi0: x:vm-1001-disk-0,size=3584M' : l,
  );
  assert.is(reconcileVm(desired(), live(small)).resizeGb, 32);
  const big = cloneLive.map((l) =>
    l.startsWith('scsi0') ? 'scsi0: x:vm-1001-disk-0,size=64G' : l,
  );
  const plan = reconcileVm(desired(), live(big));
  assert.is(plan.resizeGb, undefined);
  assert.match(plan.notes.join('\n'), /disks only grow/);
  const mem = cloneLive.map((l) => (l.startsWith('memory') ? 'memory: 4096' : l));
  const m = reconcileVm(desired(), live(mem));
  assert.equal([m.set, m.cloudinit], [[['memory', '8192']], false]);
});

test('a template gets no cloud-init update; bad values are one rejection naming the VM', () => {
  const t = live(['template: 1', 'ide2: p:vm-9000-cloudinit,media=cdrom', 'name: x']);
  const plan = reconcileVm(desired(template), t);
  assert.ok(plan.set.some(([k]) => k === 'ipconfig0'));
  assert.is(plan.cloudinit, false);
  const bad = desiredVmSettings(
    makeVm(1009, { network_config: { ip: '10.0.0.5', gw: 'x' } }, { name: 'bad name' }),
  );
  assert.equal(bad.ok ? '' : bad.error.split('; ').length, 3);
  assert.match(bad.ok ? '' : bad.error, /^VM 1009: name "bad name" is not a valid DNS name/);
});

test.run();
