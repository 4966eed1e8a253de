// Rotating a secret (the value of an env: reference, no file edited) rebuilds
// exactly the targets that read it, through the full planner and the no-op
// fast path alike; the stored digest is keyed; no plaintext is left in the
// cache (LMDB bytes included), the output, the temp folder or the guest.
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, toBuild, type PhxResult } from '../helpers/rig.ts';
import {
  envOf,
  guestFiles,
  outputs,
  plaintext,
  readAll,
  runFolders,
  secretRig,
} from './helpers.ts';

const nginx953 = 'lxc/953/feature/nginx';

test('rotating a secret rebuilds only its readers, and its plaintext is nowhere', async () => {
  const rig = secretRig();
  const [a1, a2, r1, r2] = ['admin1', 'admin2', 'root1', 'root2'].map(plaintext) as [
    string,
    string,
    string,
    string,
  ];
  const seen: PhxResult[] = [];
  try {
    const first = await rig.buildJson(['--all'], { env: envOf(rig, a1, r1) });
    seen.push(first);
    assert.is(first.code, 0, first.stderr);
    // A full plan, then the fast path: both no-ops with the same values.
    for (let i = 0; i < 2; i++) {
      const same = await rig.planJson([], { env: envOf(rig, a1, r1) });
      seen.push(same);
      assert.equal(toBuild(same.json), [], `plan ${i}`);
    }
    // The admin password rotates: only 953's nginx layer (and the settings
    // re-applied over its rollback) rebuild; 101's nginx does not read it.
    const rotated = await rig.planJson([], { env: envOf(rig, a2, r1) });
    seen.push(rotated);
    assert.equal(toBuild(rotated.json), ['lxc/953/feature/nginx', 'lxc/953/settings']);
    const reasons = rotated.json.targets.find((t) => t.id === nginx953)!.reasons;
    // The changed key is named, its values only as `***` (test/plan/diff.test.ts has the rest).
    assert.equal(
      reasons.map((r) => [r.changes[0].path, r.changes[0].old, r.changes[0].new]),
      [['admin_password', '***', '***']],
    );
    assert.equal(
      reasons.map(({ changes: _, ...r }) => r),
      [
        {
          kind: 'input-changed',
          input: 'config:/lxc_configs/953/admin_password',
          old: '***',
          new: '***',
        },
      ],
    );
    // A root-level token no step reads: rotating it rebuilds nothing.
    const unread = await rig.planJson([], { env: envOf(rig, a1, r2) });
    seen.push(unread);
    assert.equal(toBuild(unread.json), []);

    const second = await rig.buildJson(['--all'], { env: envOf(rig, a2, r1) });
    seen.push(second);
    assert.is(second.code, 0, second.stderr);
    assert.equal(built(second.json), ['lxc/953/feature/nginx', 'lxc/953/settings']);
    const after = await rig.planJson([], { env: envOf(rig, a2, r1) });
    seen.push(after);
    assert.equal(toBuild(after.json), []);
    seen.push(await rig.phx(['explain', nginx953], { env: envOf(rig, a1, r1) }));
    seen.push(await rig.phx(['graph', '--format', 'json'], { env: envOf(rig, a1, r1) }));
    seen.push(
      await rig.phx(['cache', 'export', rig.path('state.json')], { env: envOf(rig, a2, r1) }),
    );

    // The digest is keyed by the cache's 0600 key: HMAC-SHA256 of the value.
    const keyPath = rig.path('.phoenix-cache/secret.key');
    assert.is(statSync(keyPath).mode & 0o777, 0o600);
    const key = readFileSync(keyPath);
    assert.is(key.length, 32);
    const expected = createHmac('sha256', key).update(`value\0${a2}`).digest('hex').slice(0, 32);
    const state = rig.read('state.json');
    assert.ok(state.includes(`***${expected}`), 'the record holds the keyed digest');

    const everywhere = [
      outputs(seen),
      state,
      readAll(rig.path('.phoenix-cache')),
      readAll(rig.path('tmp')),
      rig.read('.phoenix-sim/journal.jsonl'),
    ].join('\n');
    for (const secret of [a1, a2, r1, r2]) assert.not.ok(everywhere.includes(secret), secret);
    assert.equal(runFolders(rig), [], 'no run folder left in TMPDIR');
    const left = Object.keys(guestFiles(rig, 953)).filter((p) => p.includes('/var/lib/phx/ctx/'));
    assert.equal(left, [], 'entry.json and params.json left the guest');
  } finally {
    rig.cleanup();
  }
});

test('many first runs at once agree on one key', async () => {
  const rig = secretRig();
  try {
    const env = envOf(rig, 'same-admin', 'same-root');
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => rig.planJson(['953', '--offline'], { env })),
    );
    const hashes = runs.map((r) => {
      assert.is(r.code, 0, r.stderr);
      return r.json.targets.find((t) => t.id === nginx953)!.hash;
    });
    assert.is(new Set(hashes).size, 1, hashes.join(' '));
    assert.is(readFileSync(rig.path('.phoenix-cache/secret.key')).length, 32);
  } finally {
    rig.cleanup();
  }
});

test.run();
