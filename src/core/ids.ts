// Guest ids and kinds: the words every layer shares, from the config loader
// to the backends and the cache.

/** A CTID or VMID: containers and VMs share Proxmox's id space (100..999999999). */
export type GuestId = number & { readonly __brand: 'GuestId' };

export type GuestKind = 'lxc' | 'vm';
