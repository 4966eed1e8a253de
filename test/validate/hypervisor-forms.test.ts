// Issue 10, item 6: every form the real hypervisor config has had is
// accepted (nameservers as a list or one space-separated string, dataset
// properties as "k=v,k=v", a list or an object); a form phx cannot read is
// an error naming its pointer. The real `phx validate` on a temp folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, HOST } from './rig.ts';
import { assertNoTrace, headers, validate } from './input-cli.ts';

const H = `configs/${HOST}`;

function host(network: unknown, properties: unknown): Record<string, unknown> {
  return {
    network: { interfaces: { name: 'vmbr0', dns_nameservers: network } },
    zfs: {
      pools: [{ name: 'tank', raid_level: 'single', disks: ['/dev/sdb'] }],
      datasets: [{ name: 'data', pool: 'tank', properties }],
    },
  };
}

const accepted: [string, unknown, unknown][] = [
  [
    'list nameservers, string properties',
    ['10.0.0.153', '8.8.8.8'],
    'recordsize=16K,compression=lz4',
  ],
  [
    'space-separated nameservers, list properties',
    '10.0.0.153  8.8.8.8',
    ['recordsize=16K', 'compression=lz4'],
  ],
  [
    'object properties',
    '10.0.0.153',
    { recordsize: '16K', compression: 'lz4', quota: 10, atime: false },
  ],
];

for (const [name, ns, props] of accepted) {
  test(`accepted: ${name}`, () => {
    const r = validate({ configs: { [HOST]: host(ns, props) } });
    assertNoTrace(r.stderr);
    assert.equal(headers(r.stderr), []);
    assert.is(r.code, 0, r.stderr);
  });
}

test('a nameserver given as a number is an error at its pointer', () => {
  const r = validate({ configs: { [HOST]: host(8, 'recordsize=16K') } });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  const h = headers(r.stderr);
  assert.is(h.length, 1, r.stderr);
  assert.match(h[0]!, `${H}:`);
  assert.match(h[0]!, ': error: /network/interfaces/dns_nameservers: expected a list of addresses');
});

test('unreadable property forms: each an error naming the pointer of the bad part', () => {
  const r = validate({
    configs: {
      [HOST]: {
        zfs: {
          pools: [{ name: 'tank', disks: ['/dev/sdb'] }],
          datasets: [
            { name: 'a', pool: 'tank', properties: 'recordsize=16K,compression' },
            { name: 'b', pool: 'tank', properties: ['recordsize=16K', 'sync'] },
            { name: 'c', pool: 'tank', properties: { 'Bad Name': 'x' } },
            { name: 'd', pool: 'tank', properties: 42 },
            { name: 'e', pool: 'tank', properties: { quota: { nested: 1 } } },
            { name: 'f', pool: 'tank', properties: 'recordsize=16K,compresion=lz4' },
            { name: 'g', pool: 'tank', properties: { 'phx:managed': 'sync' } },
            { name: 'h', pool: 'tank', properties: { 'com.example:owner': 'heads' } },
          ],
        },
      },
    },
  });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  const h = headers(r.stderr).map((l) => l.replace(/^[^ ]+ error: /, ''));
  assert.equal(h, [
    '/zfs/datasets/0/properties: "compression" is not a property: expected "name=value"',
    '/zfs/datasets/1/properties/1: "sync" is not a property: expected "name=value"',
    '/zfs/datasets/2/properties/Bad Name: "Bad Name" is not a ZFS property name (lower-case letters, digits, "_.:-")',
    '/zfs/datasets/3/properties: expected "name=value,name=value", a list of "name=value", or an object of name → value',
    '/zfs/datasets/4/properties: expected "name=value,name=value", a list of "name=value", or an object of name → value',
    `/zfs/datasets/5/properties: invalid property 'compresion' (did you mean "compression"?)`,
    "/zfs/datasets/6/properties/phx:managed: invalid property 'phx:managed': phx keeps its own list of the properties it set there",
  ]);
});

test.after(cleanup);
test.run();
