// Host operations for the NVIDIA driver, the DNS server and the host's CA
// trust (issue 10). The proxmox backend runs them as argv commands and file
// writes on the node (locally, over SSH, or on the sim); HostOps (backend.ts)
// extends this interface with its OpContext as `Ctx` (a type parameter, so
// this module imports nothing of backend.ts, which imports it).

export interface DriverSpec {
  /** `580.76.05`: what `nvidia-smi` must report once installed. */
  readonly version: string;
  /** NVIDIA's runfile of exactly that version (its URL names the version). */
  readonly runfileUrl: string;
}

export interface DnsSpec {
  /** The whole dnsmasq file phx owns on the host. */
  readonly path: string;
  readonly content: string;
}

export interface CaTrustSpec {
  /** File name under /usr/local/share/ca-certificates/ (`phoenix_root_ca.crt`). */
  readonly fileName: string;
  /** The PEM certificate to trust. */
  readonly pem: string;
}

export interface HostSetupOps<Ctx> {
  /** The driver version `nvidia-smi` reports; undefined when no driver answers. */
  installedDriver(ctx: Ctx): Promise<string | undefined>;
  /** Download the runfile, install it with DKMS, and check the version the driver then reports. */
  installDriver(driver: DriverSpec, ctx: Ctx): Promise<void>;
  /** Install dnsmasq if needed, check the file with `dnsmasq --test`, put it in place, restart. */
  applyDns(dns: DnsSpec, ctx: Ctx): Promise<void>;
  /** Put the certificate in the host's trust store and rebuild the bundle. */
  trustCa(ca: CaTrustSpec, ctx: Ctx): Promise<void>;
}
