// What the targets of the NVIDIA driver, DNS and CA trust of the host, and
// of the files rendered from every entry, hold beyond every target's fields
// (issue 10); target.ts joins each to its base. Each holds exactly what its
// rule applies. No import of target.ts: the union there imports these.
import type { DriverSpec, DnsSpec } from '../src/backends/host-setup-ops.ts';
import type { TargetId } from '../src/core/target-id.ts';

/** `nvidia_driver`: the host's kernel driver, installed from NVIDIA's runfile. */
export interface NvidiaDriverFields {
  readonly driver: DriverSpec;
}

/** `dns_server` plus every entry's name and address: the dnsmasq file the host serves. */
export interface DnsFields {
  readonly dns: DnsSpec;
}

/** The host trusts the root CA the Step-CA entry's app publishes (artifact edge). */
export interface CaTrustFields {
  /** The producer whose published `root_ca.crt` is trusted (`lxc/103/app`). */
  readonly producer: TargetId;
  /** File name in /usr/local/share/ca-certificates/. */
  readonly fileName: string;
}

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
export interface GeneratedFields {
  readonly file: GeneratedFile;
}
