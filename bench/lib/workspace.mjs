// Shared by the benchmarks: a throw-away workspace (configs/ + features/)
// holding a 3-level template chain and N apps cloned from it, the real `phx`
// binary run on it, and the build graph read back from `phx graph`.
// Plain ESM so a benchmark runs from a fresh clone after `npm ci && npm run
// build`, with no loader beyond Node itself.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const phxBin = join(repoRoot, 'bin', 'phx.js');

// Settings every guest shares. start_at_boot false: `build --all` would
// otherwise start every guest after building, which is not what we time.
const common = {
  storage_pool: 'quickOS-lxc-disks',
  unprivileged: true,
  start_at_boot: false,
  boot_order: 0,
  boot_delay: 0,
  gpu_assignment: 'none',
  apparmor_profile: 'unconfined',
  apparmor_manages_nesting: true,
  lxc_options: ['lxc.apparmor.profile=unconfined'],
};

// Addresses in 10.20.0.0/16: host part from 2 (the gateway is .1), never .0
// or .255 in the last octet, so every address is a plain host address.
function ip(n) {
  const i = n + 2;
  return `10.20.${Math.floor(i / 250)}.${(i % 250) + 2}/16`;
}

// Locally administered MACs, one per guest: 52:54:00 + a 24-bit counter.
function mac(n) {
  const x = n + 0x100;
  return ['52', '54', '00', (x >> 16) & 0xff, (x >> 8) & 0xff, x & 0xff]
    .map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0')))
    .join(':')
    .toUpperCase();
}

function network(n) {
  return { name: 'eth0', bridge: 'vmbr0', ip: ip(n), gw: '10.20.0.1', nameservers: '10.20.0.1' };
}

const firewall = {
  enabled: true,
  rules: [
    {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      port: '80',
      source: '10.20.0.0/16',
      comment: 'http from the LAN',
    },
    {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      port: '22',
      source: '10.20.0.0/16',
      comment: 'ssh from the LAN',
    },
  ],
};

/**
 * The LXC config: 900 → 901 → 921 templates, `apps` containers cloned from
 * 921 (or, for every `from901Every`-th app, from 901, so two clone sources
 * compete). Features and the app script (957's, whose manifest consumes
 * nothing) need no GPU the apps are given and consume nothing, so no other
 * entry (lxc/103) and no GPU pool enters the graph.
 */
export function lxcConfigs({ apps, from901Every = 0 }) {
  const lxc = {};
  const template = (id, n, extra) => ({
    name: `tmpl-${id}`,
    memory_mb: 2048,
    cores: 2,
    storage_size_gb: 16,
    network_config: network(n),
    mac_address: mac(n),
    template_snapshot_name: 'final-form',
    enable_lifecycle_snapshots: true,
    ...common,
    ...extra,
  });
  lxc['900'] = template(900, 0, {
    template: '/fastData/shared-iso/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
    features: ['base_setup'],
  });
  lxc['901'] = template(901, 1, { clone_from_ctid: '900', features: ['docker'] });
  lxc['921'] = template(921, 2, { clone_from_ctid: '901', features: ['nginx'] });
  for (let i = 0; i < apps; i++) {
    const ctid = 1000 + i;
    const source = from901Every > 0 && i % from901Every === from901Every - 1 ? '901' : '921';
    lxc[String(ctid)] = {
      name: `app-${String(i).padStart(5, '0')}`,
      memory_mb: 1024,
      cores: 1,
      storage_size_gb: 16,
      network_config: network(3 + i),
      mac_address: mac(3 + i),
      clone_from_ctid: source,
      // Two layers per app: traefik, then base_setup with the app's own timezone param.
      features: ['traefik', { name: 'base_setup', params: { timezone: 'Etc/UTC' } }],
      application_script: 'phoenix_hypervisor_lxc_957.sh',
      health_check: { command: 'true', retries: 1, interval: 1 },
      firewall,
      ...common,
    };
  }
  return { lxc_configs: lxc };
}

/** A fresh workspace under os.tmpdir() with the repo's other configs and features. */
export function makeWorkspace(prefix, lxc) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'configs'));
  // Only the host file beside ours: the example VMs and stacks consume lxc/103/app and
  // would pull entries into the graph that this benchmark does not describe.
  for (const f of ['phoenix_hypervisor_config.json']) {
    cpSync(join(repoRoot, 'configs', f), join(dir, 'configs', f));
  }
  writeFileSync(
    join(dir, 'configs', 'phoenix_lxc_configs.json'),
    JSON.stringify(lxc, null, 2) + '\n',
  );
  cpSync(join(repoRoot, 'features'), join(dir, 'features'), { recursive: true });
  return dir;
}

export function removeWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Run a program to completion; resolves {code, stdout, stderr, ms} (ms = whole-process wall time). */
export function run(cmd, args, { cwd, env } = {}) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', rej);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      res({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms,
      });
    });
  });
}

/** The environment phx runs in: sim backend, its state in the workspace, no colour. */
export function phxEnv(dir, extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    PHX_BACKEND: 'sim',
    PHX_SIM_DIR: join(dir, '.phoenix-sim'),
    ...extra,
  };
}

export async function phx(dir, args, env) {
  return run(process.execPath, [phxBin, ...args], { cwd: dir, env: phxEnv(dir, env) });
}

/** Throw with phx's own output when it failed: a benchmark of a broken run means nothing. */
export function expectOk(r, what) {
  if (r.code !== 0) {
    throw new Error(
      `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  }
  return r;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;
export const ratio = (x) => `${x.toFixed(2)}×`;
