// Real containers for the lxc tests, kept off every real network: a temp lxc
// path (never /var/lib/lxc), and a bridge of the test's own with no address,
// no NAT and no uplink, so nothing a guest sends can leave this machine.
// Addresses are from 10.254.0.0/24 only; never the configs' 10.0.0.x.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LxcBackend } from '../../src/backends/lxc/backend.ts';
import { makeGuest, type GuestOptions } from '../contract/guest-factory.ts';
import type { ContractHarness } from '../contract/backend-contract.ts';
import { missing } from '../helpers/require.ts';
import { buildBusyboxTarball } from './busybox-rootfs.ts';

export const LXC_TOOLS = ['lxc-create', 'lxc-attach', 'lxc-snapshot', 'lxc-copy'];

/** A reason to skip (not root, no lxc-*, no rsync: lxc-snapshot copies a dir rootfs with it), printed; throws under PHX_TEST_NO_SKIP=1. */
export function lxcMissing(): string | undefined {
  return missing({ root: true, tools: [...LXC_TOOLS, 'ip', 'tar', 'rsync'] });
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

function quiet(argv: string[]): void {
  try {
    execFileSync(argv[0] ?? '', argv.slice(1), { stdio: 'ignore' });
  } catch {
    // best effort: cleanup of what may already be gone
  }
}

export interface LxcHarness extends ContractHarness {
  readonly backend: LxcBackend;
  readonly lxcPath: string;
  readonly tarball: string;
  readonly bridge: string;
  /** 10.254.0.<host>/24 on the test bridge. */
  address(host: number): string;
}

/** `bridge` must be unique per test file: test files run in parallel. */
export async function makeLxcHarness(bridge: string): Promise<LxcHarness> {
  const work = await mkdtemp(join(tmpdir(), 'phx-lxc-test-'));
  const lxcPath = join(work, 'lxc');
  const tarball = await buildBusyboxTarball(work);
  quiet(['ip', 'link', 'del', bridge]); // left over by a killed run
  ip('link', 'add', bridge, 'type', 'bridge');
  ip('link', 'set', bridge, 'up');
  const backend = new LxcBackend({ env: {}, lxcPath });
  let host = 10;
  const address = (n: number): string => `10.254.0.${n}/24`;
  return {
    backend,
    lxcPath,
    tarball,
    bridge,
    address,
    guest(id: number, opts: GuestOptions = {}) {
      return makeGuest(id, {
        template: tarball,
        network: {
          bridge,
          ip: address((host++ % 200) + 10),
          mac: `52:54:00:fe:00:${(id % 256).toString(16).padStart(2, '0')}`,
        },
        ...opts,
      });
    },
    async cleanup() {
      let names: string[] = [];
      try {
        names = readdirSync(lxcPath);
      } catch {
        names = [];
      }
      for (const n of names) {
        quiet(['lxc-stop', '-P', lxcPath, '-n', n, '-k']);
        quiet(['lxc-destroy', '-P', lxcPath, '-n', n, '-s']);
      }
      await rm(work, { recursive: true, force: true });
      quiet(['ip', 'link', 'del', bridge]);
    },
  };
}
