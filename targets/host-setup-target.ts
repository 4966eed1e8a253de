// Targets of the NVIDIA driver, DNS and CA trust of the host, and of the
// files rendered from every entry and pushed into the guest that serves them
// (issue 10). Each holds exactly what its rule applies.
import type { HostBase, TargetBase } from './target.ts';
import type { DriverSpec, DnsSpec } from '../src/backends/host-setup-ops.ts';

/** `nvidia_driver`: the host's kernel driver, installed from NVIDIA's runfile. */
export interface NvidiaDriverTarget extends HostBase<'nvidia-driver'> {
  readonly driver: DriverSpec;
}

/** `dns_server` plus every entry's name and address: the dnsmasq file the host serves. */
export interface DnsTarget extends HostBase<'dns'> {
  readonly dns: DnsSpec;
}

/** The host trusts the root CA the Step-CA entry's app publishes (artifact edge). */
export interface CaTrustTarget extends HostBase<'ca-trust'> {
  /** The producer whose published `root_ca.crt` is trusted (`lxc/103/app`). */
  readonly producer: string;
  /** File name in /usr/local/share/ca-certificates/. */
  readonly fileName: string;
}

export type HostSetupTarget = NvidiaDriverTarget | DnsTarget | CaTrustTarget;

/** What a generated file does once written into its guest. */
export interface GeneratedFile {
  /** Absolute path inside the guest. */
  readonly path: string;
  /** The rendered text; its digest is in the target's config slice. */
  readonly content: string;
  /** Run inside the guest before the reload: refuses a file the service would not load. */
  readonly check?: readonly string[];
  /** Run inside the guest after the check, so the service takes the file. */
  readonly reload?: readonly string[];
}

/**
 * A file rendered from every entry (Traefik routes, nginx gateway), pushed
 * into the guest that serves it after that guest's last layer: beside the
 * chain, so a new route re-applies one file and rebuilds no layer.
 */
export interface GeneratedTarget extends TargetBase<'generated'> {
  readonly layer?: undefined;
  readonly file: GeneratedFile;
}
