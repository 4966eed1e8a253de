// The hypervisor config's service blocks (issue 10), typed because host
// targets read them: `nfs`, `samba`, `users`, and `shared_volumes.firewall`
// (Phoenix HEAD keeps the host firewall there). Loose objects: unknown keys
// are kept, as the rest of the file is permissive (hypervisor.ts).
import { z } from 'zod';
import { firewallRule } from './common.ts';

export const hostNfs = z.looseObject({
  exports: z
    .array(
      z.looseObject({
        path: z.string().min(1),
        clients: z.array(z.string().min(1)).min(1),
        options: z.array(z.string().min(1)).default([]),
      }),
    )
    .default([]),
});

/** `options`: `"browseable=yes writable=yes"` as Phoenix writes it, or an object. */
const shareOptions = z.union([
  z.string(),
  z.record(z.string(), z.union([z.string(), z.boolean()])),
]);

export const hostSamba = z.looseObject({
  user: z.string().min(1).optional(),
  /**
   * The Samba password: a secret reference (`env:NAME`, `file:PATH`). Phoenix
   * had none in its config (a literal in its script); absent, the user is
   * not added and the build says so.
   */
  password: z.string().min(1).optional(),
  shares: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        path: z.string().min(1),
        options: shareOptions.optional(),
        valid_users: z.array(z.string().min(1)).default([]),
      }),
    )
    .default([]),
});

export const hostUser = z.looseObject({
  username: z.string().min(1),
  /** crypt(3) hash for `chpasswd -e`; `NOT_SET` or absent: no password. */
  password_hash: z.string().optional(),
  sudo_access: z.boolean().optional(),
  ssh_public_key: z.string().optional(),
});

export const hostFirewallBlock = z.looseObject({
  enabled: z.boolean().optional(),
  default_input_policy: z.string().optional(),
  default_output_policy: z.string().optional(),
  global_firewall_rules: z.array(firewallRule).optional(),
});

/** Shared volumes (unused by Phoenix) and, at HEAD, the host firewall. */
export const hostSharedVolumes = z.looseObject({ firewall: hostFirewallBlock.optional() });
