// The sim node's tools for the NVIDIA driver, DNS and CA trust (issue 10):
// apt-get install, curl, the NVIDIA runfile, nvidia-smi, dnsmasq --test,
// systemctl restart dnsmasq and update-ca-certificates, each refusing what
// the real one refuses (an unknown package, a runfile URL NVIDIA does not
// publish, an install without kernel headers, a dnsmasq file with a bad
// line, a certificate that does not parse). State in <dir>/host-setup.json;
// files are host files (<dir>/host/…). Dispatched by runner.ts; a command
// line this file does not model is left to the others (undefined).
import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { done, type OpEnv, type Outcome, type SimNode } from './node.ts';
import { readHostFile, writeHostFile } from './host-files.ts';
import { writeAtomic } from './store.ts';
import { checkDnsmasq } from './dnsmasq-conf.ts';

export interface HostSetupState {
  /** Packages `apt-get install` installed. */
  packages: string[];
  /** The loaded NVIDIA driver's version, once a runfile installed it. */
  driver?: string;
  /** The dnsmasq files the running dnsmasq loaded at its last restart (path → text). */
  dnsmasq?: Record<string, string>;
}

/** Versions NVIDIA publishes a Linux x86_64 runfile of (a sample of real ones). */
export const publishedDrivers = new Set([
  '535.247.01',
  '550.163.01',
  '570.172.08',
  '575.64.05',
  '580.65.06',
  '580.76.05',
  '580.82.07',
  '580.95.05',
]);

/** Packages the node's apt sources have, among those phx installs on a host. */
const aptPackages = new Set([
  'dnsmasq',
  'dkms',
  'proxmox-default-headers',
  'build-essential',
  'ca-certificates',
  'samba',
  'nfs-kernel-server',
  'apparmor-utils',
]);

const runfileUrl =
  /^https:\/\/us\.download\.nvidia\.com\/XFree86\/Linux-x86_64\/([0-9.]+)\/NVIDIA-Linux-x86_64-([0-9.]+)\.run$/;
const runfileMark = /^# NVIDIA-Linux-x86_64-([0-9.]+)\.run \(sim\)$/m;
const GPUS = 2;
const dnsmasqDir = '/etc/dnsmasq.d';
const localCaDir = '/usr/local/share/ca-certificates';
export const caBundle = '/etc/ssl/certs/ca-certificates.crt';

const fail = (message: string, exitCode = 1): Outcome => ({
  exitCode,
  stdout: '',
  stderr: `${message}\n`,
});

/** A folder of the node's plain host files. */
const hostDir = (node: SimNode, path: string) =>
  join(node.store.dir, 'host', path.replace(/^\/+/, ''));

export async function readSetupState(dir: string): Promise<HostSetupState> {
  try {
    return JSON.parse(await readFile(join(dir, 'host-setup.json'), 'utf8')) as HostSetupState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { packages: [] };
  }
}

async function listFiles(node: SimNode, dir: string, suffix: string): Promise<string[]> {
  try {
    return (await readdir(hostDir(node, dir)))
      .filter((f) => f.endsWith(suffix))
      .sort()
      .map((f) => `${dir}/${f}`);
  } catch {
    return [];
  }
}

class Tools {
  constructor(
    private readonly node: SimNode,
    private readonly env: OpEnv,
    private readonly state: HostSetupState,
  ) {}

  private save(): Promise<void> {
    return writeAtomic(join(this.node.store.dir, 'host-setup.json'), JSON.stringify(this.state));
  }

  async aptGet(words: readonly string[]): Promise<Outcome> {
    if (words[0] !== 'install') return fail(`E: Invalid operation ${words[0] ?? ''}`, 100);
    const names = words.slice(1).filter((w) => !w.startsWith('-'));
    for (const n of names)
      if (!aptPackages.has(n)) return fail(`E: Unable to locate package ${n}`, 100);
    this.state.packages = [...new Set([...this.state.packages, ...names])].sort();
    await this.save();
    return done();
  }

  async curl(words: readonly string[]): Promise<Outcome> {
    let out: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-o' || w === '--output') out = words[++i];
      else if (w === '--retry') i++;
      else if (!w.startsWith('-')) rest.push(w);
    }
    const url = rest[0];
    if (url === undefined || out === undefined) return fail('curl: no URL or no -o given', 2);
    const host = /^https?:\/\/([^/]+)/.exec(url)?.[1] ?? '';
    if (host !== 'us.download.nvidia.com')
      return fail(
        `curl: (6) Could not resolve host: ${host} (the sim node reaches NVIDIA only)`,
        6,
      );
    const m = runfileUrl.exec(url);
    if (m === null || m[1] !== m[2] || !publishedDrivers.has(m[1]!))
      return fail('curl: (22) The requested URL returned error: 404', 22);
    await writeHostFile(
      this.node,
      out,
      `#!/bin/sh\n# NVIDIA-Linux-x86_64-${m[1]!}.run (sim)\n`,
      this.env,
    );
    return done();
  }

  async runfile(path: string, flags: readonly string[]): Promise<Outcome> {
    const text = await readHostFile(this.node, path, this.env);
    if (text === undefined) return fail(`sh: 0: cannot open ${path}: No such file`, 2);
    const version = runfileMark.exec(text)?.[1];
    if (version === undefined) return fail(`Verifying archive integrity... Error in checksums`, 1);
    if (!flags.includes('--silent'))
      return fail('ERROR: the sim runs the installer only with --silent', 1);
    if (!this.state.packages.includes('proxmox-default-headers'))
      return fail(
        'ERROR: Unable to find the kernel source tree for the currently running kernel.',
        1,
      );
    if (flags.includes('--dkms') && !this.state.packages.includes('dkms'))
      return fail('ERROR: Failed to run `dkms status`: dkms is not installed.', 1);
    this.state.driver = version;
    await this.save();
    return done();
  }

  nvidiaSmi(words: readonly string[]): Outcome {
    if (this.state.driver === undefined)
      return fail('sim: nvidia-smi: command not found on the sim node', 127);
    if (words.includes('--query-gpu=driver_version'))
      return done(`${this.state.driver}\n`.repeat(GPUS));
    return done(`NVIDIA-SMI ${this.state.driver}   Driver Version: ${this.state.driver}\n`);
  }

  async dnsmasqTest(words: readonly string[]): Promise<Outcome> {
    if (!this.state.packages.includes('dnsmasq'))
      return fail('sim: dnsmasq: command not found on the sim node', 127);
    const file = words.find((w) => w.startsWith('--conf-file='))?.slice('--conf-file='.length);
    if (!words.includes('--test') || file === undefined)
      return fail('sim: dnsmasq is modelled for --test --conf-file=FILE only', 2);
    const text = await readHostFile(this.node, file, this.env);
    if (text === undefined)
      return fail(`dnsmasq: cannot read ${file}: No such file or directory`, 3);
    const problem = checkDnsmasq(text, file);
    return problem === undefined
      ? { exitCode: 0, stdout: '', stderr: 'dnsmasq: syntax check OK.\n' }
      : fail(problem, 1);
  }

  async restartDnsmasq(): Promise<Outcome> {
    if (!this.state.packages.includes('dnsmasq'))
      return fail('Failed to restart dnsmasq.service: Unit dnsmasq.service not found.', 5);
    const loaded: Record<string, string> = {};
    for (const path of await listFiles(this.node, dnsmasqDir, '.conf')) {
      const text = (await readHostFile(this.node, path, this.env)) ?? '';
      if (checkDnsmasq(text, path) !== undefined)
        return fail(
          'Job for dnsmasq.service failed because the control process exited with error code.',
          1,
        );
      loaded[path] = text;
    }
    this.state.dnsmasq = loaded;
    await this.save();
    return done();
  }

  async updateCa(): Promise<Outcome> {
    const certs: string[] = [];
    const notes: string[] = [];
    for (const path of await listFiles(this.node, localCaDir, '.crt')) {
      const pem = (await readHostFile(this.node, path, this.env)) ?? '';
      try {
        new X509Certificate(pem);
        certs.push(pem.endsWith('\n') ? pem : `${pem}\n`);
      } catch {
        notes.push(`WARNING: ${path} does not contain exactly one certificate or CRL: skipping`);
      }
    }
    await writeHostFile(this.node, caBundle, certs.join(''), this.env);
    return {
      exitCode: 0,
      stdout: `Updating certificates in /etc/ssl/certs...\n${certs.length} added, 0 removed; done.\n`,
      stderr: notes.map((n) => `${n}\n`).join(''),
    };
  }
}

const modelled = new Set([
  'apt-get',
  'curl',
  'sh',
  'nvidia-smi',
  'dnsmasq',
  'systemctl',
  'update-ca-certificates',
]);

export async function runHostSetup(
  node: SimNode,
  argv: readonly string[],
  env: OpEnv,
): Promise<Outcome | undefined> {
  const tool = posix.basename(argv[0] ?? '');
  const words = argv.slice(1);
  const pick = (t: Tools): (() => Promise<Outcome> | Outcome) | undefined => {
    switch (tool) {
      case 'apt-get':
        return () => t.aptGet(words);
      case 'curl':
        return () => t.curl(words);
      case 'sh':
        return words[0]?.endsWith('.run') === true
          ? () => t.runfile(words[0]!, words.slice(1))
          : undefined;
      case 'nvidia-smi':
        return () => t.nvidiaSmi(words);
      case 'dnsmasq':
        return () => t.dnsmasqTest(words);
      case 'systemctl':
        return words[0] === 'restart' && /^dnsmasq(\.service)?$/.test(words[1] ?? '')
          ? () => t.restartDnsmasq()
          : undefined;
      case 'update-ca-certificates':
        return () => t.updateCa();
      default:
        return undefined;
    }
  };
  if (!modelled.has(tool)) return undefined;
  const run = pick(new Tools(node, env, await readSetupState(node.store.dir)));
  if (run === undefined) return undefined;
  // The command's simulated time and blocking faults come before its effect.
  await env.pause();
  return run();
}
