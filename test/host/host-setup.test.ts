// Issue 10: the host's NVIDIA driver, DNS and CA trust, and the files
// generated from every entry (Traefik routes, nginx gateway), through the
// real CLI on the sim node. Builds select guests (not --all) so each test
// builds only what it is about.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Rig, built, repoRoot, toBuild, type BuildJson, type PlanJson } from '../helpers/rig.ts';

const hyp = 'configs/phoenix_hypervisor_config.json';
const lxc = 'configs/phoenix_lxc_configs.json';
const driver = 'host/nvidia-driver/nvidia';
const runfile = (v: string) =>
  `https://us.download.nvidia.com/XFree86/Linux-x86_64/${v}/NVIDIA-Linux-x86_64-${v}.run`;

function sim(rig: Rig, ...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx-sim.js'), ...args], {
    cwd: rig.dir,
    env: rig.env(),
    encoding: 'utf8',
  });
}

/** A file inside a sim container, as `cat` there prints it. */
function guestFile(rig: Rig, id: string, path: string): string {
  const r = sim(rig, 'pct', 'exec', id, '--', 'cat', path);
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

const hostFile = (rig: Rig, path: string) =>
  readFileSync(rig.path(join('.phoenix-sim', 'host', path)), 'utf8');

const setupState = (rig: Rig) =>
  JSON.parse(readFileSync(rig.path('.phoenix-sim/host-setup.json'), 'utf8')) as {
    packages: string[];
    driver?: string;
    dnsmasq?: Record<string, string>;
  };

/** Ids whose reasons name a changed config input starting with `prefix`. */
function changedBy(plan: PlanJson, prefix: string): string[] {
  return plan.targets
    .filter((t) =>
      t.reasons.some(
        (r: { kind: string; input?: string }) =>
          r.kind === 'input-changed' && r.input?.startsWith(`config:${prefix}`),
      ),
    )
    .map((t) => t.id)
    .sort();
}

function setDriver(rig: Rig, version: string, url = runfile(version)): void {
  rig.editJson(hyp, (d) => {
    d.nvidia_driver.version = version;
    d.nvidia_driver.runfile_url = url;
  });
}

// GPU guests: 901 (nvidia feature) → 921 (clone, vllm) → 950 (clone); 955,
// made a clone of 900 without features here, has a GPU and no nvidia layer
// in its chain.
const gpuSelection = ['901', '921', '950', '955', driver];

test('a new driver version rebuilds the driver and exactly the layers built on the nvidia feature', async () => {
  const rig = Rig.create();
  try {
    rig.editJson(lxc, (d) => {
      d.lxc_configs['955'].clone_from_ctid = '900';
      d.lxc_configs['955'].features = [];
    });
    const first = await rig.buildJson(gpuSelection);
    assert.is(first.code, 0, first.stderr);
    const install = first.json.targets.find((t) => t.id === driver)!;
    assert.equal(install.commands, [
      ['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'],
      ['apt-get', 'install', '-y', '--no-install-recommends', 'dkms', 'proxmox-default-headers'],
      [
        'curl',
        '-fsSL',
        '--retry',
        '3',
        '--create-dirs',
        '-o',
        '/var/cache/phx/nvidia/NVIDIA-Linux-x86_64-580.76.05.run',
        runfile('580.76.05'),
      ],
      ['sh', '/var/cache/phx/nvidia/NVIDIA-Linux-x86_64-580.76.05.run', '--silent', '--dkms'],
      ['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'],
    ]);
    assert.is(setupState(rig).driver, '580.76.05');

    setDriver(rig, '580.82.07');
    const plan = (await rig.planJson(gpuSelection)).json;
    const rebuilt = toBuild(plan);
    // The inputs that changed: the driver's own and the nvidia feature's reading of its version.
    assert.equal(changedBy(plan, '/nvidia_driver/'), [driver, 'lxc/901/feature/nvidia']);
    // Everything else rebuilds because it is built on that layer: 901 above
    // the layer, and the clones of 901 (921) and of 921 (950).
    for (const id of rebuilt)
      assert.ok(id === driver || /^lxc\/(901|921|950)\//.test(id), `${id} should not rebuild`);
    assert.not.ok(rebuilt.includes('lxc/901/clone'), 'the layer below nvidia stays');
    assert.ok(rebuilt.includes('lxc/921/clone') && rebuilt.includes('lxc/950/clone'));
    // 955 has a GPU but no nvidia feature: it waits for the driver, reads nothing of it.
    assert.not.ok(rebuilt.some((id) => id.startsWith('lxc/955/')));

    // 950 is a service guest: re-cloning it destroys its rootfs, which needs consent.
    const second = await rig.buildJson(['--replace', '950', ...gpuSelection]);
    assert.is(second.code, 0, second.stderr);
    assert.equal(built(second.json), rebuilt);
    assert.is(setupState(rig).driver, '580.82.07');
    const smi = sim(rig, 'nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader');
    assert.is(smi.stdout.split('\n')[0], '580.82.07');
    const again = await rig.phx(['plan', '--detailed-exitcode', ...gpuSelection]);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('a driver NVIDIA publishes no runfile for is refused by the node, and a URL of another version before any command', async () => {
  const rig = Rig.create();
  try {
    setDriver(rig, '581.1.1');
    const r = await rig.buildJson([driver]);
    assert.is(r.code, 1);
    const t = r.json.targets.find((x) => x.id === driver)!;
    assert.is(t.action, 'failed');
    assert.equal(t.commands.at(-1)![0], 'curl');
    assert.is(
      existsSync(rig.path('.phoenix-sim/host-setup.json')) && setupState(rig).driver,
      undefined,
    );

    setDriver(rig, '580.82.07', runfile('580.76.05'));
    const wrong = await rig.buildJson([driver]);
    assert.is(wrong.code, 1);
    assert.equal(wrong.json.targets.find((x) => x.id === driver)!.commands, []);
    assert.match(wrong.stdout + wrong.stderr, 'does not name version 580.82.07');
  } finally {
    rig.cleanup();
  }
});

test('adding one traefik_service re-renders the routes, the gateway and the DNS file, each applied in one place', async () => {
  const rig = Rig.create();
  try {
    const selection = ['101', '102', '953', 'host/dns/dnsmasq'];
    const first = await rig.buildJson(selection);
    assert.is(first.code, 0, first.stderr);
    const routes = guestFile(rig, '102', '/etc/traefik/dynamic/phx-routes.yml');
    assert.match(routes, '"qwen":\n      rule: "Host(`qwen.internal.thinkheads.ai`)"');
    assert.match(routes, '- url: "http://10.0.0.150:8000"');
    assert.not.match(routes, 'rag');

    rig.editJson(lxc, (d) => {
      d.lxc_configs['953'].traefik_service = { name: 'rag', port: 8080 };
    });
    const plan = (await rig.planJson(selection)).json;
    assert.equal(toBuild(plan), [
      'host/dns/dnsmasq',
      'lxc/101/generated/nginx-gateway',
      'lxc/102/generated/traefik-routes',
    ]);
    const reasons = plan.targets.find((t) => t.id === 'lxc/102/generated/traefik-routes')!.reasons;
    assert.ok(
      reasons.some(
        (r: { input?: string }) => r.input === 'config:/lxc_configs/953/traefik_service',
      ),
      JSON.stringify(reasons),
    );

    const second = await rig.buildJson(selection);
    assert.is(second.code, 0, second.stderr);
    const cmds = (id: string) => second.json.targets.find((t) => t.id === id)!.commands;
    // One guest each, no layer rebuilt (no rollback, no snapshot).
    for (const [id, ct] of [
      ['lxc/102/generated/traefik-routes', '102'],
      ['lxc/101/generated/nginx-gateway', '101'],
    ] as const) {
      const lines = cmds(id).filter((c) => c[0] === 'pct');
      assert.ok(lines.length > 0 && lines.every((c) => c[2] === ct), JSON.stringify(lines));
      assert.not.ok(lines.some((c) => ['rollback', 'snapshot', 'delsnapshot'].includes(c[1]!)));
    }
    assert.ok(
      cmds('lxc/101/generated/nginx-gateway').some((c) => c.includes('nginx') && c.includes('-t')),
    );
    const now = guestFile(rig, '102', '/etc/traefik/dynamic/phx-routes.yml');
    assert.match(now, '"rag":\n      rule: "Host(`rag.internal.thinkheads.ai`)"');
    assert.match(now, '- url: "http://10.0.0.160:8080"');
    const gateway = guestFile(rig, '101', '/etc/nginx/conf.d/phx-services.conf');
    assert.match(gateway, 'server_name rag.internal.thinkheads.ai;');
    assert.match(gateway, 'server 10.0.0.12:80;');
    const again = await rig.phx(['plan', '--detailed-exitcode', ...selection]);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('the DNS file holds every entry and service, is checked before it replaces the served one', async () => {
  const rig = Rig.create();
  try {
    const r = await rig.buildJson(['host/dns/dnsmasq']);
    assert.is(r.code, 0, r.stderr);
    const conf = hostFile(rig, 'etc/dnsmasq.d/phoenix.conf');
    for (const line of [
      'listen-address=127.0.0.1,10.0.0.13',
      'server=8.8.8.8',
      'server=1.1.1.1',
      'domain=internal.thinkheads.ai',
      // Entry names at their own address; service names at the gateway (101).
      'address=/step-ca.internal.thinkheads.ai/10.0.0.10',
      'address=/traefik-internal.internal.thinkheads.ai/10.0.0.12',
      'address=/ca.internal.thinkheads.ai/10.0.0.153',
      'address=/qwen.internal.thinkheads.ai/10.0.0.153',
    ])
      assert.ok(conf.split('\n').includes(line), `${line} in\n${conf}`);
    // VM entries too, dhcp ones without a record.
    assert.ok(conf.includes('address=/portainer.internal.thinkheads.ai/'));
    assert.not.ok(conf.includes('ubuntu-2404-cloud-template'));
    assert.equal(setupState(rig).dnsmasq, { '/etc/dnsmasq.d/phoenix.conf': conf });

    rig.editJson(hyp, (d) => {
      d.dns_server.upstream_servers = ['8.8.8.8', 'dns.example'];
    });
    const bad = await rig.buildJson(['host/dns/dnsmasq']);
    assert.is(bad.code, 1);
    assert.match(bad.stdout + bad.stderr, 'bad address at line');
    // The served file and the running dnsmasq are as they were.
    assert.is(hostFile(rig, 'etc/dnsmasq.d/phoenix.conf'), conf);
    assert.equal(setupState(rig).dnsmasq, { '/etc/dnsmasq.d/phoenix.conf': conf });
  } finally {
    rig.cleanup();
  }
});

/** A self-signed CA certificate made by openssl, and its SHA-256 fingerprint as `step` prints it. */
function makeRoot(dir: string, cn: string): { pem: string; fingerprint: string } {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'k.pem');
  const crt = join(dir, 'c.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '30',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { encoding: 'utf8' },
  );
  assert.is(made.status, 0, made.stderr);
  const fp = spawnSync('openssl', ['x509', '-in', crt, '-noout', '-fingerprint', '-sha256'], {
    encoding: 'utf8',
  });
  return {
    pem: readFileSync(crt, 'utf8'),
    fingerprint: fp.stdout.replace(/.*=/, '').replace(/:/g, '').trim().toLowerCase(),
  };
}

/**
 * Build `host/ca-trust/step-ca` while 103's app "publishes" `root`: the sim
 * runs no app script, so the test puts the files where the app writes them,
 * inside CT 103, while the build waits just before phx collects them.
 */
async function buildPublishing(rig: Rig, root: { pem: string; fingerprint: string }, tag: string) {
  const release = rig.path(`release-${tag}`);
  const since = Date.now();
  const run = rig.spawn(['build', '--json', caTrust], {
    faults: [
      {
        target: 'lxc/103/app',
        match: ['pct', 'exec', '103', '--', 'mkdir', '-p', '/var/lib/phx/artifacts'],
        action: 'wait-file',
        path: release,
        times: 1,
      },
    ],
  });
  try {
    await rig.waitFor(
      () =>
        rig
          .journal()
          .some(
            (e: { target?: string; argv?: string[]; start_ms: number }) =>
              e.target === 'lxc/103/app' &&
              e.argv?.includes('./phoenix_hypervisor_lxc_103.sh') === true &&
              e.start_ms >= since,
          ),
      "103's app run",
    );
    const local = rig.path(`root-${tag}`);
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, 'root_ca.crt'), root.pem);
    writeFileSync(join(local, 'root_ca.fingerprint'), `${root.fingerprint}\n`);
    const put = [
      ['pct', 'exec', '103', '--', 'mkdir', '-p', '/var/lib/phx/artifacts'],
      ['pct', 'push', '103', join(local, 'root_ca.crt'), '/var/lib/phx/artifacts/root_ca.crt'],
      [
        'pct',
        'push',
        '103',
        join(local, 'root_ca.fingerprint'),
        '/var/lib/phx/artifacts/root_ca.fingerprint',
      ],
    ];
    for (const argv of put) {
      const r = sim(rig, ...argv);
      assert.is(r.status, 0, r.stderr);
    }
  } finally {
    writeFileSync(release, '');
  }
  const done = await run.done;
  return { ...done, json: JSON.parse(done.stdout) as BuildJson };
}
const caTrust = 'host/ca-trust/step-ca';

test("the host's CA trust follows 103's published root", async () => {
  const rig = Rig.create();
  try {
    const a = makeRoot(rig.path('tmp-a'), 'Phoenix Root A');
    const first = await buildPublishing(rig, a, 'a');
    assert.is(first.code, 0, first.stderr);
    assert.equal(first.json.targets.find((t) => t.id === caTrust)!.commands, [
      ['write-file', '/usr/local/share/ca-certificates/phoenix_root_ca.crt'],
      ['update-ca-certificates'],
    ]);
    assert.is(hostFile(rig, 'etc/ssl/certs/ca-certificates.crt'), a.pem);

    // 103's app rebuilt (its script edited): the host's trust is re-applied, nothing else of the host.
    rig.append('features/apps/phoenix_hypervisor_lxc_103.sh', '\n# edited\n');
    const plan = (await rig.planJson([caTrust])).json;
    assert.equal(toBuild(plan), [caTrust, 'lxc/103/app', 'lxc/103/settings']);
    assert.ok(
      plan.targets
        .find((t) => t.id === caTrust)!
        .reasons.some((r: { input?: string }) => r.input === 'upstream:lxc/103/app'),
    );
    const b = makeRoot(rig.path('tmp-b'), 'Phoenix Root B');
    const second = await buildPublishing(rig, b, 'b');
    assert.is(second.code, 0, second.stderr);
    assert.is(hostFile(rig, 'etc/ssl/certs/ca-certificates.crt'), b.pem);
    const again = await rig.phx(['plan', '--detailed-exitcode', caTrust]);
    assert.is(again.code, 0, again.stdout + again.stderr);
  } finally {
    rig.cleanup();
  }
});

test('a published root that does not match its published fingerprint is refused, the store kept', async () => {
  const rig = Rig.create();
  try {
    const a = makeRoot(rig.path('tmp-a'), 'Phoenix Root A');
    const b = makeRoot(rig.path('tmp-b'), 'Phoenix Root B');
    const r = await buildPublishing(rig, { pem: b.pem, fingerprint: a.fingerprint }, 'x');
    assert.is(r.code, 1);
    assert.match(r.stdout + r.stderr, 'not the published');
    assert.not.ok(existsSync(rig.path('.phoenix-sim/host/etc/ssl/certs/ca-certificates.crt')));
  } finally {
    rig.cleanup();
  }
});

test.run();
