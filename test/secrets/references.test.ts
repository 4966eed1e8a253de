// An env:/file: reference that does not resolve is a validation error at the
// value's file:line:col, for validate, plan and build, and no host is asked;
// file: paths resolve relative to the config folder.
import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envOf, lxc, secretRig } from './helpers.ts';

/** `file:line:col` of the value written right after `"key": ` (the first such key). */
function positionOf(text: string, key: string): string {
  const at = text.indexOf(`"${key}": `);
  assert.ok(at >= 0, key);
  const value = at + `"${key}": `.length;
  const line = text.slice(0, value).split('\n').length;
  const column = value - text.lastIndexOf('\n', value - 1);
  return `${lxc}:${line}:${column}`;
}

test('an unset env: reference fails validate, plan and build at its position', async () => {
  const rig = secretRig();
  try {
    const text = rig.read(lxc);
    const env = { PHX_T_ROOT: 'set', TMPDIR: rig.path('tmp') }; // PHX_T_ADMIN unset
    const header = `${positionOf(text, 'admin_password')}: error: /lxc_configs/953/admin_password: secret reference "env:PHX_T_ADMIN": environment variable PHX_T_ADMIN is not set`;
    for (const args of [['validate'], ['plan'], ['build', '--all']]) {
      const r = await rig.phx(args, { env });
      assert.is(r.code, 1, args.join(' '));
      assert.ok(r.stderr.includes(header + '\n'), `${args.join(' ')}:\n${r.stderr}`);
      assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.not.ok(existsSync(rig.path('.phoenix-sim')), 'the sim node was never touched');
    // Set but empty is no value either.
    const empty = await rig.phx(['validate'], { env: { ...env, PHX_T_ADMIN: '' } });
    assert.is(empty.code, 1);
    assert.match(empty.stderr, /environment variable PHX_T_ADMIN is empty/);
  } finally {
    rig.cleanup();
  }
});

test('a root-level file: reference is reported once, where it is written; it resolves in the config folder', async () => {
  const rig = secretRig();
  try {
    rig.editJson(lxc, (d) => void (d.registry_token = 'file:secrets/registry.txt'));
    const text = rig.read(lxc);
    const env = envOf(rig, 'admin', 'unused');
    const r = await rig.phx(['validate'], { env });
    assert.is(r.code, 1);
    const header = `${positionOf(text, 'registry_token')}: error: /registry_token: secret reference "file:secrets/registry.txt": cannot read ${rig.path('configs/secrets/registry.txt')} (ENOENT; file: paths are relative to the config folder)`;
    assert.ok(r.stderr.includes(header + '\n'), r.stderr);
    // Every CT inherits the key, yet it is one mistake in one place.
    assert.is(r.stderr.split('/registry_token:').length - 1, 1, r.stderr);
    rig.write('configs/secrets/registry.txt', 'tok\n');
    const fixed = await rig.phx(['validate'], { env });
    assert.is(fixed.code, 0, fixed.stderr);
  } finally {
    rig.cleanup();
  }
});

test.run();
