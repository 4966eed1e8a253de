// /etc/pve/firewall/cluster.fw as pve-firewall parses it: the guest file's
// sections and rule syntax (firewall-file.ts, reused whole) with the
// cluster's own [OPTIONS] keys (parse_clusterfw_option), which differ from a
// guest's: `dhcp` or `ipfilter` there is refused, `ebtables` accepted.
import { parseFirewall } from './firewall-file.ts';

const bool = (v: string): boolean => v === '0' || v === '1';
const policy = (v: string): boolean => ['ACCEPT', 'DROP', 'REJECT'].includes(v);

const clusterOptions: Record<string, (v: string) => boolean> = {
  enable: (v) => /^\d+$/.test(v),
  policy_in: policy,
  policy_out: policy,
  policy_forward: (v) => v === 'ACCEPT' || v === 'DROP',
  ebtables: bool,
  log_ratelimit: (v) => /^[\w=:,/.]+$/.test(v),
};

/** Problems of a cluster.fw text (empty: pve-firewall compiles it). */
export function clusterFirewallErrors(text: string): string[] {
  const errors: string[] = [];
  let inOptions = false;
  // The [OPTIONS] lines are checked here and blanked for the shared parser,
  // so its line numbers still point at the file's lines.
  const rest = text.split('\n').map((raw, i) => {
    const line = raw.trim();
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      inOptions = head[1]!.trim() === 'OPTIONS';
      return raw;
    }
    if (!inOptions || line === '' || line.startsWith('#')) return raw;
    const kv = /^([a-z_]+):\s*(\S+)$/.exec(line);
    const check = kv ? clusterOptions[kv[1]!] : undefined;
    if (!kv) errors.push(`line ${i + 1}: unable to parse option line '${line}'`);
    else if (!check) errors.push(`line ${i + 1}: unknown option '${kv[1]!}'`);
    else if (!check(kv[2]!))
      errors.push(`line ${i + 1}: invalid value '${kv[2]!}' for option '${kv[1]!}'`);
    return '';
  });
  return [...errors, ...parseFirewall(rest.join('\n')).errors];
}
