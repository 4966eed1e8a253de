// Every qm and pvesh command line the proxmox backend gave its runner in a
// VM build sequence (create → settings → start → agent → push → exec →
// snapshot → clone → rollback → firewall, test/proxmox/vm-sequence.ts) is
// checked against the Proxmox VE API schema: each option exists on its
// endpoint, integers are in range, enums, booleans, patterns and lengths
// hold, and property strings use only known keys. `qm guest exec` is the
// CLI's wrapper of agent/exec: its own options are checked against the CLI's
// list (qemu-server's PVE/CLI/qm.pm). The schema (AGPL) is not vendored:
// where ../shared is absent the test says so and checks nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rig, repoRoot } from '../helpers/rig.ts';
import { clone, runSequence, vmCtx, vmRig } from './vm-sequence.ts';

interface Property {
  type?: string;
  format?: unknown;
  enum?: string[];
  minimum?: number | string;
  maximum?: number | string;
  maxLength?: number;
  pattern?: string;
  optional?: number;
}
interface ApiNode {
  path: string;
  children?: ApiNode[];
  info?: Record<string, { parameters?: { properties?: Record<string, Property> } }>;
}

const schemaFile = join(repoRoot, '..', 'shared', 'reference', 'pve-apidoc.json');
const Q = '/nodes/{node}/qemu/{vmid}';

/** qm subcommand → endpoint, and the names of its positional arguments in order. */
const endpoints: Record<string, { method: string; path: string; positionals: string[] }> = {
  create: { method: 'POST', path: '/nodes/{node}/qemu', positionals: ['vmid'] },
  set: { method: 'PUT', path: `${Q}/config`, positionals: ['vmid'] },
  resize: { method: 'PUT', path: `${Q}/resize`, positionals: ['vmid', 'disk', 'size'] },
  clone: { method: 'POST', path: `${Q}/clone`, positionals: ['vmid', 'newid'] },
  snapshot: { method: 'POST', path: `${Q}/snapshot`, positionals: ['vmid', 'snapname'] },
  delsnapshot: {
    method: 'DELETE',
    path: `${Q}/snapshot/{snapname}`,
    positionals: ['vmid', 'snapname'],
  },
  rollback: {
    method: 'POST',
    path: `${Q}/snapshot/{snapname}/rollback`,
    positionals: ['vmid', 'snapname'],
  },
  start: { method: 'POST', path: `${Q}/status/start`, positionals: ['vmid'] },
  stop: { method: 'POST', path: `${Q}/status/stop`, positionals: ['vmid'] },
  status: { method: 'GET', path: `${Q}/status/current`, positionals: ['vmid'] },
  destroy: { method: 'DELETE', path: Q, positionals: ['vmid'] },
  template: { method: 'POST', path: `${Q}/template`, positionals: ['vmid'] },
  agent: { method: 'POST', path: `${Q}/agent`, positionals: ['vmid', 'command'] },
  'cloudinit update': { method: 'PUT', path: `${Q}/cloudinit`, positionals: ['vmid'] },
  'guest exec-status': {
    method: 'GET',
    path: `${Q}/agent/exec-status`,
    positionals: ['vmid', 'pid'],
  },
};

/** `qm guest exec`'s own options (CLI, not API) and their types. */
const guestExecOptions: Record<string, Property> = {
  synchronous: { type: 'boolean' },
  timeout: { type: 'integer', minimum: 0 },
  'pass-stdin': { type: 'boolean' },
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
  if (prop.maxLength !== undefined && value.length > prop.maxLength)
    out.push(`${key}: ${value.length} characters > ${prop.maxLength}`);
  if (prop.pattern !== undefined && !new RegExp(`^(?:${prop.pattern})$`).test(value))
    out.push(`${key}=${value} does not match ${prop.pattern}`);
  if (prop.format && typeof prop.format === 'object') {
    const format = prop.format as Record<string, Property & { default_key?: number }>;
    const keys = Object.keys(format);
    for (const [i, part] of value.split(',').entries()) {
      const eq = part.indexOf('=');
      // The first part may be the default key's bare value (a volume, a NIC model).
      if (eq < 0 && i === 0) continue;
      const k = part.slice(0, eq);
      if (!keys.includes(k)) out.push(`${key}: property-string key '${k}' is not in the API`);
      else {
        const sub = format[k]!;
        if (!('alias' in sub)) out.push(...problems(sub, `${key}.${k}`, part.slice(eq + 1)));
      }
    }
  }
  return out;
}

/** The API problems of qm/pvesh argvs, and which subcommands and options were seen. */
function check(
  api: ApiNode[],
  argvs: readonly (readonly string[])[],
): { errors: string[]; seen: Set<string> } {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const argv of argvs) {
    if (argv[0] === 'pvesh') {
      const [, verb, path, ...rest] = argv;
      const method = { get: 'GET', create: 'POST', set: 'PUT', delete: 'DELETE' }[verb ?? ''];
      const apiPath = (path ?? '')
        .replace(/^\/nodes\/[^/]+/, '/nodes/{node}')
        .replace(/\/qemu\/\d+/, '/qemu/{vmid}')
        .replace(/\/lxc\/\d+/, '/lxc/{vmid}');
      const props = find(api, apiPath)?.info?.[method ?? '']?.parameters?.properties;
      if (!props) {
        errors.push(`pvesh ${verb ?? ''} ${apiPath}: no such endpoint`);
        continue;
      }
      for (let i = 0; i < rest.length; i += 2) {
        const key = (rest[i] ?? '').replace(/^--/, '');
        if (key === 'output-format') continue;
        const prop = props[key];
        if (!prop) errors.push(`pvesh ${apiPath} --${key}: not a parameter`);
        else {
          seen.add(`pvesh ${apiPath} --${key}`);
          errors.push(...problems(prop, `pvesh ${apiPath} --${key}`, rest[i + 1] ?? ''));
        }
      }
      continue;
    }
    const two = `${argv[1] ?? ''} ${argv[2] ?? ''}`;
    if (two === 'guest exec') {
      const dash = argv.indexOf('--');
      const opts = argv.slice(4, dash < 0 ? undefined : dash);
      for (let i = 0; i < opts.length; i += 2) {
        const key = (opts[i] ?? '').replace(/^--/, '');
        const prop = guestExecOptions[key];
        if (!prop) errors.push(`qm guest exec --${key}: not an option`);
        else errors.push(...problems(prop, `qm guest exec --${key}`, opts[i + 1] ?? ''));
      }
      if (dash < 0 || dash === argv.length - 1) errors.push(`qm guest exec without a command`);
      // agent/exec's input-data is the only other API parameter; the command is an array.
      assert.ok(find(api, `${Q}/agent/exec`)?.info?.POST, 'agent/exec exists');
      seen.add('guest exec');
      continue;
    }
    const sub = endpoints[two] ? two : (argv[1] ?? '');
    const ep = endpoints[sub];
    if (!ep) {
      errors.push(`qm ${sub}: not mapped to an API endpoint`);
      continue;
    }
    const props = find(api, ep.path)?.info?.[ep.method]?.parameters?.properties;
    assert.ok(props, `${ep.method} ${ep.path} missing from the API schema`);
    const skip = sub.includes(' ') ? 3 : 2;
    const positional = argv.slice(skip, skip + ep.positionals.length);
    ep.positionals.forEach((name, i) => {
      const prop = props[name];
      if (!prop && name !== 'vmid') errors.push(`qm ${sub} <${name}>: not a parameter`);
      if (prop) errors.push(...problems(prop, `qm ${sub} <${name}>`, positional[i] ?? ''));
    });
    const rest = argv.slice(skip + ep.positionals.length);
    for (let i = 0; i < rest.length; i += 2) {
      const flag = rest[i]!;
      if (!flag.startsWith('--')) {
        errors.push(`qm ${sub}: expected an option, got ${flag} in ${argv.join(' ')}`);
        continue;
      }
      const key = flag.slice(2);
      const prop = props[key] ?? props[key.replace(/\d+$/, '[n]')];
      if (!prop) {
        errors.push(`qm ${sub} --${key}: not a parameter of ${ep.method} ${ep.path}`);
        continue;
      }
      seen.add(`${sub} --${key.replace(/\d+$/, '[n]')}`);
      errors.push(...problems(prop, `qm ${sub} --${key}`, rest[i + 1] ?? ''));
    }
    // Required parameters are there (positionals, or options).
    for (const [k, v] of Object.entries(props)) {
      if (v.optional || k === 'node' || ep.positionals.includes(k)) continue;
      if (!rest.includes(`--${k}`)) errors.push(`qm ${sub}: required '${k}' missing`);
    }
    seen.add(sub);
  }
  return { errors, seen };
}

test('every qm and pvesh argv of a VM build sequence passes the PVE API schema', async () => {
  if (!existsSync(schemaFile)) {
    process.stdout.write(
      'NOTE: ../shared/reference/pve-apidoc.json is absent; API cross-check not run (data file absent)\n',
    );
    return;
  }
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const rig = await vmRig();
  await runSequence(rig);
  await rig.backend.destroy(clone, vmCtx(1001, 'create'));
  const { errors, seen } = check(
    api,
    rig.runner.argvs.filter((a) => a[0] === 'qm' || a[0] === 'pvesh'),
  );
  assert.equal(errors, []);
  for (const must of [
    'create --scsi[n]',
    'create --ide[n]',
    'create --net[n]',
    'create --serial[n]',
    'create --agent',
    'create --boot',
    'set --ipconfig[n]',
    'set --nameserver',
    'set --ciuser',
    'set --sshkeys',
    'set --startup',
    'resize',
    'clone --snapname',
    'snapshot --description',
    'rollback',
    'agent',
    'guest exec',
    'guest exec-status',
    'cloudinit update',
    'destroy --purge',
    'pvesh /nodes/{node}/qemu/{vmid}/agent/file-write --content',
  ])
    assert.ok(seen.has(must), `no generated '${must}' was checked`);
});

test('every qm and pvesh argv of a sim build of the real configs passes the PVE API schema', async () => {
  if (!existsSync(schemaFile)) return;
  const api = JSON.parse(readFileSync(schemaFile, 'utf8')) as ApiNode[];
  const rig = Rig.create({ configs: 'test/fixtures/phoenix-real' });
  try {
    const standIn = readFileSync(join(repoRoot, 'configs/images/noble-server-cloudimg-amd64.img'));
    rig.write('images/noble.img', standIn.toString('latin1'));
    rig.write(
      'phoenix.build.ts',
      `export default { images: { 'noble-server-cloudimg-amd64.img': { file: 'images/noble.img' } } };\n`,
    );
    const r = await rig.buildJson(['--all']);
    assert.is(r.code, 0, r.stderr);
    // The build record holds file-write content as its length: check that length.
    const argvs = r.json.targets
      .flatMap((t) => t.commands)
      .filter((c) => c[0] === 'qm' || (c[0] === 'pvesh' && (c[2] ?? '').includes('/qemu')))
      .map((c) =>
        c
          .map((w) => /^<(\d+) base64 chars>$/.exec(w)?.[1] ?? w)
          .map((w, i, a) => (a[i - 1] === '--content' ? 'A'.repeat(Number(w)) : w)),
      );
    const { errors, seen } = check(api, argvs);
    assert.equal(errors, []);
    for (const must of [
      'create --scsi[n]',
      'clone --snapname',
      'set --ipconfig[n]',
      'guest exec',
      'agent',
    ])
      assert.ok(seen.has(must), `no generated '${must}' in the real build`);
  } finally {
    rig.cleanup();
  }
});

test.run();
