// Format checks for every config value that reaches a pct/pvesh argument or a
// host file. A value that fails here is refused before any command runs: a
// real node would reject it anyway, and some (a comma in a path, a newline in
// a comment) would otherwise change the meaning of a property string or file.
// Patterns follow pve-common's PVE::JSONSchema formats (deps.md §3).

const dnsLabel = '[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?';
const dnsName = new RegExp(`^(${dnsLabel}\\.)*${dnsLabel}$`);

/** PVE `dns-name` (hostname). */
export function isHostname(s: string): boolean {
  return s.length <= 255 && dnsName.test(s);
}

/** PVE `pve-storage-id`. */
export function isStorageId(s: string): boolean {
  return /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(s);
}

/** PVE `pve-configid`, which snapshot names use (the API caps them at 40). */
export function isSnapshotName(s: string): boolean {
  return s.length <= 40 && /^[a-z][a-z0-9_-]+$/i.test(s);
}

/** PVE `pve-vmid`. */
export function isGuestId(n: number): boolean {
  return Number.isInteger(n) && n >= 100 && n <= 999_999_999;
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** Loose IPv6 check: hex groups and at most one `::`; enough to keep junk out of argv. */
export function isIpv6(s: string): boolean {
  if (!/^[0-9a-f:]+$/i.test(s) || !s.includes(':')) return false;
  const doubles = s.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  return (
    groups.every((g) => g.length <= 4) && (doubles === 1 ? groups.length < 8 : groups.length === 8)
  );
}

export function isIpv4Cidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  return m !== null && isIpv4(m[1] ?? '') && Number(m[2]) <= 32;
}

/** A unicast MAC (PVE refuses the I/G bit: the first octet must be even). */
export function isMac(s: string): boolean {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(s)) return false;
  return (parseInt(s.slice(0, 2), 16) & 1) === 0;
}

/** Bridge names as pve-container's net schema allows them. */
export function isBridge(s: string): boolean {
  return /^[-_.\w]+$/.test(s) && s.length <= 15;
}

/** Interface name inside the container (net0's `name`). */
export function isIfName(s: string): boolean {
  return /^[a-zA-Z0-9_.-]{1,15}$/.test(s);
}

/**
 * An absolute path safe inside a property string or conf line: no `,` or `=`
 * (they would split or re-key `mp0: <path>,mp=…`), no whitespace, no `..`.
 */
export function isSafeAbsPath(s: string): boolean {
  if (!/^\/[A-Za-z0-9._/@+:-]*$/.test(s)) return false;
  return !s.split('/').some((seg) => seg === '..');
}

/** A `storage:vztmpl/file` template volume id. */
export function isTemplateVolid(s: string): boolean {
  const m = /^([^:]+):vztmpl\/([A-Za-z0-9._+-]+)$/.exec(s);
  return m !== null && isStorageId(m[1] ?? '');
}

export function isEnvName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
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
