// Issue 9, item 5: "__proto__", "constructor", "toString" and other names of
// Object.prototype members are plain keys. An entry keyed "__proto__" used to
// vanish (zod builds records by assignment, which sets the prototype); now it
// is refused as a CTID, at its key, like any other bad id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mapSecrets } from '../../src/model/secret-keys.ts';
import { cleanup, LXC, STACKS, VM } from './rig.ts';
import { assertNoTrace, headers, validate } from './input-cli.ts';

const L = 'configs/phoenix_lxc_configs.json';
const V = 'configs/phoenix_vm_configs.json';

test('entries keyed __proto__, constructor, toString: each refused as a CTID at its key', () => {
  const r = validate({
    configs: {
      [LXC]: `{
  "lxc_configs": {
    "__proto__": { "name": "a", "memory_mb": 1024, "cores": 1 },
    "constructor": { "name": "b", "memory_mb": 1024, "cores": 1 },
    "toString": { "name": "c", "memory_mb": 1024, "cores": 1 },
    "103": { "name": "d", "memory_mb": 1024, "cores": 1 }
  }
}
`,
    },
  });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  assert.equal(headers(r.stderr), [
    `${L}:3:5: error: /lxc_configs/__proto__: CTID "__proto__" is not a number`,
    `${L}:4:5: error: /lxc_configs/constructor: CTID "constructor" is not a number`,
    `${L}:5:5: error: /lxc_configs/toString: CTID "toString" is not a number`,
  ]);
  assert.ok(r.stderr.endsWith('invalid: 3 errors\n'), r.stderr.slice(-200));
});

test('prototype names as keys inside an entry are unknown keys, located like any other', () => {
  const r = validate({
    configs: {
      [LXC]: `{
  "lxc_configs": {
    "103": {
      "name": "a", "memory_mb": 1024, "cores": 1,
      "__proto__": { "memory_mb": 1 },
      "hasOwnProperty": 1
    }
  }
}
`,
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(headers(r.stderr), [
    `${L}:5:7: warning: /lxc_configs/103/__proto__: unknown key "__proto__"`,
    `${L}:6:7: warning: /lxc_configs/103/hasOwnProperty: unknown key "hasOwnProperty"`,
  ]);
  assert.ok(r.stderr.endsWith('valid: 1 guest, 0 stacks, 0 features, 2 warnings\n'), r.stderr);
});

test('a stack named __proto__ is a stack; references to prototype names are unknown stacks', () => {
  const r = validate({
    configs: {
      [STACKS]: {
        docker_stacks: JSON.parse(
          '{"__proto__": {"environments": {"production": {}}}, "web": {"environments": {"production": {}}}}',
        ) as unknown,
      },
      [VM]: `{
  "vms": [
    {
      "vmid": 8001,
      "name": "v",
      "docker_stacks": ["__proto__", "web", "constructor", "toString"]
    }
  ]
}
`,
    },
  });
  assert.is(r.code, 1, r.stderr);
  assert.equal(headers(r.stderr), [
    `${V}:6:45: error: /vms/0/docker_stacks/2: unknown docker stack "constructor"`,
    `${V}:6:60: error: /vms/0/docker_stacks/3: unknown docker stack "toString"`,
  ]);
});

test('the secrets walk keeps an entry\'s "__proto__" member as data, not as its prototype', () => {
  const config = JSON.parse('{"name": "a", "__proto__": {"storage_pool": "elsewhere"}}') as unknown;
  const out = mapSecrets(config, (leaf) => leaf) as Record<string, unknown>;
  assert.equal(Object.keys(out), ['name', '__proto__']);
  assert.is(out['storage_pool'], undefined);
  assert.is(Object.getPrototypeOf(out), Object.prototype);
});

test.after(cleanup);
test.run();
