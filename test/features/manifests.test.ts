// Every feature folder has an executable install.sh and a feature.json with
// only the keys DESIGN §1 defines; every params schema compiles with ajv; the
// per-folder copies of the shared helper stay identical.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const FEATURES = join(import.meta.dirname, '../../features');
const KNOWN_KEYS = new Set([
  'description',
  'params',
  'reads',
  'requires',
  'consumes',
  'gpu',
  'targets',
]);
const TARGET_ID =
  /^(lxc|vm)\/[0-9]+\/(create|clone|settings|feature\/[A-Za-z0-9_-]+|app|check|snapshot\/[A-Za-z0-9_.-]+|firewall)$|^host\/[a-z-]+\/.+$/;
const POINTER = /^(\/([^~/]|~[01])*)+$/;

// A feature is a folder with an install.sh; apps/, checks/ and tests/ hold scripts, not features.
const featureNames = readdirSync(FEATURES)
  .filter(
    (n) => statSync(join(FEATURES, n)).isDirectory() && existsSync(join(FEATURES, n, 'install.sh')),
  )
  .sort();

function manifest(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FEATURES, name, 'feature.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

test('the twelve features exist', () => {
  assert.equal(featureNames, [
    'base_setup',
    'docker',
    'nfs_mounts',
    'nginx',
    'nvidia',
    'ollama',
    'portainer_agent',
    'step_ca',
    'step_cli',
    'traefik',
    'trusted_ca',
    'vllm',
  ]);
});

test('every feature.json parses and has only known keys of the right types', () => {
  for (const name of featureNames) {
    const m = manifest(name);
    for (const key of Object.keys(m)) assert.ok(KNOWN_KEYS.has(key), `${name}: unknown key ${key}`);
    assert.type(m.description, 'string', `${name}: description`);
    assert.not.match(m.description as string, '\n', `${name}: description is one line`);
    for (const key of ['reads', 'requires', 'consumes', 'targets']) {
      assert.ok(Array.isArray(m[key]), `${name}: ${key} is an array`);
    }
    for (const p of m.reads as string[]) assert.match(p, POINTER, `${name}: reads ${p}`);
    for (const r of m.requires as string[])
      assert.ok(featureNames.includes(r), `${name}: requires unknown ${r}`);
    for (const c of m.consumes as string[]) assert.match(c, TARGET_ID, `${name}: consumes ${c}`);
    assert.type(m.gpu, 'boolean', `${name}: gpu`);
    const targets = m.targets as string[];
    assert.ok(
      targets.length > 0 && targets.every((t) => t === 'lxc' || t === 'vm'),
      `${name}: targets`,
    );
  }
});

test('manifests say what the brief and the real project need', () => {
  assert.equal(manifest('vllm').requires, ['nvidia']);
  assert.equal(manifest('ollama').requires, ['nvidia']);
  assert.equal(manifest('trusted_ca').consumes, ['lxc/103/app']);
  assert.equal(manifest('step_cli').consumes, ['lxc/103/app']);
  assert.is(manifest('nvidia').gpu, true);
  assert.is(manifest('vllm').gpu, true);
  for (const both of ['docker', 'base_setup', 'trusted_ca', 'step_cli']) {
    assert.equal(manifest(both).targets, ['lxc', 'vm'], both);
  }
  // VM only: it runs in the Docker of a VM whose portainer_role is agent.
  assert.equal(manifest('portainer_agent').targets, ['vm']);
  assert.equal(manifest('portainer_agent').requires, ['docker']);
  const nvidiaReads = manifest('nvidia').reads as string[];
  for (const p of ['/nvidia_driver_version', '/nvidia_runfile_url'])
    assert.ok(nvidiaReads.includes(p), p);
});

test('every params schema compiles with ajv (draft-07 or 2020-12)', () => {
  for (const name of featureNames) {
    const params = manifest(name).params as Record<string, unknown> | undefined;
    if (params === undefined) continue;
    const schemaId = params.$schema;
    const ajv =
      typeof schemaId === 'string' && schemaId.includes('2020-12')
        ? new Ajv2020({ strict: true, useDefaults: true })
        : new Ajv({ strict: true, useDefaults: true });
    const validate = ajv.compile(params);
    // Defaults alone must be valid params: a bare feature name works.
    assert.ok(validate({}), `${name}: {} is valid params: ${ajv.errorsText(validate.errors)}`);
    assert.not.ok(validate({ no_such_param: 1 }), `${name}: unknown params are rejected`);
  }
});

test('every feature has an executable install.sh', () => {
  for (const name of featureNames) {
    const st = statSync(join(FEATURES, name, 'install.sh'));
    assert.ok((st.mode & 0o111) !== 0, `${name}/install.sh is executable`);
  }
});

test('features share features/lib/phx.sh (pushed as lib/) and carry no copy of their own', () => {
  for (const name of featureNames) {
    assert.not.ok(
      existsSync(join(FEATURES, name, 'phx.sh')),
      `features/${name} carries its own phx.sh`,
    );
    const install = readFileSync(join(FEATURES, name, 'install.sh'), 'utf8');
    if (install.includes('phx_'))
      assert.match(install, /^\. \.\/lib\/phx\.sh$/m, `${name} sources ./lib/phx.sh`);
  }
});

test.run();
