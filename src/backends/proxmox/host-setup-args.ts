// Command lines of the driver, DNS and CA-trust operations
// (host-setup-ops.ts), as argv: config values are argv elements, never shell
// text. The same lines run on a real node and on the sim.
import type { DriverSpec } from '../host-setup-ops.ts';

/** One line per GPU, each the driver's version; exits non-zero (or 127) without a driver. */
export const driverVersionArgs = (): string[] => [
  'nvidia-smi',
  '--query-gpu=driver_version',
  '--format=csv,noheader',
];

/** What building the kernel module with DKMS needs on a Proxmox node. */
export const driverBuildPackages = ['dkms', 'proxmox-default-headers'] as const;

export const aptInstallArgs = (packages: readonly string[]): string[] => [
  'apt-get',
  'install',
  '-y',
  '--no-install-recommends',
  ...packages,
];

/** Where the runfile is kept on the node: by version, so a new version is a new file. */
export const runfilePath = (version: string): string =>
  `/var/cache/phx/nvidia/NVIDIA-Linux-x86_64-${version}.run`;

export const downloadArgs = (url: string, path: string): string[] => [
  'curl',
  '-fsSL',
  '--retry',
  '3',
  '--create-dirs',
  '-o',
  path,
  url,
];

/**
 * The host install as the bash setup ran it (phoenix-real.md §2.3,
 * `install_nvidia`): silent, kernel module through DKMS so a kernel update
 * rebuilds it. The runfile is a makeself archive: it verifies its own
 * embedded checksum before it unpacks, so a truncated download fails here.
 */
export const installDriverArgs = (d: DriverSpec): string[] => [
  'sh',
  runfilePath(d.version),
  '--silent',
  '--dkms',
];

/** Checks a dnsmasq file alone, without touching the running server. */
export const dnsTestArgs = (path: string): string[] => ['dnsmasq', '--test', `--conf-file=${path}`];

/** dnsmasq re-reads its configuration only when restarted (SIGHUP reloads hosts files only). */
export const dnsRestartArgs = (): string[] => ['systemctl', 'restart', 'dnsmasq.service'];

export const updateCaArgs = (): string[] => ['update-ca-certificates'];

/** Debian's folder of local CA certificates `update-ca-certificates` adds to the bundle. */
export const localCaDir = '/usr/local/share/ca-certificates';

/** phx's dnsmasq file; staged beside phx's own state first, checked, then put in place. */
export const dnsStagePath = '/var/lib/phx/dns/phoenix.conf';
