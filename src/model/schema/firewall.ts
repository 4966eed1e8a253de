// A guest's `firewall` block: what reaches /etc/pve/firewall/<id>.fw. Every
// field accepted here has a place in pve-firewall's syntax (checked against
// pve-firewall's src/PVE/Firewall.pm: parse_fw_rule, verify_rule,
// parse_vmfw_option); what Proxmox would refuse or silently drop is refused
// here or, for the address, protocol and port values, by the pve-values
// check, where the error can point into the user's file.
import { z } from 'zod';
import { canonicalMacro, FIREWALL_ACTIONS, FIREWALL_LOG_LEVELS } from '../pve/firewall.ts';

// The tables live with the other Proxmox formats (src/model/pve/firewall.ts).
export {
  canonicalMacro,
  FIREWALL_LOG_LEVELS,
  FIREWALL_MACROS,
  PROTOCOLS_WITH_PORTS,
} from '../pve/firewall.ts';

/** A port or port list: Phoenix writes `"80,443"`; a bare number is accepted too. */
const portLike = z.union([z.string(), z.int()]).transform((v) => String(v));

const logLevel = z.enum(FIREWALL_LOG_LEVELS, {
  error: `expected a log level: ${FIREWALL_LOG_LEVELS.join(', ')}`,
});

/** `true`/`false` or the `1`/`0` Proxmox itself writes. */
const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1)], { error: 'expected true, false, 1 or 0' })
  .transform((v) => v === true || v === 1);

const policy = z.enum(FIREWALL_ACTIONS, {
  error: 'expected ACCEPT, DROP or REJECT',
});

const macro = z.string().transform((v, ctx) => {
  const known = canonicalMacro(v);
  if (known === undefined)
    ctx.issues.push({
      code: 'custom',
      message: `unknown firewall macro "${v}" (pve-firewall's macros: SSH, HTTP, HTTPS, DNS, Ping, …)`,
      input: v,
    });
  return known ?? v;
});

export const guestFirewallRule = z
  .strictObject({
    type: z.enum(['in', 'out']),
    action: z.string().min(1),
    /** pve-firewall macro (`SSH(ACCEPT)`): it fixes the protocol and ports itself. */
    macro: macro.optional(),
    source: z.string().optional(),
    dest: z.string().optional(),
    proto: z.string().optional(),
    /** Phoenix's name for the destination port; `dport` is Proxmox's. One of the two. */
    port: portLike.optional(),
    dport: portLike.optional(),
    sport: portLike.optional(),
    /** A guest rule's interface is one of its NICs: pve-firewall allows only `net<N>` here. */
    iface: z
      .string()
      .regex(/^net\d+$/, { error: 'expected a guest NIC name like net0' })
      .optional(),
    log: logLevel.optional(),
    /** false (or 0): the rule is written disabled (`|IN …`), kept but not applied. */
    enable: flag.optional(),
    comment: z.string().optional(),
  })
  .check((ctx) => {
    const r = ctx.value;
    const issue = (message: string, path: string) =>
      ctx.issues.push({ code: 'custom', message, input: r, path: [path] });
    if (r.port !== undefined && r.dport !== undefined)
      issue('give "port" or "dport", not both: they are the same destination port', 'dport');
    // A macro carries its own protocol and ports; pve-firewall refuses a rule
    // whose -p/-dport/-sport differ from the macro's, and phx cannot know
    // each macro's ports, so the two ways of saying "which traffic" do not mix.
    if (r.macro !== undefined)
      for (const k of ['proto', 'port', 'dport', 'sport'] as const)
        if (r[k] !== undefined) issue(`"${k}" cannot be given with a macro (${r.macro})`, k);
  });

export const guestFirewall = z.strictObject({
  // Phoenix's schema requires it; a block written without it means "on".
  enabled: z.boolean().default(true),
  rules: z.array(guestFirewallRule).default([]),
  // The guest's [OPTIONS]; absent ones are not written (README "Firewall").
  policy_in: policy.optional(),
  policy_out: policy.optional(),
  log_level_in: logLevel.optional(),
  log_level_out: logLevel.optional(),
  macfilter: flag.optional(),
  ipfilter: flag.optional(),
  dhcp: flag.optional(),
  ndp: flag.optional(),
  radv: flag.optional(),
});
