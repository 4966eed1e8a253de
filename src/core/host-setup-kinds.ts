// Host kinds built from the hypervisor config's driver, DNS and CA keys and
// from what spans every entry (issue 10): the NVIDIA host driver, the DNS
// records file the host serves, the host's trust of the Step-CA root; and
// the one guest kind of files rendered from every entry (Traefik routes,
// nginx gateway) pushed into the guest that serves them. Listed apart so
// target-id.ts takes them with one spread each.
export const hostSetupKinds = ['nvidia-driver', 'dns', 'ca-trust'] as const;

export type HostSetupKind = (typeof hostSetupKinds)[number];

/** Guest kinds of files generated from every entry: ids `lxc/<id>/generated/<file>`. */
export const generatedKinds = ['generated'] as const;
