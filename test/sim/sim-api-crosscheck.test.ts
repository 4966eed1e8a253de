// Cross-check the sim's pct option table against the PVE API schema, when the
// (AGPL, not vendored) schema file is present beside the repo. Its absence is a
// missing data file, not a missing tool: the test says so and passes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findOption, pctSpec } from '../../src/sim/pct-spec.ts';

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

test('every option the sim accepts for an API-backed pct subcommand exists in the PVE API', () => {
  if (!schemaFile) {
    process.stdout.write(
      'NOTE: pve-apidoc.json not found beside the repo; API cross-check not run (data file absent)\n',
    );
    return;
  }
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  let checked = 0;
  for (const [sub, spec] of Object.entries(pctSpec)) {
    if (!spec.api) continue;
    const endpoint = find(api, spec.api.path)?.info?.[spec.api.method];
    assert.ok(endpoint, `pct ${sub}: ${spec.api.method} ${spec.api.path} is not in the API`);
    const props = endpoint.parameters?.properties ?? {};
    const names = [...Object.keys(spec.options), ...spec.indexed.map((i) => `${i.prefix}[n]`)];
    for (const name of names) {
      assert.ok(
        name in props,
        `pct ${sub} --${name} is not a parameter of ${spec.api.method} ${spec.api.path}`,
      );
      checked++;
    }
    for (const p of spec.positionals) {
      const apiName =
        p.name === 'disk' ||
        p.name === 'size' ||
        p.name === 'ostemplate' ||
        p.name === 'snapname' ||
        p.name === 'newid'
          ? p.name
          : 'vmid';
      assert.ok(apiName in props, `pct ${sub} <${p.name}> is not a parameter of ${spec.api.path}`);
    }
    // Required API parameters (other than the node) are positionals, never missing.
    for (const [k, v] of Object.entries(props)) {
      if (v.optional || k === 'node') continue;
      assert.ok(
        spec.positionals.some((p) => p.name === k),
        `pct ${sub}: required API parameter '${k}' is not a positional`,
      );
    }
  }
  assert.ok(checked > 60, `only ${checked} options checked`);
});

test('numeric limits and formats agree with the API for create', () => {
  if (!schemaFile) return;
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const props = find(api, '/nodes/{node}/lxc')!.info!.POST!.parameters!.properties!;
  const create = pctSpec.create!;
  const check = (name: string, value: string) =>
    findOption(create, name)!.check(value, name).length === 0;
  for (const name of ['memory', 'cores', 'swap', 'cpuunits', 'tty']) {
    const { minimum, maximum } = props[name]!;
    if (minimum !== undefined) {
      assert.ok(check(name, String(minimum)), `${name} = minimum ${minimum} rejected`);
      assert.not.ok(check(name, String(Number(minimum) - 1)), `${name} below minimum accepted`);
    }
    if (maximum !== undefined) {
      assert.ok(check(name, String(maximum)), `${name} = maximum accepted`);
      assert.not.ok(check(name, String(Number(maximum) + 1)), `${name} above maximum accepted`);
    }
  }
  const netKeys = Object.keys(props['net[n]']!.format as Record<string, unknown>).sort();
  const featureKeys = Object.keys(props.features!.format as Record<string, unknown>).sort();
  const mpKeys = Object.keys(props['mp[n]']!.format as Record<string, unknown>).sort();
  assert.ok(
    check(
      'net0',
      `name=eth0,${netKeys
        .filter((k) => k !== 'name')
        .map(
          (k) =>
            `${k}=${{ bridge: 'vmbr0', gw: '10.0.0.1', gw6: 'fe80::1', hwaddr: 'BC:24:11:00:00:01', ip: 'dhcp', ip6: 'auto', mtu: '1500', rate: '10', tag: '5', trunks: '5;6', type: 'veth' }[k] ?? '1'}`,
        )
        .join(',')}`,
    ),
  );
  assert.ok(
    check('features', featureKeys.map((k) => `${k}=${k === 'mount' ? 'nfs;cifs' : '1'}`).join(',')),
  );
  assert.ok(
    check(
      'mp0',
      `local:8,${mpKeys
        .filter((k) => k !== 'volume')
        .map((k) => `${k}=${{ mp: '/x', mountoptions: 'noatime', size: '8G' }[k] ?? '1'}`)
        .join(',')}`,
    ),
  );
});

test.run();
