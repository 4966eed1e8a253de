// Cross-check the sim's qm option tables against the PVE API schema, when the
// (AGPL, not vendored) schema file is present beside the repo. Its absence is a
// missing data file, not a missing tool: the test says so and passes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SubcommandSpec } from '../../src/sim/pct-spec.ts';
import { qmCloudinitSpec, qmGuestSpec, qmSpec } from '../../src/sim/qm-spec.ts';

interface ApiNode {
  path: string;
  children?: ApiNode[];
  info?: Record<
    string,
    {
      parameters?: {
        properties?: Record<
          string,
          {
            optional?: number;
            format?: unknown;
            maxLength?: number;
            minimum?: number | string;
            maximum?: number | string;
          }
        >;
      };
    }
  >;
}

const candidates = [
  join(import.meta.dirname, '../../../shared/reference/pve-apidoc.json'),
  join(process.cwd(), '../shared/reference/pve-apidoc.json'),
];
const schemaFile = candidates.find((p) => existsSync(p));

function find(nodes: ApiNode[], path: string): ApiNode | undefined {
  for (const n of nodes) {
    if (n.path === path) return n;
    const hit = n.children && find(n.children, path);
    if (hit) return hit;
  }
  return undefined;
}

test('every option the sim accepts for an API-backed qm subcommand exists in the PVE API', () => {
  if (!schemaFile) {
    process.stdout.write(
      'NOTE: pve-apidoc.json not found beside the repo; API cross-check not run (data file absent)\n',
    );
    return;
  }
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const all: [string, SubcommandSpec][] = [
    ...Object.entries(qmSpec),
    ...Object.entries(qmGuestSpec).map(([k, v]) => [`guest ${k}`, v] as [string, SubcommandSpec]),
    ...Object.entries(qmCloudinitSpec).map(
      ([k, v]) => [`cloudinit ${k}`, v] as [string, SubcommandSpec],
    ),
  ];
  let checked = 0;
  for (const [sub, spec] of all) {
    if (!spec.api) continue;
    const endpoint = find(api, spec.api.path)?.info?.[spec.api.method];
    assert.ok(endpoint, `qm ${sub}: ${spec.api.method} ${spec.api.path} is not in the API`);
    const props = endpoint.parameters?.properties ?? {};
    const names = [...Object.keys(spec.options), ...spec.indexed.map((i) => `${i.prefix}[n]`)];
    for (const name of names) {
      assert.ok(
        name in props,
        `qm ${sub} --${name} is not a parameter of ${spec.api.method} ${spec.api.path}`,
      );
      checked++;
    }
    for (const p of spec.positionals)
      assert.ok(
        p.name in props || p.name === 'vmid',
        `qm ${sub} <${p.name}> is not a parameter of ${spec.api.path}`,
      );
    // Required API parameters (other than the node) are positionals, never missing.
    for (const [k, v] of Object.entries(props)) {
      if (v.optional || k === 'node') continue;
      assert.ok(
        spec.positionals.some((p) => p.name === k),
        `qm ${sub}: required API parameter '${k}' is not a positional`,
      );
    }
  }
  assert.ok(checked > 80, `only ${checked} options checked`);
});

test('numeric limits agree with the API for create', () => {
  if (!schemaFile) return;
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const props = find(api, '/nodes/{node}/qemu')!.info!.POST!.parameters!.properties!;
  const create = qmSpec.create!;
  for (const name of ['cores', 'sockets', 'balloon', 'vcpus']) {
    const { minimum, maximum } = props[name]!;
    const check = (value: string) => create.options[name]!.check(value, name).length === 0;
    if (minimum !== undefined) {
      assert.ok(check(String(minimum)), `${name} = minimum ${minimum} rejected`);
      assert.not.ok(check(String(Number(minimum) - 1)), `${name} below minimum accepted`);
    }
    if (maximum !== undefined) assert.not.ok(check(String(Number(maximum) + 1)));
  }
});

test.run();
