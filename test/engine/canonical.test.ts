// Canonical JSON is what fingerprints hash: every member of the config is in
// it, whatever its name, so changing any member changes the fingerprint.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/engine/canonical.ts';

test('keys are sorted at every depth and undefined is dropped', () => {
  assert.is(
    canonicalJson({ b: 1, a: { d: [1, undefined], c: undefined } }),
    '{"a":{"d":[1,null]},"b":1}',
  );
});

test('a member named __proto__ is data: it is in the text and its changes show', () => {
  const before = JSON.parse('{"params":{"__proto__":{"model":"7B"}}}') as unknown;
  const after = JSON.parse('{"params":{"__proto__":{"model":"14B"}}}') as unknown;
  assert.is(canonicalJson(before), '{"params":{"__proto__":{"model":"7B"}}}');
  assert.is.not(canonicalJson(before), canonicalJson(after));
});

test('constructor and toString are plain keys too', () => {
  assert.is(
    canonicalJson(JSON.parse('{"toString":1,"constructor":2}')),
    '{"constructor":2,"toString":1}',
  );
});

test.run();
