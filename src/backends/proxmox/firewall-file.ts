// /etc/pve/firewall/<id>.fw, written whole from the entry's `firewall`. The
// real project deleted and re-created rules through pvesh on every run and
// committed duplicates (103 has one rule three times); here the file is the
// declared rule list, each rule once, and rewriting it is idempotent.
import type { Firewall, FirewallRule } from '../../model/model.ts';
import { err, ok, type Result } from '../../model/result.ts';
import { isIpv4, isIpv4Cidr, isIpv6, sanitizeComment } from './formats.ts';

const ACTIONS = ['ACCEPT', 'DROP', 'REJECT'];
const PROTOS = /^(tcp|udp|icmp|icmpv6|ipv6-icmp|sctp|gre|esp|ah|[0-9]{1,3})$/;
/** PVE dport: ports or `a:b` ranges, comma-separated (or a service name). */
const PORTS =
  /^([0-9]{1,5}(:[0-9]{1,5})?|[a-z][a-z0-9-]*)(,([0-9]{1,5}(:[0-9]{1,5})?|[a-z][a-z0-9-]*))*$/;

/** An address list: IPs, CIDRs, `a-b` ranges, `+ipset` or alias names. */
function isAddressList(s: string): boolean {
  return s.split(',').every((a) => {
    if (/^\+?[a-zA-Z][a-zA-Z0-9_-]*(\/[a-zA-Z0-9_-]+)?$/.test(a)) return true; // ipset or alias
    const range = a.split('-');
    if (range.length === 2) return range.every((x) => isIpv4(x) || isIpv6(x));
    return isIpv4(a) || isIpv4Cidr(a) || isIpv6(a) || /^[0-9a-f:]+\/\d{1,3}$/i.test(a);
  });
}

export function ruleLine(r: FirewallRule): Result<string, string> {
  const action = r.action.toUpperCase();
  // The model types it, but a hand-built or future entry may not honour that.
  const type: string = r.type;
  if (type !== 'in' && type !== 'out') return err(`rule type "${type}" is not in or out`);
  if (!ACTIONS.includes(action))
    return err(`rule action "${r.action}" is not ACCEPT, DROP or REJECT`);
  const parts = [type.toUpperCase(), action];
  if (r.source !== undefined) {
    if (!isAddressList(r.source))
      return err(`rule source "${r.source}" is not an address, CIDR, range, alias or ipset`);
    parts.push('-source', r.source);
  }
  if (r.dest !== undefined) {
    if (!isAddressList(r.dest))
      return err(`rule dest "${r.dest}" is not an address, CIDR, range, alias or ipset`);
    parts.push('-dest', r.dest);
  }
  if (r.proto !== undefined) {
    if (!PROTOS.test(r.proto)) return err(`rule proto "${r.proto}" is not a protocol`);
    parts.push('-p', r.proto);
  }
  if (r.port !== undefined) {
    const port = r.port.replace(/\s+/g, '');
    if (!PORTS.test(port))
      return err(`rule port "${r.port}" is not a port list (80,443 or 8000:8010)`);
    if (r.proto !== 'tcp' && r.proto !== 'udp' && r.proto !== 'sctp')
      return err(`rule port "${r.port}" needs proto tcp or udp`);
    parts.push('-dport', port);
  }
  const comment = r.comment === undefined ? '' : sanitizeComment(r.comment);
  return ok(comment === '' ? parts.join(' ') : `${parts.join(' ')} # ${comment}`);
}

/** The whole file. Absent or disabled firewall: `enable: 0` and no rules. */
export function firewallFile(fw: Firewall | undefined): Result<string, string> {
  if (fw === undefined || !fw.enabled) return ok('[OPTIONS]\nenable: 0\n');
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const [i, r] of fw.rules.entries()) {
    const line = ruleLine(r);
    if (!line.ok) return err(`firewall.rules[${i}]: ${line.error}`);
    // Duplicates are the same rule whatever their comment says.
    const key = line.value.replace(/ # .*$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(line.value);
  }
  return ok(`[OPTIONS]\nenable: 1\n\n[RULES]\n${lines.map((l) => `${l}\n`).join('')}`);
}
