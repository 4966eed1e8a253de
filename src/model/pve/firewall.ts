// pve-firewall's vocabulary for a guest's /etc/pve/firewall/<id>.fw, written
// once (checked against pve-firewall's src/PVE/Firewall.pm: parse_fw_rule,
// verify_rule, parse_vmfw_option): the schema takes its enums from here,
// validation refuses each rule field with these checks, and the backend's
// writer runs the same checks before it prints a rule line.
import type { FirewallRule } from '../model.ts';
import { isIpv4, isIpv4Cidr, isIpv6, isIpv6Cidr } from './formats.ts';

export const FIREWALL_ACTIONS = ['ACCEPT', 'DROP', 'REJECT'] as const;

/** Log levels of a rule's `-log` and of `log_level_in/out` (pve-firewall's `$loglevels`). */
export const FIREWALL_LOG_LEVELS = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
  'nolog',
] as const;

/**
 * pve-firewall's macro names, in its spelling. It matches a macro name
 * case-insensitively and stores its own spelling, so phx writes that one.
 */
export const FIREWALL_MACROS: readonly string[] = [
  'Amanda',
  'Auth',
  'BGP',
  'BitTorrent',
  'BitTorrent32',
  'CVS',
  'Ceph',
  'Citrix',
  'DAAP',
  'DCC',
  'DHCPfwd',
  'DHCPv6',
  'DNS',
  'Distcc',
  'FTP',
  'Finger',
  'GNUnet',
  'GRE',
  'Git',
  'HKP',
  'HTTP',
  'HTTPS',
  'ICPV2',
  'ICQ',
  'IMAP',
  'IMAPS',
  'IPIP',
  'IPsec',
  'IPsecah',
  'IPsecnat',
  'IRC',
  'Jetdirect',
  'L2TP',
  'LDAP',
  'LDAPS',
  'MDNS',
  'MSNP',
  'MSSQL',
  'Mail',
  'Munin',
  'MySQL',
  'NNTP',
  'NNTPS',
  'NTP',
  'NeighborDiscovery',
  'OSPF',
  'OpenVPN',
  'PCA',
  'PMG',
  'POP3',
  'POP3S',
  'PPtP',
  'Ping',
  'PostgreSQL',
  'Printer',
  'RDP',
  'RIP',
  'RNDC',
  'Razor',
  'Rdate',
  'Rsync',
  'SANE',
  'SMB',
  'SMBswat',
  'SMTP',
  'SMTPS',
  'SNMP',
  'SPAMD',
  'SPICEproxy',
  'SSH',
  'SVN',
  'SixXS',
  'Squid',
  'Submission',
  'Syslog',
  'TFTP',
  'Telnet',
  'Telnets',
  'Time',
  'Trcrt',
  'VNC',
  'VNCL',
  'Web',
  'Webcache',
  'Webmin',
  'Whois',
];

/** The macro's spelling in pve-firewall, or undefined if it has no such macro. */
export function canonicalMacro(name: string): string | undefined {
  const lc = name.toLowerCase();
  return FIREWALL_MACROS.find((m) => m.toLowerCase() === lc);
}

/** Protocols pve-firewall accepts `-dport`/`-sport` with ($PROTOCOLS_WITH_PORTS). */
export const PROTOCOLS_WITH_PORTS: readonly string[] = [
  'tcp',
  'udp',
  'udplite',
  'dccp',
  'sctp',
  '6',
  '17',
  '33',
  '132',
  '136',
];

const PROTOCOL = /^(tcp|udp|udplite|dccp|icmp|icmpv6|ipv6-icmp|sctp|gre|esp|ah|[0-9]{1,3})$/;
/** pve-firewall counts a range as two and refuses more than 15 in one list. */
const MAX_PORT_NUMBERS = 15;

/** Rule actions are written upper case; the configs may say `accept`. */
export function actionProblem(action: string): string | undefined {
  return (FIREWALL_ACTIONS as readonly string[]).includes(action.toUpperCase())
    ? undefined
    : `action ${JSON.stringify(action)} is not ACCEPT, DROP or REJECT`;
}

/** An address list: IPs, CIDRs, `a-b` ranges, `+ipset` or alias names. */
export function isAddressList(s: string): boolean {
  return s.split(',').every((a) => {
    if (/^\+?[a-zA-Z][a-zA-Z0-9_-]*(\/[a-zA-Z0-9_-]+)?$/.test(a)) return true; // ipset or alias
    const range = a.split('-');
    if (range.length === 2) return range.every((x) => isIpv4(x) || isIpv6(x));
    return isIpv4(a) || isIpv4Cidr(a) || isIpv6(a) || isIpv6Cidr(a);
  });
}

export function addressProblem(s: string): string | undefined {
  return isAddressList(s)
    ? undefined
    : `${JSON.stringify(s)} is not an address, CIDR, range, alias or ipset (or a "," list of them)`;
}

export function protoProblem(proto: string): string | undefined {
  return PROTOCOL.test(proto) ? undefined : `${JSON.stringify(proto)} is not a protocol`;
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

/** A `dport`/`sport` as written to the file: spaces dropped (`"80, 443"`). */
export function portSpec(value: string): string {
  return value.replace(/\s+/g, '');
}

/** A destination or source port: a valid list, with a protocol that has ports. */
export function portProblem(value: string, proto: string | undefined): string | undefined {
  const problem = portSpecProblem(portSpec(value));
  if (problem !== undefined) return `${JSON.stringify(value)}: ${problem}`;
  if (proto === undefined || !PROTOCOLS_WITH_PORTS.includes(proto))
    return `${JSON.stringify(value)} needs proto tcp, udp, udplite, dccp or sctp`;
  return undefined;
}

/** A guest rule's interface is one of its NICs: pve-firewall allows only `net<N>` here. */
export function ifaceProblem(iface: string): string | undefined {
  return /^net\d+$/.test(iface) ? undefined : `${JSON.stringify(iface)} is not a NIC like net0`;
}

export function logLevelProblem(level: string): string | undefined {
  return (FIREWALL_LOG_LEVELS as readonly string[]).includes(level)
    ? undefined
    : `${JSON.stringify(level)} is not a log level`;
}

/** A rule field (its key in the config) and what is wrong with it. */
export interface RuleProblem {
  readonly field: keyof FirewallRule;
  readonly problem: string;
}

/**
 * Every problem of one rule, in the order its line is written. The schema
 * refuses most of these already; the writer and the hand-built rules of
 * tests meet them here.
 */
export function ruleProblems(r: FirewallRule): RuleProblem[] {
  const out: RuleProblem[] = [];
  const add = (field: keyof FirewallRule, problem: string | undefined) => {
    if (problem !== undefined) out.push({ field, problem });
  };
  // The model types it, but a hand-built or future entry may not honour that.
  const type: string = r.type;
  if (type !== 'in' && type !== 'out') add('type', `${JSON.stringify(type)} is not in or out`);
  add('action', actionProblem(r.action));
  if (r.macro !== undefined) {
    if (canonicalMacro(r.macro) === undefined)
      add('macro', `${JSON.stringify(r.macro)} is not a pve-firewall macro`);
    // A macro carries its own protocol and ports; pve-firewall refuses a rule
    // whose -p/-dport/-sport differ from the macro's.
    for (const k of ['proto', 'port', 'dport', 'sport'] as const)
      if (r[k] !== undefined) add(k, `cannot be given with macro ${r.macro}`);
  }
  if (r.iface !== undefined) add('iface', ifaceProblem(r.iface));
  if (r.source !== undefined) add('source', addressProblem(r.source));
  if (r.dest !== undefined) add('dest', addressProblem(r.dest));
  if (r.proto !== undefined) add('proto', protoProblem(r.proto));
  if (r.port !== undefined && r.dport !== undefined)
    add('dport', 'is given with port too (the same destination port): give one');
  if (r.macro === undefined) {
    if (r.port !== undefined) add('port', portProblem(r.port, r.proto));
    if (r.dport !== undefined) add('dport', portProblem(r.dport, r.proto));
    if (r.sport !== undefined) add('sport', portProblem(r.sport, r.proto));
  }
  if (r.log !== undefined) add('log', logLevelProblem(r.log));
  return out;
}
