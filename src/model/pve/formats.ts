// Proxmox VE's value formats, written once: `validate` refuses a config value
// with these, and the proxmox backend checks the same value with the same
// function before it becomes a pct argument, a property string or a conf
// line. Patterns follow pve-common's PVE::JSONSchema formats and
// pve-container's LXC/Config.pm (deps.md §3); where phx is stricter than
// Proxmox, the comment says why. The sim (src/sim/pve-formats.ts) keeps its
// own parser on purpose, so it can still refuse what this module lets through.
//
// Each `…Problem` function returns one sentence naming the value and what it
// should look like, or undefined when the value is fine: validation prints it
// after the value's pointer, the backend after the key's name.
import { isIPv6 } from 'node:net';

/** pve-vmid. */
export const MIN_GUEST_ID = 100;
export const MAX_GUEST_ID = 999_999_999;

export function isGuestId(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_GUEST_ID && n <= MAX_GUEST_ID;
}

// RFC 1123 labels, dot-separated. PVE's dns-name has no length limits; a
// Linux hostname has (a label is at most 63, the name at most 253).
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `dns-name` (pct `--hostname`, qm `--name`). */
export function isHostname(s: string): boolean {
  return s.length <= 253 && s.split('.').every((label) => LABEL.test(label));
}

/** `pve-storage-id` (parse_id: at least two characters, letter first). */
export function isStorageId(s: string): boolean {
  return /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(s);
}

export function storageIdProblem(s: string): string | undefined {
  return isStorageId(s)
    ? undefined
    : `${JSON.stringify(s)} is not a storage id: a letter, then letters, digits, "-", "_" or ".", ending in a letter or digit (like local-zfs)`;
}

/** `pve-configid`, which snapshot names use; the snapshot API caps them at 40. */
export const SNAPSHOT_NAME_MAX = 40;

export function isSnapshotName(s: string): boolean {
  return s.length <= SNAPSHOT_NAME_MAX && /^[a-z][a-z0-9_-]+$/i.test(s);
}

export function snapshotNameProblem(s: string): string | undefined {
  return isSnapshotName(s)
    ? undefined
    : `snapshot name ${JSON.stringify(s)} is not one Proxmox accepts: a letter, then letters, digits, "-" or "_", at most ${SNAPSHOT_NAME_MAX} characters`;
}

const octet = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${octet}(\\.${octet}){3}$`);

/** Dotted quad, no leading zeros (PVE reads `010` as octal-looking junk). */
export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

export function isIpv6(s: string): boolean {
  return isIPv6(s);
}

function prefixed(s: string, family: 4 | 6): boolean {
  const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(s);
  if (m === null) return false;
  const bits = Number(m[2]);
  return family === 4 ? isIpv4(m[1] ?? '') && bits <= 32 : isIpv6(m[1] ?? '') && bits <= 128;
}

export function isIpv4Cidr(s: string): boolean {
  return prefixed(s, 4);
}

export function isIpv6Cidr(s: string): boolean {
  return prefixed(s, 6);
}

/** net0 `ip6`: an IPv6 CIDR, or `auto` (SLAAC), `dhcp`, `manual` (pve-container's `ip6-config`). */
export function ip6Problem(s: string): string | undefined {
  return ['auto', 'dhcp', 'manual'].includes(s) || isIpv6Cidr(s)
    ? undefined
    : `"${s}" is not an IPv6 CIDR (like fd00::10/64), auto, dhcp or manual`;
}

export function gw6Problem(s: string): string | undefined {
  return isIpv6(s) ? undefined : `"${s}" is not an IPv6 address`;
}

/** A whole number in [min, max]: net0 `tag` (VLAN, 1–4094) and `mtu` (64–65535). */
export function rangeProblem(n: unknown, min: number, max: number): string | undefined {
  const v = typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : n;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
    ? undefined
    : `${JSON.stringify(n)} is not a whole number from ${String(min)} to ${String(max)}`;
}

/** pct `searchdomain`: DNS names separated by spaces. */
export function searchDomainProblem(s: string): string | undefined {
  const names = s.split(/\s+/).filter((w) => w !== '');
  const bad = names.find((w) => !isHostname(w));
  if (names.length === 0) return 'names no search domain';
  return bad === undefined ? undefined : `"${bad}" is not a DNS name`;
}

/** `mac-addr`: six hex pairs, unicast (PVE refuses the I/G bit: the first octet is even). */
export function isMac(s: string): boolean {
  return /^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/i.test(s);
}

/**
 * `pve-bridge-id` (`[-_.\w\d]+`), held to Linux's 15-character interface
 * names. No `,` or `=`: the value is printed into `net0`'s property string,
 * where `vmbr0,firewall=0` would set a second key.
 */
export function isBridge(s: string): boolean {
  return /^[-_.\w]{1,15}$/.test(s);
}

export function bridgeProblem(s: string): string | undefined {
  return isBridge(s)
    ? undefined
    : `${JSON.stringify(s)} is not a bridge name like vmbr0: letters, digits, "-", "_" or ".", at most 15 characters`;
}

/** The interface name inside the container (`net0`'s `name`). */
export function isIfName(s: string): boolean {
  return /^[-_.\w]{1,15}$/.test(s);
}

export function ifNameProblem(s: string): string | undefined {
  return isIfName(s)
    ? undefined
    : `${JSON.stringify(s)} is not an interface name like eth0: letters, digits, "-", "_" or ".", at most 15 characters`;
}

/**
 * An absolute path safe inside a property string or conf line: no `,` or `=`
 * (they would split or re-key `mp0: <path>,mp=…`), no whitespace or control
 * characters, no `..` (pve-lxc-mp-string refuses it; phx refuses `.` too).
 */
export function isSafeAbsPath(s: string): boolean {
  if (!/^\/[A-Za-z0-9._/@+:-]*$/.test(s)) return false;
  return !s.split('/').some((seg) => seg === '..' || seg === '.');
}

export function absPathProblem(s: string): string | undefined {
  return isSafeAbsPath(s)
    ? undefined
    : `${JSON.stringify(s)} is not a plain absolute path: it must start with "/" and hold only letters, digits and ._/@+:- (no ",", "=", spaces, "." or ".." components)`;
}

/** A `storage:vztmpl/file` template volume id. */
export function isTemplateVolid(s: string): boolean {
  const m = /^([^:]+):vztmpl\/([A-Za-z0-9._+-]+)$/.exec(s);
  return m !== null && isStorageId(m[1] ?? '');
}

/** pct create's `ostemplate`: an absolute path (root@pam may give one) or a vztmpl volume id. */
export function templateProblem(s: string): string | undefined {
  return isSafeAbsPath(s) || isTemplateVolid(s)
    ? undefined
    : `template ${JSON.stringify(s)} is neither a plain absolute path nor a storage:vztmpl/<file> volume id`;
}

/** A disk size phx passes as whole GiB (`--rootfs pool:N`, `mpN: pool:N`). */
export function sizeGbProblem(n: unknown): string | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1
    ? undefined
    : `${JSON.stringify(n)} is not a size in GiB: a whole number, at least 1`;
}

export function isEnvName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

/**
 * `nameserver`: IP addresses (a link-local one may name its interface,
 * `fe80::1%eth0`), split as PVE's split_list splits (`,`, `;`, whitespace).
 * A list given as a JSON array is the same list.
 */
export function splitNameservers(raw: unknown): { ips: string[]; problem?: string } {
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(/[\s,;]+/)
      : [raw];
  const ips: string[] = [];
  for (const i of items) {
    if (i === '') continue;
    const bare = typeof i === 'string' ? i.replace(/%[\w.-]+$/, '') : undefined;
    if (bare === undefined || !(isIpv4(bare) || isIpv6(bare)))
      return {
        ips,
        problem: `${JSON.stringify(i)} is not an IP address: nameservers are IP addresses separated by spaces, "," or ";"`,
      };
    ips.push(i as string);
  }
  if (ips.length === 0)
    return { ips, problem: 'no nameserver given: list at least one IP address' };
  return { ips };
}

/** A comment for a conf or .fw line: one line, no control characters. */
export function sanitizeComment(s: string): string {
  let printable = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    printable += code < 0x20 || code === 0x7f ? ' ' : s.charAt(i);
  }
  return printable.replace(/\s+/g, ' ').trim();
}
