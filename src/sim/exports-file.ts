// /etc/exports as exportfs(8) reads it (exports(5)): `path client(opts)
// client(opts)…`, `#` comments, `\` joining lines. Errors carry exportfs's
// own wording; a path the node lacks is checked by the caller.
import { isIP } from 'node:net';

export interface ExportLine {
  readonly path: string;
  readonly clients: readonly { readonly host: string; readonly options: readonly string[] }[];
}

/** Options exports(5) and nfsd know, bare or `name=value`. */
const flags = new Set([
  'rw',
  'ro',
  'sync',
  'async',
  'secure',
  'insecure',
  'wdelay',
  'no_wdelay',
  'hide',
  'nohide',
  'crossmnt',
  'subtree_check',
  'no_subtree_check',
  'insecure_locks',
  'no_auth_nlm',
  'secure_locks',
  'auth_nlm',
  'root_squash',
  'no_root_squash',
  'all_squash',
  'no_all_squash',
  'no_acl',
  'acl',
  'mountpoint',
  'mp',
  'pnfs',
  'no_pnfs',
  'security_label',
]);
const valued = new Set([
  'anonuid',
  'anongid',
  'fsid',
  'sec',
  'refer',
  'replicas',
  'mountpoint',
  'mp',
]);

/** A host name, IP, IP/prefix, wildcard, or @netgroup (exports(5) "Machine Name Formats"). */
function clientOk(host: string): boolean {
  if (host === '*' || /^@[\w.-]+$/.test(host)) return true;
  const [ip, bits] = host.split('/');
  if (ip !== undefined && isIP(ip) !== 0)
    return (
      bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128))
    );
  return /^[A-Za-z0-9*?][A-Za-z0-9.*?-]*$/.test(host);
}

export function parseExports(text: string): { lines: ExportLine[]; errors: string[] } {
  const lines: ExportLine[] = [];
  const errors: string[] = [];
  const joined = text.replace(/\\\n/g, ' ').split('\n');
  joined.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const at = `/etc/exports:${i + 1}`;
    const [path, ...words] = line.split(/\s+/);
    if (path === undefined || !path.startsWith('/')) {
      errors.push(`exportfs: ${at}: bad export point ${path ?? ''}`);
      return;
    }
    const clients: ExportLine['clients'][number][] = [];
    for (const w of words) {
      const m = /^([^()]*)(?:\(([^()]*)\))?$/.exec(w);
      if (!m) {
        errors.push(`exportfs: ${at}: syntax error in '${w}'`);
        return;
      }
      const host = m[1] === '' ? '*' : m[1]!;
      if (!clientOk(host)) {
        errors.push(`exportfs: ${at}: invalid client name '${host}'`);
        return;
      }
      const options = m[2] === undefined || m[2] === '' ? [] : m[2].split(',');
      for (const o of options) {
        const [name, value] = o.split('=');
        if (value === undefined ? !flags.has(name!) : !valued.has(name!)) {
          errors.push(`exportfs: ${at}: unknown keyword "${o}"`);
          return;
        }
      }
      clients.push({ host, options });
    }
    lines.push({ path, clients });
  });
  return { lines, errors };
}
