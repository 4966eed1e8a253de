// Issue 10, item 5: the driver, DNS and CA-trust operations of the proxmox
// backend (argv and file writes, host-setup-args.ts) against the sim node,
// which refuses what a real node refuses: a runfile NVIDIA does not publish,
// an installer run without kernel headers, a dnsmasq file with a bad line
// (the running dnsmasq keeps what it had), a certificate that does not
// parse. And the renderers: no config value can change a file's shape.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProxmoxBackend } from '../../src/backends/proxmox/backend.ts';
import type { OpContext } from '../../src/backends/backend.ts';
import { OpError } from '../../src/core/failure.ts';
import type { TargetId } from '../../src/core/target-id.ts';
import { readSetupState } from '../../src/sim/host-setup-tools.ts';
import { checkDnsmasq } from '../../src/sim/dnsmasq-conf.ts';
import { renderDnsmasq } from '../../targets/render-dnsmasq.ts';
import { renderTraefikRoutes } from '../../targets/render-traefik.ts';
import type { EntryAddress } from '../../targets/entry-addresses.ts';
import type { Guest } from '../../src/model/model.ts';
import { makeSim } from '../sim/sim-helpers.ts';

function ctx(): OpContext {
  return {
    target: 'host/dns/dnsmasq' as TargetId,
    targetKind: 'dns',
    log: () => undefined,
    commands: [],
    signal: new AbortController().signal,
  };
}

async function rig() {
  const s = await makeSim({ bare: true });
  const host = new ProxmoxBackend({ runner: s.sim, kind: 'sim' }).hostOps();
  return { ...s, host };
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, OpError);
    return (e as OpError).message;
  }
  assert.unreachable('expected the sim node to refuse');
  return '';
}

const url = (v: string) =>
  `https://us.download.nvidia.com/XFree86/Linux-x86_64/${v}/NVIDIA-Linux-x86_64-${v}.run`;

test('the driver installs from a published runfile and nvidia-smi then reports it', async () => {
  const { host, dir } = await rig();
  const c = ctx();
  assert.is(await host.installedDriver(c), undefined);
  await host.installDriver({ version: '580.76.05', runfileUrl: url('580.76.05') }, c);
  assert.is(await host.installedDriver(ctx()), '580.76.05');
  assert.is((await readSetupState(dir)).driver, '580.76.05');
  // Every config value is one argv element.
  assert.ok(c.commands.some((a) => a.at(-1) === url('580.76.05') && a[0] === 'curl'));
});

test('a version NVIDIA does not publish is a 404; another host is unreachable', async () => {
  const s = await rig();
  const msg = await failure(
    s.host.installDriver({ version: '581.0.0', runfileUrl: url('581.0.0') }, ctx()),
  );
  assert.match(msg, '404');
  const other = await s.run('curl', '-fsSL', '-o', '/tmp/x.run', 'https://example.com/x.run');
  assert.is(other.exitCode, 6);
});

test('the runfile refuses to install without kernel headers', async () => {
  const s = await rig();
  const run = (...argv: string[]) => s.run(...argv);
  const path = '/var/cache/phx/nvidia/NVIDIA-Linux-x86_64-580.76.05.run';
  assert.is((await run('curl', '-fsSL', '-o', path, url('580.76.05'))).exitCode, 0);
  const r = await run('sh', path, '--silent', '--dkms');
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, 'kernel source tree');
  assert.is((await run('nvidia-smi', '--query-gpu=driver_version')).exitCode, 127);
  assert.is((await run('apt-get', 'install', '-y', 'no-such-package')).exitCode, 100);
});

test('a dnsmasq file with a bad line is refused before it replaces the served one', async () => {
  const { host, dir } = await rig();
  const good = 'no-resolv\nserver=8.8.8.8\naddress=/ca.example/10.0.0.10\n';
  await host.applyDns({ path: '/etc/dnsmasq.d/phoenix.conf', content: good }, ctx());
  const served = { '/etc/dnsmasq.d/phoenix.conf': good };
  assert.equal((await readSetupState(dir)).dnsmasq, served);
  const msg = await failure(
    host.applyDns({ path: '/etc/dnsmasq.d/phoenix.conf', content: 'server=dns.example\n' }, ctx()),
  );
  assert.match(msg, 'bad address at line 1');
  assert.is(readFileSync(join(dir, 'host/etc/dnsmasq.d/phoenix.conf'), 'utf8'), good);
  assert.equal((await readSetupState(dir)).dnsmasq, served);
  assert.is(checkDnsmasq('no-resolv=yes\n', 'f'), 'dnsmasq: extraneous parameter at line 1 of f');
  assert.is(checkDnsmasq('adress=/a/1.2.3.4\n', 'f'), 'dnsmasq: bad option at line 1 of f');
});

test('update-ca-certificates skips what is not a certificate', async () => {
  const { host, dir } = await rig();
  await host.trustCa({ fileName: 'junk.crt', pem: 'not a certificate\n' }, ctx());
  assert.is(readFileSync(join(dir, 'host/etc/ssl/certs/ca-certificates.crt'), 'utf8'), '');
});

const guest = (id: number, kind: 'lxc' | 'vm' = 'lxc') => ({ id, kind }) as unknown as Guest;

test('renderers: a service name cannot add lines, and a name taken twice is one record', () => {
  const entries: EntryAddress[] = [
    { guest: guest(101), name: 'gw', ip: '10.0.0.153', service: { name: 'nginx', port: 443 } },
    {
      guest: guest(950),
      name: 'qwen-host',
      ip: '10.0.0.150',
      service: { name: 'x"\n  evil: 1', port: 8000 },
    },
    {
      guest: guest(1001, 'vm'),
      name: 'portainer',
      ip: '10.0.0.111',
      service: { name: 'nginx', port: 9443 },
    },
  ];
  const routes = renderTraefikRoutes({ domain: 'd.example', entries });
  assert.not.ok(routes.split('\n').some((l) => l.startsWith('  evil')));
  assert.match(
    routes,
    '- url: "http://10.0.0.153:443"\n          - url: "https://10.0.0.111:9443"',
  );
  const dns = renderDnsmasq({ upstream: ['1.1.1.1'], zones: [], domain: 'd.example', entries });
  assert.is(checkDnsmasq(dns, 'f'), undefined);
  assert.is(dns.match(/address=\/nginx\.d\.example\//g)?.length, 1);
  assert.not.match(dns, 'evil');
});

test.run();
