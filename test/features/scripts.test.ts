// Every shell script under features/ parses (bash -n) and passes shellcheck,
// and keeps the run contract's shape: `#!/usr/bin/env bash`, `set -euo pipefail`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missing } from '../helpers/require.ts';

const ROOT = join(import.meta.dirname, '../..');
const FEATURES = join(ROOT, 'features');

/** Every .sh file, plus extension-less files with a bash shebang (installed helpers). */
function shellScripts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...shellScripts(path));
    else if (name.endsWith('.sh')) out.push(path);
    else if (!name.includes('.') && readFileSync(path, 'utf8').startsWith('#!/usr/bin/env bash'))
      out.push(path);
  }
  return out;
}

const scripts = shellScripts(FEATURES);
const rel = (p: string) => relative(ROOT, p);

test('features/ has the expected scripts', () => {
  const names = scripts.map(rel);
  for (const f of [
    'base_setup',
    'nvidia',
    'docker',
    'vllm',
    'ollama',
    'step_ca',
    'step_cli',
    'trusted_ca',
    'traefik',
    'nginx',
  ]) {
    assert.ok(names.includes(`features/${f}/install.sh`), `features/${f}/install.sh`);
  }
  for (const app of ['vllm', '101', '102', '103', '955', '957']) {
    assert.ok(names.includes(`features/apps/phoenix_hypervisor_lxc_${app}.sh`), app);
  }
});

test('every script parses with bash -n', () => {
  for (const script of scripts) {
    const r = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    assert.is(r.status, 0, `${rel(script)}: ${r.stderr}`);
  }
});

test('every entry point is executable, uses env bash and strict mode', () => {
  for (const script of scripts) {
    const text = readFileSync(script, 'utf8');
    // phx.sh is sourced, not run: it has no shebang.
    if (script.endsWith('/phx.sh')) {
      assert.not.match(text, /^#!/, `${rel(script)} is a sourced library`);
      continue;
    }
    assert.ok(text.startsWith('#!/usr/bin/env bash\n'), `${rel(script)}: shebang`);
    assert.match(text, /^set -euo pipefail$/m, `${rel(script)}: set -euo pipefail`);
    assert.ok((statSync(script).mode & 0o111) !== 0, `${rel(script)} is not executable`);
    assert.not.match(text, /\bTODO\b|\bFIXME\b|\bXXX\b/, `${rel(script)}: no TODOs`);
  }
});

test('shellcheck passes on every script', () => {
  if (missing({ tools: ['shellcheck'] }) !== undefined) return;
  for (const script of scripts) {
    // -x follows `. ./phx.sh` through each script's `source-path=SCRIPTDIR` directive.
    const r = spawnSync('shellcheck', ['-x', '--severity=style', script], { encoding: 'utf8' });
    assert.is(r.status, 0, `${rel(script)}:\n${r.stdout}${r.stderr}`);
  }
});

test.run();
