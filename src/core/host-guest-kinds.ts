// Host kinds that exist for the guests' sake (issue 10): the subuid/subgid
// lines an id map needs, the host folder a bind mount needs, the AppArmor
// profile an entry names. Derived from the container entries, not from the
// hypervisor config; listed apart so target-id.ts takes them with one spread.
export const hostGuestKinds = ['subid', 'bind-folder', 'apparmor-profile'] as const;

export type HostGuestKind = (typeof hostGuestKinds)[number];
