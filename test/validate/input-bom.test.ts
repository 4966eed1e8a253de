// Issue 9, item 5: a UTF-8 byte order mark (Windows editors write one) used
// to be "invalid symbol" at 1:1. It is accepted, and columns stay as an
// editor counts them; a UTF-16 file is refused by name.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, LXC, workspace } from './rig.ts';
import { assertNoTrace, headers, validate, validateIn } from './input-cli.ts';

const L = 'configs/phoenix_lxc_configs.json';
const BOM = '\uFEFF';
const valid = '{ "lxc_configs": { "103": { "name": "a", "memory_mb": 1024, "cores": 1 } } }\n';
const broken =
  '{ "lxc_configs": { "950": { "name": "a", "memory_mb": 1024, "cores": 1, "clone_from_ctid": "999" } } }\n';

test('a UTF-8 BOM is accepted', () => {
  const r = validate({ configs: { [LXC]: BOM + valid } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, 'valid: 1 guest, 0 stacks, 0 features\n');
});

test('after a BOM, line 1 columns are the same as without it, and the shown line has no BOM', () => {
  const without = validate({ configs: { [LXC]: broken } });
  const withBom = validate({ configs: { [LXC]: BOM + broken } });
  assert.is(withBom.code, 1, withBom.stderr);
  assert.equal(headers(withBom.stderr), [
    `${L}:1:92: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined`,
  ]);
  assert.is(withBom.stderr, without.stderr);
  assert.not.ok(withBom.stderr.includes(BOM));
});

test('a UTF-16 file is refused by name, at 1:1, without a trace', () => {
  for (const [name, bytes] of [
    ['little-endian', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')])],
    [
      'big-endian',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid, 'utf16le').swap16()]),
    ],
  ] as const) {
    const root = workspace({});
    writeFileSync(join(root, 'configs', LXC), bytes);
    const r = validateIn(root);
    assert.is(r.code, 1, `${name}: ${r.stderr}`);
    assertNoTrace(r.stderr);
    assert.equal(headers(r.stderr), [
      `${L}:1:1: error: the file is UTF-16 encoded (it starts with a UTF-16 byte order mark): save it as UTF-8`,
    ]);
  }
});

test.after(cleanup);
test.run();
