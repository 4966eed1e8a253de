import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cloneArgv,
  createArgv,
  ostypeOf,
  unprivilegedMismatch,
} from '../../src/backends/proxmox/create-args.ts';
import type { GuestId } from '../../src/core/ids.ts';
import { fixtureGuest } from './fixture-guests.ts';

test('create: 900 from its absolute template path', () => {
  const r = createArgv(fixtureGuest(900));
  assert.ok(r.ok);
  assert.equal(r.value, [
    'pct',
    'create',
    '900',
    '/fastData/shared-iso/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
    '--hostname',
    'Copy-Base',
    '--storage',
    'quickOS-lxc-disks',
    '--rootfs',
    'quickOS-lxc-disks:16',
    '--unprivileged',
    '1',
    '--ostype',
    'ubuntu',
  ]);
});

test('create: a storage:vztmpl volid is passed as is; privileged is 0', () => {
  const r = createArgv(
    fixtureGuest(900, (e) => {
      e.template = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
      e.unprivileged = false;
    }),
  );
  assert.ok(r.ok);
  assert.is(r.value[3], 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst');
  assert.equal(r.value.slice(-4), ['--unprivileged', '0', '--ostype', 'debian']);
});

test('create: an unknown distribution leaves --ostype to pct', () => {
  assert.is(ostypeOf('/x/custom-image.tar.zst'), undefined);
});

test('create: bad values are rejected, never a command', () => {
  const bad = createArgv(
    fixtureGuest(900, (e) => {
      e.template = 'rel/path.tar.zst';
      e.storage_pool = 'bad pool';
      e.name = 'no spaces allowed';
    }),
  );
  assert.not.ok(bad.ok);
  if (!bad.ok) {
    assert.match(bad.error, /template "rel\/path.tar.zst"/);
    assert.match(bad.error, /storage_pool "bad pool"/);
    assert.match(bad.error, /name "no spaces allowed"/);
  }
  const noTemplate = createArgv(fixtureGuest(901));
  assert.not.ok(noTemplate.ok);
});

test('clone: 901 from 900 final-form, full, on its storage', () => {
  const r = cloneArgv(900 as GuestId, 'final-form', fixtureGuest(901));
  assert.ok(r.ok);
  assert.equal(r.value, [
    'pct',
    'clone',
    '900',
    '901',
    '--snapname',
    'final-form',
    '--hostname',
    'Copy-Cuda12.8',
    '--full',
    '1',
    '--storage',
    'quickOS-lxc-disks',
  ]);
});

test('clone: a bad snapshot name is rejected', () => {
  assert.not.ok(cloneArgv(900 as GuestId, '1-bad name', fixtureGuest(901)).ok);
  assert.not.ok(cloneArgv(900 as GuestId, 'a'.repeat(41), fixtureGuest(901)).ok);
});

test('clone: unprivileged must match the source (PVE cannot change it later)', () => {
  assert.is(unprivilegedMismatch('1', fixtureGuest(901)), undefined);
  assert.match(
    unprivilegedMismatch(undefined, fixtureGuest(901)) ?? '',
    /cannot change this after creation/,
  );
  assert.is(
    unprivilegedMismatch(
      undefined,
      fixtureGuest(901, (e) => (e.unprivileged = false)),
    ),
    undefined,
  );
});

test.run();
