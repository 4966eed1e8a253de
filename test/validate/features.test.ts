// Features: feature.json validated with positions inside it, params checked
// with ajv against draft-07 and 2020-12 schemas, defaults of a manifest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, ct, headers, load, LXC, lxcFile } from './rig.ts';

const draft7 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: { model: { type: 'string' }, port: { type: 'integer' }, mode: { enum: ['a', 'b'] } },
};
// prefixItems + items:false only means "at most one item" in 2020-12: proves the dialect dispatch.
const draft2020 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { gpus: { type: 'array', prefixItems: [{ type: 'integer' }], items: false } },
};

test('params are checked against the manifest schema (draft-07 and 2020-12)', async () => {
  const spec = {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', {
          features: [
            { name: 'vllm', params: { model: 'x', port: 'no', extra: 1, mode: 'c' } },
            'vllm',
            { name: 'plain', params: { a: 1 } },
            { name: 'new', params: { gpus: [0, 1] } },
            { name: 'new', params: { gpus: [0] } },
          ],
        }),
      }),
    },
    features: {
      vllm: { manifest: { params: draft7 } },
      plain: { manifest: { description: 'x' } },
      new: { manifest: { params: draft2020 } },
    },
  };
  assert.equal(await headers(spec), [
    'configs/phoenix_lxc_configs.json:10:21: error: /lxc_configs/101/features/0/params: feature vllm: params must not have property "extra"',
    'configs/phoenix_lxc_configs.json:12:21: error: /lxc_configs/101/features/0/params/port: feature vllm: params/port must be integer',
    'configs/phoenix_lxc_configs.json:14:21: error: /lxc_configs/101/features/0/params/mode: feature vllm: params/mode must be one of ["a","b"]',
    'configs/phoenix_lxc_configs.json:17:9: error: /lxc_configs/101/features/1: feature vllm needs params: model',
    'configs/phoenix_lxc_configs.json:20:21: error: /lxc_configs/101/features/2/params: feature plain takes no params (its feature.json declares none)',
    'configs/phoenix_lxc_configs.json:27:21: error: /lxc_configs/101/features/3/params/gpus: feature new: params/gpus must NOT have more than 1 items',
  ]);
});

test('feature.json is validated, with positions inside it', async () => {
  const spec = {
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', {
          features: ['bad', 'broken', 'noexec', { name: 'badschema', params: { x: 1 } }],
        }),
      }),
    },
    features: {
      bad: {
        manifest: {
          targets: 'both',
          gpu: 'yes',
          reads: ['network_config'],
          consumes: ['lxc/103'],
          requires: 'nvidia',
          extra: 1,
        },
      },
      broken: { manifest: '{ "gpu": true,, }' },
      noexec: { executable: false },
      badschema: {
        manifest: { params: { type: 'object', properties: { x: { type: 'nonsense' } } } },
      },
    },
  };
  assert.equal(await headers(spec), [
    'features/bad/feature.json:2:14: error: /targets: expected "lxc", "vm" or ["lxc", "vm"]',
    'features/bad/feature.json:3:10: error: /gpu: expected boolean, got string',
    'features/bad/feature.json:5:5: error: /reads/0: expected a JSON pointer like "/network_config/ip"',
    'features/bad/feature.json:8:5: error: /consumes/0: expected a target id like "lxc/103/app"',
    'features/bad/feature.json:10:15: error: /requires: expected array, got string',
    'features/bad/feature.json:11:3: warning: /extra: unknown key "extra"',
    'features/badschema/feature.json:2:13: error: /params: the params schema of feature badschema does not compile: schema is invalid: data/properties/x/type must be equal to one of the allowed values, data/properties/x/type must be array, data/properties/x/type must match a schema in anyOf',
    'features/broken/feature.json:1:15: error: JSON syntax error: property name expected',
    'features/broken/feature.json:1:17: error: JSON syntax error: property name expected',
    'features/noexec/install.sh:1:1: error: install.sh of feature noexec is not executable (chmod +x)',
  ]);
});

test('manifest defaults, `targets` as a string, apps/ is not a feature', async () => {
  const r = await load({
    configs: {
      [LXC]: lxcFile({
        '101': ct('a', { features: ['bare', 'gpu_one'], application_script: 'run.sh' }),
      }),
    },
    features: {
      bare: {},
      gpu_one: {
        manifest: {
          gpu: true,
          targets: 'lxc',
          reads: ['/nvidia_runfile_url'],
          consumes: ['lxc/101/app'],
        },
      },
    },
    apps: ['run.sh'],
  });
  assert.equal(r.diagnostics, []);
  const bare = r.project!.features.get('bare')!;
  assert.equal(
    {
      reads: bare.reads,
      requires: bare.requires,
      consumes: bare.consumes,
      gpu: bare.gpu,
      targets: bare.targets,
    },
    { reads: [], requires: [], consumes: [], gpu: false, targets: ['lxc', 'vm'] },
  );
  const g = r.project!.features.get('gpu_one')!;
  assert.equal(g.targets, ['lxc']);
  assert.is(g.gpu, true);
  assert.ok(g.dir.endsWith('/features/gpu_one'));
  assert.not.ok(r.project!.features.has('apps'));
});

test.after(cleanup);
test.run();
