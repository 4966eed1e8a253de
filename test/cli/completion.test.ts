// Shell completion: the bash script run in a real bash against a workspace
// (its ids come from the configs there, at completion time), the hidden
// `__complete` answers the zsh and fish scripts use, and `cache export -`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, repoRoot } from '../helpers/rig.ts';

const rig = Rig.create();
const bin = rig.path('bin');
mkdirSync(bin);
// `phx` on PATH, as an installed phx would be.
writeFileSync(
  join(bin, 'phx'),
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, 'bin', 'phx.js'))} "$@"\n`,
);
chmodSync(join(bin, 'phx'), 0o755);
const env = { ...rig.env(), PATH: `${bin}:${process.env.PATH ?? ''}` };

const lxcIds = (() => {
  const doc = JSON.parse(rig.read('configs/phoenix_lxc_configs.json')) as {
    lxc_configs: Record<string, unknown>;
  };
  return Object.keys(doc.lxc_configs);
})();

/** What bash offers for the command line WORDS with the cursor in the last word. */
function bashComplete(words: readonly string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const script = `source <(phx completion bash) || exit 9
COMP_WORDS=(${quoted}); COMP_CWORD=${String(words.length - 1)}; _phx
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { cwd: rig.dir, env, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

function underscoreComplete(words: readonly string[]): string[] {
  const r = spawnSync('phx', ['__complete', '--', ...words], {
    cwd: rig.dir,
    env,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('bash: entry ids from the configs, target ids, commands and flags', () => {
  const want95 = lxcIds.filter((id) => id.startsWith('95')).sort();
  assert.ok(want95.length >= 2);
  assert.equal(bashComplete(['phx', 'build', '95']).sort(), want95);
  assert.equal(bashComplete(['phx', 'logs', 'lxc/950/a']), ['lxc/950/app']);
  assert.equal(bashComplete(['phx', 'bu']), ['build']);
  assert.equal(bashComplete(['phx', 'build', '--for']), ['--force']);
  // Global flags complete after a verb too.
  assert.ok(bashComplete(['phx', 'plan', '--']).includes('--config-dir'));
  assert.equal(bashComplete(['phx', 'completion', '']).sort(), ['bash', 'fish', 'zsh']);
  assert.equal(bashComplete(['phx', 'cache', 'ex']), ['export']);
  // The hidden helper is not offered.
  assert.not.ok(bashComplete(['phx', '_']).includes('__complete'));
});

test('bash: an id added to the configs completes at once (read at completion time)', () => {
  rig.editJson('configs/phoenix_lxc_configs.json', (d) => {
    d.lxc_configs['959'] = {
      ...d.lxc_configs['953'],
      name: 'added',
      mac_address: '52:54:00:00:09:59',
    };
    d.lxc_configs['959'].network_config = {
      ...d.lxc_configs['953'].network_config,
      ip: '10.0.0.59/24',
    };
  });
  try {
    assert.ok(bashComplete(['phx', 'status', '95']).includes('959'));
  } finally {
    rig.editJson('configs/phoenix_lxc_configs.json', (d) => {
      delete d.lxc_configs['959'];
    });
  }
});

test('__complete (what the zsh and fish scripts ask): the same answers, one a line', () => {
  // zsh passes words[2,CURRENT], fish the tokens before the cursor and the current one.
  assert.equal(underscoreComplete(['explain', 'lxc/950/cl']), ['lxc/950/clone']);
  const fromBuild = underscoreComplete(['build', '']);
  assert.ok(fromBuild.includes('950') && fromBuild.includes('lxc/950/app'), fromBuild.join(' '));
  // Guest verbs take guest ids, not target ids.
  const fromStatus = underscoreComplete(['status', '']);
  assert.ok(fromStatus.includes('950'));
  assert.not.ok(
    fromStatus.some((c) => c.includes('/')),
    fromStatus.join(' '),
  );
  // A flag's value: its choices; a file-valued flag: nothing (the shell completes files).
  assert.ok(underscoreComplete(['graph', '--format', 'd']).includes('dot'));
  assert.equal(underscoreComplete(['plan', '--state', '']), []);
  // A flag's value is not mistaken for the command's first operand.
  assert.equal(underscoreComplete(['--cache-dir', 'x', 'bui']), ['build']);
  // Only the words before the cursor count: after explain's one target, nothing more.
  assert.equal(underscoreComplete(['explain', 'lxc/950/app', '']), []);
});

test('the zsh and fish scripts call __complete with the words before the cursor', () => {
  const zsh = spawnSync('phx', ['completion', 'zsh'], { cwd: rig.dir, env, encoding: 'utf8' });
  assert.is(zsh.status, 0);
  assert.ok(zsh.stdout.startsWith('#compdef phx\n'));
  assert.ok(zsh.stdout.includes('phx __complete -- "${(@)words[2,CURRENT]}"'));
  assert.ok(zsh.stdout.includes('compdef _phx phx'));
  const fish = spawnSync('phx', ['completion', 'fish'], { cwd: rig.dir, env, encoding: 'utf8' });
  assert.is(fish.status, 0);
  assert.ok(fish.stdout.includes('phx __complete -- $args "$cur"'));
  assert.ok(fish.stdout.includes("complete -c phx -f -a '(__phx_complete)'"));
  const bad = spawnSync('phx', ['completion', 'tcsh'], { cwd: rig.dir, env, encoding: 'utf8' });
  assert.is.not(bad.status, 0);
  assert.ok(bad.stderr.includes('tcsh'), bad.stderr);
});

test('cache export - prints the state as JSON and creates no file named -', async () => {
  const b = await rig.phx(['build', '953']);
  assert.is(b.code, 0, b.stderr);
  const r = await rig.phx(['cache', 'export', '-']);
  assert.is(r.code, 0, r.stderr);
  const state = JSON.parse(r.stdout) as { version: number; targets: Record<string, unknown> };
  assert.is(state.version, 1);
  assert.ok('lxc/953/clone' in state.targets, Object.keys(state.targets).join(' '));
  assert.ok(r.stderr.includes('to stdout'), r.stderr);
  assert.not.ok(existsSync(rig.path('-')));
  assert.not.ok(readdirSync(rig.dir).includes('-'));
});

test.after(() => {
  rig.cleanup();
});

test.run();
