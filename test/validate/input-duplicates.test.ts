// Issue 9, item 5: a key given twice in one object is an error naming both
// lines. JSON.parse keeps the last silently, so a duplicated "103" entry
// used to hide the first and validate said "valid".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, LXC } from './rig.ts';
import { assertNoTrace, headers, validate } from './input-cli.ts';

const L = 'configs/phoenix_lxc_configs.json';
const lost = 'JSON readers keep only the last, so the first would be silently lost';

test('a duplicated "103" entry: an error at the second, naming both lines', () => {
  const r = validate({
    configs: {
      [LXC]: `{
  "lxc_configs": {
    "103": { "name": "dns", "memory_mb": 1024, "cores": 1 },
    "104": { "name": "web", "memory_mb": 1024, "cores": 1 },
    "103": { "name": "db", "memory_mb": 1024, "cores": 1 }
  }
}
`,
    },
  });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  assert.equal(r.stderr.split('\n'), [
    `${L}:5:5: error: /lxc_configs/103: key "103" is given twice, on lines 3 and 5: ${lost}`,
    ' 5 |     "103": { "name": "db", "memory_mb": 1024, "cores": 1 }',
    '   |     ^',
    'invalid: 1 error',
    '',
  ]);
});

test('duplicates at any depth, each later copy named against the first; escapes compare decoded', () => {
  const r = validate({
    configs: {
      [LXC]: `{
  "lxc_configs": {
    "103": {
      "name": "dns",
      "memory_mb": 1024,
      "cores": 1,
      "memory_mb": 2048,
      "network_config": { "ip": "10.0.0.3/24", "ip": "10.0.0.4/24" },
      "\\u006demory_mb": 4096
    }
  }
}
`,
    },
  });
  assert.is(r.code, 1, r.stderr);
  assert.equal(headers(r.stderr), [
    `${L}:7:7: error: /lxc_configs/103/memory_mb: key "memory_mb" is given twice, on lines 5 and 7: ${lost}`,
    `${L}:8:48: error: /lxc_configs/103/network_config/ip: key "ip" is given twice, on line 8: ${lost}`,
    `${L}:9:7: error: /lxc_configs/103/memory_mb: key "memory_mb" is given twice, on lines 5 and 9: ${lost}`,
  ]);
  assert.ok(r.stderr.endsWith('invalid: 3 errors\n'), r.stderr.slice(-200));
});

test('the same key in different objects, and in strings, is no duplicate', () => {
  const r = validate({
    configs: {
      [LXC]: `{
  "lxc_configs": {
    "103": { "name": "a", "memory_mb": 1024, "cores": 1, "description": "\\"name\\": \\"b\\", name: 1" },
    "104": { "name": "b", "memory_mb": 1024, "cores": 1 }
  }
}
`,
    },
  });
  assert.is(r.code, 0, r.stderr);
});

test('--json: code duplicate-key, at the later key', () => {
  const r = validate(
    {
      configs: {
        [LXC]:
          '{ "lxc_configs": {\n "103": { "name": "a", "memory_mb": 1, "cores": 1 },\n "103": {} } }\n',
      },
    },
    ['--json'],
  );
  assert.is(r.code, 1, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics, [
    {
      severity: 'error',
      file: L,
      line: 3,
      column: 2,
      pointer: '/lxc_configs/103',
      message: `key "103" is given twice, on lines 2 and 3: ${lost}`,
      code: 'duplicate-key',
    },
  ]);
});

test.after(cleanup);
test.run();
