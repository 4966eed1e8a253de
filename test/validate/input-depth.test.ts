// Issue 9, item 5: nesting is limited to MAX_DEPTH levels before any
// recursive parser runs. JSON nested 10,000 deep used to end in "internal
// error: RangeError" and a stack; now it is one located error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_DEPTH } from '../../src/model/parse/structure.ts';
import { cleanup, LXC } from './rig.ts';
import { assertNoTrace, headers, validate } from './input-cli.ts';

const L = 'configs/phoenix_lxc_configs.json';
const PREFIX =
  '{\n  "lxc_configs": {\n    "900": {\n      "name": "a", "memory_mb": 1024, "cores": 1,\n      "vllm_engine_config": { "a": ';
// Levels before the arrays: the root, lxc_configs, 900 and vllm_engine_config.
const OUTER = 4;

/** A valid CT whose vllm_engine_config (any JSON) holds `arrays` nested arrays. */
function nested(arrays: number, close = true): string {
  const tail = close ? ']'.repeat(arrays) + ' }\n    }\n  }\n}\n' : '';
  return PREFIX + '['.repeat(arrays) + tail;
}

const message = `nested deeper than ${MAX_DEPTH} levels: phx reads configs at most ${MAX_DEPTH} levels deep`;
const column = PREFIX.split('\n').at(-1)!.length + 1;

/** Pointer of the array that opens level MAX_DEPTH + 1. */
const pointer = '/lxc_configs/900/vllm_engine_config/a' + '/0'.repeat(MAX_DEPTH - OUTER);

test('10,000 levels: one error at the bracket that goes too deep, with its pointer', () => {
  const r = validate({ configs: { [LXC]: nested(10_000) } });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  assert.equal(headers(r.stderr), [
    `${L}:5:${column + MAX_DEPTH - OUTER}: error: ${pointer}: ${message}`,
  ]);
  assert.ok(r.stderr.endsWith('invalid: 1 error\n'), r.stderr.slice(-300));
  // The 20,000-character line is shown as a window around the caret, marked with "…".
  const [, source, caret] = r.stderr.split('\n');
  assert.ok(source!.startsWith(' 5 | …') && source!.endsWith('…'), source);
  assert.ok(source!.length < 200, `${source!.length} characters`);
  assert.is(source![caret!.indexOf('^')], '[');
});

test('10,000 levels that never close (invalid JSON too): the same located error, no trace', () => {
  const r = validate({ configs: { [LXC]: nested(10_000, false) } });
  assert.is(r.code, 1, r.stderr);
  assertNoTrace(r.stderr);
  assert.equal(headers(r.stderr), [
    `${L}:5:${column + MAX_DEPTH - OUTER}: error: ${pointer}: ${message}`,
  ]);
});

test(`exactly ${MAX_DEPTH} levels are accepted; one more is refused`, () => {
  const atLimit = validate({ configs: { [LXC]: nested(MAX_DEPTH - OUTER) } });
  assert.is(atLimit.code, 0, atLimit.stderr);
  const over = validate({ configs: { [LXC]: nested(MAX_DEPTH - OUTER + 1) } });
  assert.is(over.code, 1, over.stderr);
  assert.equal(headers(over.stderr), [
    `${L}:5:${column + MAX_DEPTH - OUTER}: error: ${pointer}: ${message}`,
  ]);
});

test('brackets inside strings do not count as nesting', () => {
  const deepText = '"' + '[{'.repeat(5_000) + '\\"]' + '"';
  const r = validate({
    configs: {
      [LXC]: `{ "lxc_configs": { "900": { "name": "a", "memory_mb": 1024, "cores": 1, "vllm_engine_config": { "a": ${deepText} } } } }\n`,
    },
  });
  assert.is(r.code, 0, r.stderr);
});

test('--json: the too-deep error as data', () => {
  const r = validate({ configs: { [LXC]: nested(10_000) } }, ['--json']);
  assert.is(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { diagnostics: unknown[] };
  assert.equal(doc.diagnostics, [
    {
      severity: 'error',
      file: L,
      line: 5,
      column: column + MAX_DEPTH - OUTER,
      pointer,
      message,
      code: 'too-deep',
    },
  ]);
});

test.after(cleanup);
test.run();
