// The engine format version enters every fingerprint, and a record made by
// another format is rebuilt with a reason naming both versions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/engine/canonical.ts';
import { diffFingerprints } from '../../src/engine/diff.ts';
import { computeFingerprint } from '../../src/engine/fingerprint.ts';
import { ENGINE_FORMAT } from '../../src/engine/fingerprint-format.ts';
import { hashString, initHash } from '../../src/core/hash.ts';
import { describeReason } from '../../src/engine/reason.ts';

await initHash();

const now = computeFingerprint({
  kind: 'feature',
  ruleDigest: '0123456789abcdef',
  config: { '/lxc_configs/950/memory_mb': 4096 },
  files: new Map(),
  upstream: new Map(),
  backend: 'sim',
  roots: [],
  // No secret in this config: a digest function that is never called.
  secrets: () => {
    throw new Error('no secret expected');
  },
});

/** The canonical JSON of `now` as another engine format would have written it. */
function recordOf(engineFormat: number | undefined): string {
  const data = { ...(JSON.parse(now.json) as Record<string, unknown>), engineFormat };
  return canonicalJson(data);
}

test('every fingerprint holds the engine format, and the hash covers it', () => {
  assert.is(now.data.engineFormat, ENGINE_FORMAT);
  assert.ok(now.json.includes(`"engineFormat":${String(ENGINE_FORMAT)}`));
  assert.is(recordOf(ENGINE_FORMAT), now.json);
  assert.is.not(hashString(recordOf(ENGINE_FORMAT + 1)), now.fingerprint);
  assert.equal(diffFingerprints(now.json, now.data), []);
});

test('a record of another engine format is named `engine-format old → new`, and nothing else', () => {
  const older = diffFingerprints(recordOf(ENGINE_FORMAT - 1), now.data);
  assert.equal(older.map(describeReason), [
    `engine-format ${String(ENGINE_FORMAT - 1)} → ${String(ENGINE_FORMAT)}`,
  ]);
  // Written before the field existed.
  const unversioned = diffFingerprints(recordOf(undefined), now.data);
  assert.equal(unversioned.map(describeReason), [
    `engine-format (none) → ${String(ENGINE_FORMAT)}`,
  ]);
});

test.run();
