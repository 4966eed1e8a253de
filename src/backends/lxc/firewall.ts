// LXC has no firewall of its own (Proxmox's is pve-firewall, not LXC). The lxc
// backend records what the entry declares beside the container, so it can be
// read back and compared, and says plainly that nothing enforces it.
import type { Guest } from '../../model/model.ts';

export const NOT_ENFORCED =
  'lxc backend: firewall rules are recorded, not enforced (plain LXC has no per-container firewall)';

/** What the entry declares, whole: options and rules (disabled ones kept, as in a .fw file). */
export function firewallRecord(guest: Guest): string {
  const { enabled, rules, ...options } = guest.firewall ?? { enabled: false, rules: [] };
  return (
    JSON.stringify(
      {
        ct: guest.id,
        enforced: false,
        note: NOT_ENFORCED,
        enabled,
        options,
        rules,
      },
      null,
      2,
    ) + '\n'
  );
}
