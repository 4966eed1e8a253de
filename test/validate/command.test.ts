// `phx validate` and `phx schema` through their run(): exit codes, stderr
// text, the --json object, and schema files written from the zod schemas.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as validate } from '../../src/commands/validate.ts';
import { run as schema } from '../../src/commands/schema.ts';
import type { CommandContext, GlobalOptions } from '../../src/commands/context.ts';
import { cleanup, ct, LXC, lxcFile, workspace } from './rig.ts';

function context(cwd: string, globals: Partial<GlobalOptions> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    cwd,
    env: {},
    globals: {
      json: false,
      strict: false,
      quiet: false,
      verbose: false,
      color: false,
      wait: true,
      ...globals,
    },
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    signal: new AbortController().signal,
  };
  return { ctx, out, err };
}

const good = { configs: { [LXC]: lxcFile({ '900': ct('base', { memroy: 1 }) }) } };
const bad = { configs: { [LXC]: lxcFile({ '950': ct('a', { clone_from_ctid: '999' }) }) } };

test('valid with a warning: exit 0, the warning on stderr, nothing on stdout', async () => {
  const { ctx, out, err } = context(workspace(good));
  assert.is(await validate(ctx, {}), 0);
  assert.equal(out, []);
  assert.equal(err.join('').split('\n'), [
    'configs/phoenix_lxc_configs.json:7:7: warning: /lxc_configs/900/memroy: unknown key "memroy"',
    ' 7 |       "memroy": 1',
    '   |       ^',
    'valid: 1 guest, 0 stacks, 0 features, 1 warning',
    '',
  ]);
});

test('--strict makes the warning fail validation', async () => {
  const { ctx } = context(workspace(good), { strict: true });
  assert.is(await validate(ctx, {}), 1);
});

test('invalid: exit 1, each diagnostic and a count on stderr', async () => {
  const { ctx, out, err } = context(workspace(bad));
  assert.is(await validate(ctx, {}), 1);
  assert.equal(out, []);
  const text = err.join('');
  assert.ok(
    text.startsWith(
      'configs/phoenix_lxc_configs.json:7:26: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined\n',
    ),
    text,
  );
  assert.ok(text.endsWith('invalid: 1 error\n'), text);
  assert.not.ok(/\n\s+at /.test(text), 'no stack trace');
});

test('--json: one object on stdout, nothing on stderr', async () => {
  const { ctx, out, err } = context(workspace(bad), { json: true });
  assert.is(await validate(ctx, {}), 1);
  assert.equal(err, []);
  assert.equal(JSON.parse(out.join('')), {
    version: 1,
    valid: false,
    diagnostics: [
      {
        severity: 'error',
        file: 'configs/phoenix_lxc_configs.json',
        line: 7,
        column: 26,
        pointer: '/lxc_configs/950/clone_from_ctid',
        message: 'CT 999 is not defined',
        code: 'clone-source',
      },
    ],
  });
  const ok = context(workspace({}), { json: true });
  assert.is(await validate(ok.ctx, {}), 0);
  assert.equal(JSON.parse(ok.out.join('')), { version: 1, valid: true, diagnostics: [] });
});

test('--config-dir and --features-dir are relative to the cwd', async () => {
  const root = workspace({
    configs: { [LXC]: lxcFile({ '900': ct('base', { features: ['f'] }) }) },
    features: { f: {} },
  });
  const moved = context(join(root, '..'), {
    configDir: join(root, 'configs'),
    featuresDir: join(root, 'features'),
  });
  assert.is(await validate(moved.ctx, {}), 0);
  const missing = context(root, { featuresDir: 'elsewhere' });
  assert.is(await validate(missing.ctx, {}), 1);
  assert.ok(
    missing.err
      .join('')
      .includes('unknown feature "f" (the features folder elsewhere does not exist)'),
  );
});

test('phx schema writes one JSON Schema per config file into configs/schemas', async () => {
  const root = workspace({});
  const { ctx, err } = context(root);
  assert.is(await schema(ctx, {}), 0);
  const names = [
    'phoenix_hypervisor_config',
    'phoenix_lxc_configs',
    'phoenix_vm_configs',
    'phoenix_stacks_config',
  ];
  assert.equal(
    err,
    names.map((n) => `wrote configs/schemas/${n}.schema.json\n`),
  );
  for (const n of names) assert.ok(existsSync(join(root, 'configs/schemas', `${n}.schema.json`)));
  const lxc = JSON.parse(
    readFileSync(join(root, 'configs/schemas/phoenix_lxc_configs.schema.json'), 'utf8'),
  ) as {
    $schema: string;
    properties: { lxc_configs: { additionalProperties: { properties: Record<string, unknown> } } };
  };
  assert.is(lxc.$schema, 'http://json-schema.org/draft-07/schema#');
  const entry = lxc.properties.lxc_configs.additionalProperties.properties;
  for (const key of [
    'clone_from_ctid',
    'gpu_assignment',
    'traefik_service',
    'id_maps',
    'bootstrap_ca_url',
  ])
    assert.ok(key in entry, key);
});

test('phx schema reports an unwritable folder without a stack trace', async () => {
  const root = workspace({ configs: { schemas: 'a file, not a folder' } });
  const { ctx, err } = context(root);
  assert.is(await schema(ctx, {}), 1);
  assert.match(err.join(''), /^phx schema: cannot write into configs\/schemas: /);
});

test.after(cleanup);
test.run();
