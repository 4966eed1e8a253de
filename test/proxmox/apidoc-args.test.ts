// Every pct command line the proxmox backend generated while building the
// real Phoenix configs (on the sim node) is checked against the Proxmox VE
// API schema: each option exists on its endpoint, integers are in range,
// enums and booleans hold, and property strings use only known keys. The
// schema (AGPL) is not vendored: where ../shared is absent the test says so
// and checks nothing, as a missing data file is not a missing tool.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, repoRoot } from '../helpers/rig.ts';

interface Property {
  type?: string;
  format?: unknown;
  enum?: string[];
  minimum?: number | string;
  maximum?: number | string;
  default_key?: number;
}
interface ApiNode {
  path: string;
  children?: ApiNode[];
  info?: Record<string, { parameters?: { properties?: Record<string, Property> } }>;
}

const schemaFile = join(repoRoot, '..', 'shared', 'reference', 'pve-apidoc.json');

/** pct subcommand → its API endpoint, and how many positional arguments precede the options. */
const endpoints: Record<string, { method: string; path: string; positional: number }> = {
  create: { method: 'POST', path: '/nodes/{node}/lxc', positional: 2 },
  set: { method: 'PUT', path: '/nodes/{node}/lxc/{vmid}/config', positional: 1 },
  clone: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/clone', positional: 2 },
  snapshot: { method: 'POST', path: '/nodes/{node}/lxc/{vmid}/snapshot', positional: 2 },
  rollback: {
    method: 'POST',
    path: '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback',
    positional: 2,
  },
  delsnapshot: {
    method: 'DELETE',
    path: '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}',
    positional: 2,
  },
  resize: { method: 'PUT', path: '/nodes/{node}/lxc/{vmid}/resize', positional: 3 },
  destroy: { method: 'DELETE', path: '/nodes/{node}/lxc/{vmid}', positional: 1 },
};

function find(nodes: ApiNode[], path: string): ApiNode | undefined {
  for (const n of nodes) {
    if (n.path === path) return n;
    const hit = n.children && find(n.children, path);
    if (hit) return hit;
  }
  return undefined;
}

function problems(prop: Property, key: string, value: string): string[] {
  const out: string[] = [];
  if (prop.type === 'integer' || prop.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n)) out.push(`${key}=${value} is not a number`);
    if (prop.minimum !== undefined && n < Number(prop.minimum))
      out.push(`${key}=${value} < ${prop.minimum}`);
    if (prop.maximum !== undefined && n > Number(prop.maximum))
      out.push(`${key}=${value} > ${prop.maximum}`);
  }
  if (prop.type === 'boolean' && !['0', '1'].includes(value))
    out.push(`${key}=${value} is not 0|1`);
  if (prop.enum && !prop.enum.includes(value))
    out.push(`${key}=${value} not in ${prop.enum.join('|')}`);
  if (prop.format && typeof prop.format === 'object') {
    const keys = Object.keys(prop.format);
    for (const [i, part] of value.split(',').entries()) {
      const eq = part.indexOf('=');
      // The first part may be the default key's bare value (e.g. an mp volume).
      if (eq < 0 && i === 0) continue;
      const k = part.slice(0, eq);
      if (!keys.includes(k)) out.push(`${key}: property-string key '${k}' is not in the API`);
    }
  }
  return out;
}

test('every generated pct option exists in the PVE API with a valid value', async () => {
  if (!existsSync(schemaFile)) {
    process.stdout.write(
      'NOTE: ../shared/reference/pve-apidoc.json is absent; API cross-check not run (data file absent)\n',
    );
    return;
  }
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  // VM 9000's image: the example's sim stand-in (the real configs name Ubuntu's cloud image).
  rig.write(
    'configs/images/noble-server-cloudimg-amd64.img',
    readFileSync(join(repoRoot, 'configs/images/noble-server-cloudimg-amd64.img'), 'utf8'),
  );
  try {
    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr);
    const commands = r.json.targets
      .flatMap((t) => t.commands)
      .filter((c) => c[0] === 'pct' && c[1]! in endpoints);
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const argv of commands) {
      const sub = argv[1]!;
      const ep = endpoints[sub]!;
      const props = find(api, ep.path)?.info?.[ep.method]?.parameters?.properties;
      assert.ok(props, `${ep.method} ${ep.path} missing from the API schema`);
      const rest = argv.slice(2 + ep.positional);
      for (let i = 0; i < rest.length; i += 2) {
        const flag = rest[i]!;
        assert.ok(
          flag.startsWith('--'),
          `pct ${sub}: expected an option, got ${flag} in ${argv.join(' ')}`,
        );
        const key = flag.slice(2);
        const prop = props[key] ?? props[key.replace(/\d+$/, '[n]')];
        if (!prop) {
          errors.push(`pct ${sub} --${key}: not a parameter of ${ep.method} ${ep.path}`);
          continue;
        }
        seen.add(`${sub} --${key}`);
        errors.push(...problems(prop, `pct ${sub} --${key}`, rest[i + 1] ?? ''));
      }
    }
    assert.equal(errors, []);
    // The build did exercise the options that matter.
    for (const must of [
      'create --hostname',
      'create --rootfs',
      'clone --snapname',
      'set --net0',
      'set --memory',
      'snapshot --description',
    ]) {
      assert.ok(seen.has(must), `no generated 'pct ${must}' was checked`);
    }
  } finally {
    rig.cleanup();
  }
});

test.run();
