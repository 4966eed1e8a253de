// /etc/pve/firewall/<id>.fw, written whole from the entry's `firewall`. The
// real project deleted and re-created rules through pvesh on every run and
// committed duplicates (103 has one rule three times); here the file is the
// declared rule list, each rule once, and rewriting it is idempotent.
//
// Every field the schema accepts is written, in the order pve-firewall itself
// writes a rule (`[|]IN MACRO(ACTION) -i -source -dest -p -dport -sport -log
// # comment`): a field dropped here would widen the rule (a macro lost is
// "every port", a disabled rule lost is an active one).
import type { Firewall, FirewallRule } from '../../model/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  canonicalMacro,
  FIREWALL_LOG_LEVELS,
  PROTOCOLS_WITH_PORTS,
} from '../../model/schema/firewall.ts';
import { isIpv4, isIpv4Cidr, isIpv6, sanitizeComment } from './formats.ts';

const ACTIONS = ['ACCEPT', 'DROP', 'REJECT'];
const PROTOS = /^(tcp|udp|udplite|dccp|icmp|icmpv6|ipv6-icmp|sctp|gre|esp|ah|[0-9]{1,3})$/;
const LOG_LEVELS: readonly string[] = FIREWALL_LOG_LEVELS;
/** pve-firewall counts a range as two and refuses more than 15 in one list. */
const MAX_PORT_NUMBERS = 15;

/** An address list: IPs, CIDRs, `a-b` ranges, `+ipset` or alias names. */
function isAddressList(s: string): boolean {
  return s.split(',').every((a) => {
    if (/^\+?[a-zA-Z][a-zA-Z0-9_-]*(\/[a-zA-Z0-9_-]+)?$/.test(a)) return true; // ipset or alias
    const range = a.split('-');
    if (range.length === 2) return range.every((x) => isIpv4(x) || isIpv6(x));
    return isIpv4(a) || isIpv4Cidr(a) || isIpv6(a) || /^[0-9a-f:]+\/\d{1,3}$/i.test(a);
  });
}

/** A PVE port spec (`80,443`, `8000:8010`, a service name); the problem, or undefined. */
export function portSpecProblem(spec: string): string | undefined {
  let numbers = 0;
  for (const item of spec.split(',')) {
    const range = /^(\d{1,5}):(\d{1,5})$/.exec(item);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > 65535 || b > 65535) return `port ${String(Math.max(a, b))} is above 65535`;
      if (a > b) return `backwards range ${item}`;
      numbers += 2;
    } else if (/^\d{1,5}$/.test(item)) {
      if (Number(item) > 65535) return `port ${item} is above 65535`;
      numbers += 1;
    } else if (!/^[a-z][a-z0-9-]*$/.test(item)) {
      return 'not a port list (80,443 or 8000:8010)';
    }
  }
  return numbers > MAX_PORT_NUMBERS ? `more than ${MAX_PORT_NUMBERS} ports in one list` : undefined;
}

function portOption(
  name: 'dport' | 'sport',
  value: string,
  proto: string | undefined,
): Result<string, string> {
  const spec = value.replace(/\s+/g, '');
  const problem = portSpecProblem(spec);
  if (problem !== undefined) return err(`rule ${name} "${value}": ${problem}`);
  if (proto === undefined || !PROTOCOLS_WITH_PORTS.includes(proto))
    return err(`rule ${name} "${value}" needs proto tcp, udp, udplite, dccp or sctp`);
  return ok(spec);
}

/** The `IN|OUT ACTION` head, with the macro and the disabled marker. */
function ruleHead(r: FirewallRule): Result<string, string> {
  // The model types it, but a hand-built or future entry may not honour that.
  const type: string = r.type;
  if (type !== 'in' && type !== 'out') return err(`rule type "${type}" is not in or out`);
  const action = r.action.toUpperCase();
  if (!ACTIONS.includes(action))
    return err(`rule action "${r.action}" is not ACCEPT, DROP or REJECT`);
  let verb = action;
  if (r.macro !== undefined) {
    const macro = canonicalMacro(r.macro);
    if (macro === undefined) return err(`rule macro "${r.macro}" is not a pve-firewall macro`);
    for (const k of ['proto', 'port', 'dport', 'sport'] as const)
      if (r[k] !== undefined) return err(`rule ${k} cannot be given with macro ${macro}`);
    verb = `${macro}(${action})`;
  }
  const disabled = r.enable === false ? '|' : '';
  return ok(`${disabled}${type.toUpperCase()} ${verb}`);
}

export function ruleLine(r: FirewallRule): Result<string, string> {
  const head = ruleHead(r);
  if (!head.ok) return head;
  const parts = [head.value];
  if (r.iface !== undefined) {
    if (!/^net\d+$/.test(r.iface)) return err(`rule iface "${r.iface}" is not a NIC like net0`);
    parts.push('-i', r.iface);
  }
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
  if (r.port !== undefined && r.dport !== undefined)
    return err('rule gives both port and dport (the same destination port)');
  const dport = r.dport ?? r.port;
  if (dport !== undefined) {
    const spec = portOption('dport', dport, r.proto);
    if (!spec.ok) return spec;
    parts.push('-dport', spec.value);
  }
  if (r.sport !== undefined) {
    const spec = portOption('sport', r.sport, r.proto);
    if (!spec.ok) return spec;
    parts.push('-sport', spec.value);
  }
  if (r.log !== undefined) {
    if (!LOG_LEVELS.includes(r.log)) return err(`rule log "${r.log}" is not a log level`);
    parts.push('-log', r.log);
  }
  const comment = r.comment === undefined ? '' : sanitizeComment(r.comment);
  return ok(comment === '' ? parts.join(' ') : `${parts.join(' ')} # ${comment}`);
}

/**
 * The `[OPTIONS]` lines: `enable`, then each option the config sets. An option
 * the config leaves out is not written, so pve-firewall's own default holds
 * (README "Firewall" says why phx does not spell the defaults out).
 */
function optionLines(fw: Firewall): Result<string[], string> {
  const lines = [`enable: ${fw.enabled ? '1' : '0'}`];
  for (const k of ['policy_in', 'policy_out'] as const) {
    const v = fw[k];
    if (v === undefined) continue;
    if (!ACTIONS.includes(v)) return err(`${k} "${v}" is not ACCEPT, DROP or REJECT`);
    lines.push(`${k}: ${v}`);
  }
  for (const k of ['log_level_in', 'log_level_out'] as const) {
    const v = fw[k];
    if (v === undefined) continue;
    if (!LOG_LEVELS.includes(v)) return err(`${k} "${v}" is not a log level`);
    lines.push(`${k}: ${v}`);
  }
  for (const k of ['macfilter', 'ipfilter', 'dhcp', 'ndp', 'radv'] as const) {
    const v = fw[k];
    if (v !== undefined) lines.push(`${k}: ${v ? '1' : '0'}`);
  }
  return ok(lines);
}

/**
 * The whole file. Absent firewall: `enable: 0` only. A disabled one keeps its
 * options and rules in the file under `enable: 0`, as Proxmox does when the
 * firewall is switched off, so switching it on later changes one line.
 */
export function firewallFile(fw: Firewall | undefined): Result<string, string> {
  if (fw === undefined) return ok('[OPTIONS]\nenable: 0\n');
  const options = optionLines(fw);
  if (!options.ok) return err(`firewall.${options.error}`);
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
  const head = `[OPTIONS]\n${options.value.map((l) => `${l}\n`).join('')}`;
  if (lines.length === 0) return ok(head);
  return ok(`${head}\n[RULES]\n${lines.map((l) => `${l}\n`).join('')}`);
}
