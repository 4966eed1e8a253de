// Proxmox property strings (`name=eth0,bridge=vmbr0,ip=…`). PVE re-prints
// them in its own key order and adds defaults (`type=veth`), so desired and
// live values are compared as maps, never as text.

/** Parse `k=v,k=v`; an element without `=` is the format's default key. */
export function parsePropertyString(s: string, defaultKey?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.set(defaultKey ?? part, defaultKey === undefined ? '' : part);
    else out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** `k=v` pairs in the given order (undefined values skipped). */
export function printPropertyString(
  pairs: readonly (readonly [string, string | undefined])[],
): string {
  return pairs
    .filter((p): p is readonly [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Equal as maps once entries equal to their default are dropped; `fold` keys
 * compare case-insensitively (PVE may re-case a MAC).
 */
export function samePropertyString(
  a: string,
  b: string,
  opts: {
    defaultKey?: string;
    defaults?: Readonly<Record<string, string>>;
    fold?: readonly string[];
  } = {},
): boolean {
  const norm = (s: string): Map<string, string> => {
    const m = parsePropertyString(s, opts.defaultKey);
    for (const [k, v] of [...m]) {
      if (opts.defaults?.[k] === v) m.delete(k);
      else if (opts.fold?.includes(k)) m.set(k, v.toLowerCase());
    }
    return m;
  };
  const x = norm(a);
  const y = norm(b);
  if (x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}

/** A PVE disk size (`16G`, `8192M`, `1T`; no unit means bytes, as pve-common's parse_size) in GiB. */
export function parseSizeGb(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'K':
      return n / 1024 / 1024;
    case 'M':
      return n / 1024;
    case 'T':
      return n * 1024;
    case 'G':
      return n;
    default:
      return n / 1024 / 1024 / 1024;
  }
}
