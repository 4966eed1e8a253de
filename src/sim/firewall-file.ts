// `/etc/pve/firewall/<id>.fw`: the guest firewall file as pve-firewall parses
// it. Sections [OPTIONS], [RULES], [IPSET name], [ALIASES]; a rule is
// `IN|OUT|GROUP ACTION|MACRO(ACTION) [-option value…] [# comment]`, `|` in
// front disables it. Unknown sections, options, macros and rule options are
// errors, as pve-firewall refuses to compile them.
import { isIPv4, isIPv6 } from 'node:net';

export interface FirewallRule {
  readonly enabled: boolean;
  readonly direction: 'IN' | 'OUT' | 'GROUP';
  readonly action: string;
  readonly macro?: string;
  readonly options: Readonly<Record<string, string>>;
  readonly comment?: string;
}

export interface FirewallFile {
  readonly options: Readonly<Record<string, string>>;
  readonly rules: readonly FirewallRule[];
}

const logLevels = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog'];
const bool = (v: string) => v === '0' || v === '1';
const policy = (v: string) => ['ACCEPT', 'DROP', 'REJECT'].includes(v);

/** VM/CT firewall [OPTIONS] keys (pve-firewall's vm options). */
const optionChecks: Record<string, (v: string) => boolean> = {
  enable: bool,
  dhcp: bool,
  ipfilter: bool,
  macfilter: bool,
  ndp: bool,
  radv: bool,
  log_level_in: (v) => logLevels.includes(v),
  log_level_out: (v) => logLevels.includes(v),
  policy_in: policy,
  policy_out: policy,
};

/** The standard macros of pve-firewall (`SSH(ACCEPT)`). */
export const firewallMacros = new Set([
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
]);

const protocols = new Set([
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'ipv6-icmp',
  'udplite',
  'sctp',
  'esp',
  'ah',
  'gre',
  'igmp',
  'all',
]);

function addressOk(v: string): boolean {
  // A list of IPs/CIDRs/ranges, an ipset (+name) or an alias name.
  if (/^\+[a-z0-9_-]+(?:\/[a-z0-9_-]+)?$/i.test(v)) return true;
  return v.split(',').every((part) => {
    const [ip, bits] = part.split('/');
    if (ip === undefined) return false;
    if (part.includes('-') && !part.includes('/'))
      return part.split('-').every((x) => isIPv4(x) || isIPv6(x));
    if (!isIPv4(ip) && !isIPv6(ip)) return /^[a-z][a-z0-9_-]+$/i.test(part) && bits === undefined;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIPv4(ip) ? 32 : 128));
  });
}

/**
 * parse_port_name_number_or_range: numbers up to 65535, `a:b` ranges not
 * backwards, service names, at most 15 numbers (a range counts two).
 */
function portsOk(v: string): boolean {
  let numbers = 0;
  for (const p of v.split(',')) {
    const range = /^(\d+):(\d+)$/.exec(p);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > 65535 || b > 65535 || a > b) return false;
      numbers += 2;
    } else if (/^\d+$/.test(p)) {
      if (Number(p) > 65535) return false;
      numbers += 1;
    } else if (!/^[a-z][a-z0-9-]*$/i.test(p)) return false;
  }
  return numbers <= 15;
}

/** $PROTOCOLS_WITH_PORTS: only these take -dport/-sport (ICMP's -dport is a type name). */
const protocolsWithPorts = new Set([
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
]);
const icmpProtocols = new Set(['icmp', 'icmpv6', 'ipv6-icmp']);

/** Macro names match case-insensitively; the result is pve-firewall's spelling. */
function knownMacro(name: string): string | undefined {
  const lc = name.toLowerCase();
  for (const m of firewallMacros) if (m.toLowerCase() === lc) return m;
  return undefined;
}

const ruleOptionChecks: Record<string, (v: string) => boolean> = {
  source: addressOk,
  dest: addressOk,
  p: (v) => protocols.has(v.toLowerCase()) || /^\d+$/.test(v),
  dport: portsOk,
  sport: portsOk,
  // A VM/CT rule's interface is one of its NICs (verify_rule: 'net\d+').
  i: (v) => /^net\d+$/.test(v),
  log: (v) => logLevels.includes(v),
  'icmp-type': (v) => /^[a-z0-9-]+$/i.test(v),
};

function parseRule(line: string): { rule?: FirewallRule; error?: string } {
  let body = line;
  let comment: string | undefined;
  const hash = body.indexOf('#');
  if (hash >= 0) {
    comment = body.slice(hash + 1).trim();
    body = body.slice(0, hash);
  }
  let enabled = true;
  if (body.startsWith('|')) {
    enabled = false;
    body = body.slice(1);
  }
  const words = body.trim().split(/\s+/);
  const [dir, act, ...rest] = words;
  if (dir !== 'IN' && dir !== 'OUT' && dir !== 'GROUP')
    return { error: `unable to parse rule direction '${dir ?? ''}'` };
  if (act === undefined) return { error: 'missing action' };
  let action = act;
  let macro: string | undefined;
  const m = /^(\S+)\((ACCEPT|DROP|REJECT)\)$/.exec(act);
  if (dir === 'GROUP') {
    if (!/^[a-z][a-z0-9_-]+$/i.test(act)) return { error: `invalid security group name '${act}'` };
  } else if (m) {
    macro = knownMacro(m[1]!);
    if (macro === undefined) return { error: `unknown macro '${m[1]!}'` };
    action = m[2]!;
  } else if (!policy(act)) return { error: `unknown action '${act}'` };
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const opt = rest[i]!;
    const value = rest[i + 1];
    if (!opt.startsWith('-')) return { error: `unexpected word '${opt}'` };
    // parse_fw_rule takes `-dport` and `--dport` alike, and `--proto` for `-p`.
    const bare = opt.replace(/^--?/, '');
    const name = bare === 'proto' ? 'p' : bare;
    const check = ruleOptionChecks[name];
    if (!check) return { error: `unknown rule option '${opt}'` };
    if (value === undefined) return { error: `option '${opt}' requires a value` };
    if (!check(value)) return { error: `invalid value '${value}' for '${opt}'` };
    if (name in options) return { error: `duplicate option '${opt}'` };
    options[name] = value;
  }
  // verify_rule checks ports before it expands a macro: a macro does not
  // stand in for the -p a port needs.
  for (const port of ['dport', 'sport'] as const) {
    const value = options[port];
    if (value === undefined) continue;
    const proto = options.p?.toLowerCase();
    if (proto === undefined)
      return { error: `-${port}: port is only allowed together with a protocol (-p)` };
    const icmpType = port === 'dport' && icmpProtocols.has(proto) && /^[a-z-]+$/i.test(value);
    if (!protocolsWithPorts.has(proto) && !icmpType)
      return { error: `protocol '${proto}' does not support ports` };
  }
  return {
    rule: {
      enabled,
      direction: dir,
      action,
      options,
      ...(macro ? { macro } : {}),
      ...(comment ? { comment } : {}),
    },
  };
}

export function parseFirewall(text: string): { file: FirewallFile; errors: string[] } {
  const errors: string[] = [];
  const options: Record<string, string> = {};
  const rules: FirewallRule[] = [];
  let section: string | undefined;
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    const at = `line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return; // whole-line comments are allowed anywhere
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      const name = head[1]!.trim();
      if (
        name === 'OPTIONS' ||
        name === 'RULES' ||
        name === 'ALIASES' ||
        /^IPSET [a-z][a-z0-9_-]+$/i.test(name)
      )
        section = name.split(' ')[0];
      else errors.push(`${at}: unknown section '[${name}]'`);
      return;
    }
    if (section === 'OPTIONS') {
      const kv = /^([a-z_]+):\s*(\S+)$/.exec(line);
      const check = kv ? optionChecks[kv[1]!] : undefined;
      if (!kv) errors.push(`${at}: unable to parse option line '${line}'`);
      else if (!check) errors.push(`${at}: unknown option '${kv[1]!}'`);
      else if (!check(kv[2]!))
        errors.push(`${at}: invalid value '${kv[2]!}' for option '${kv[1]!}'`);
      else options[kv[1]!] = kv[2]!;
    } else if (section === 'RULES') {
      const r = parseRule(line);
      if (r.error !== undefined) errors.push(`${at}: ${r.error}: ${line}`);
      else rules.push(r.rule!);
    } else if (section === 'ALIASES') {
      if (!/^[a-z][a-z0-9_-]+\s+\S+/i.test(line))
        errors.push(`${at}: unable to parse alias '${line}'`);
    } else if (section === 'IPSET') {
      if (!addressOk(line.replace(/^!/, '').split(/\s+/)[0]!))
        errors.push(`${at}: invalid ipset entry '${line}'`);
    } else errors.push(`${at}: line outside a section: ${line}`);
  });
  return { file: { options, rules }, errors };
}
