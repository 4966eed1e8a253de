// What `dnsmasq --test` checks of a configuration file, for the sim node:
// each line an option dnsmasq knows, flags without a value, and the
// addresses of `server`, `listen-address` and `address` well formed. The
// messages are dnsmasq's own ("bad option at line N of FILE").
import { isIP } from 'node:net';

const flags = new Set([
  'no-resolv',
  'domain-needed',
  'bogus-priv',
  'bind-interfaces',
  'expand-hosts',
  'no-hosts',
  'log-queries',
  'strict-order',
  'no-poll',
]);
const valued = new Set([
  'listen-address',
  'server',
  'domain',
  'local',
  'address',
  'interface',
  'except-interface',
  'cache-size',
  'host-record',
  'addn-hosts',
  'conf-dir',
  'conf-file',
]);

/** `/name/…/ip`: the address part may be empty (answer NXDOMAIN), else an IP. */
function addressOk(option: string, value: string): boolean {
  switch (option) {
    case 'listen-address':
      return value.split(',').every((a) => isIP(a) !== 0);
    case 'server':
      return /^\/.*\/$/.test(value) || isIP(value.replace(/^\/.*\//, '').split('#')[0] ?? '') !== 0;
    case 'address': {
      const m = /^\/(.+)\/([^/]*)$/.exec(value);
      return m !== null && (m[2] === '' || isIP(m[2]!) !== 0);
    }
    case 'local':
      return /^\/.+\/$/.test(value);
    case 'cache-size':
      return /^\d+$/.test(value);
    default:
      return value !== '';
  }
}

/** The first problem of the file, as dnsmasq prints it; undefined when it parses. */
export function checkDnsmasq(text: string, file: string): string | undefined {
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    const option = at < 0 ? line : line.slice(0, at);
    const value = at < 0 ? undefined : line.slice(at + 1);
    const where = `at line ${i + 1} of ${file}`;
    if (flags.has(option)) {
      if (value !== undefined) return `dnsmasq: extraneous parameter ${where}`;
    } else if (valued.has(option)) {
      if (value === undefined) return `dnsmasq: missing parameter ${where}`;
      if (!addressOk(option, value)) return `dnsmasq: bad address ${where}`;
    } else return `dnsmasq: bad option ${where}`;
  }
  return undefined;
}
