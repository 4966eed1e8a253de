// smb.conf as testparm reads it: `[section]` headers, `name = value`
// parameters, `#`/`;` comments, `\` continuing a line. A malformed line or a
// badly formed boolean is an error (testparm exits 1); an unknown parameter
// is a warning on stderr ("Unknown parameter encountered"), as Samba only
// ignores it: the backend refuses a file with one (host-service-ops.ts), so
// a typo in a share's options cannot pass unnoticed on either node.
const booleans = new Set([
  'browseable',
  'browsable',
  'writable',
  'writeable',
  'write ok',
  'read only',
  'guest ok',
  'public',
  'guest only',
  'printable',
  'available',
  'inherit permissions',
  'inherit acls',
  'follow symlinks',
  'wide links',
  'oplocks',
  'locking',
  'store dos attributes',
  'hide dot files',
  'load printers',
  'obey pam restrictions',
  'unix password sync',
  'pam password change',
  'usershare allow guests',
  'bind interfaces only',
  'wins support',
  'dns proxy',
  'ea support',
  'strict sync',
  'unix extensions',
]);

const octal = new Set([
  'create mask',
  'create mode',
  'directory mask',
  'directory mode',
  'force create mode',
  'force directory mode',
]);

const others = new Set([
  'path',
  'comment',
  'valid users',
  'invalid users',
  'admin users',
  'read list',
  'write list',
  'force user',
  'force group',
  'hosts allow',
  'hosts deny',
  'vfs objects',
  'veto files',
  'hide files',
  'workgroup',
  'server string',
  'log file',
  'max log size',
  'logging',
  'panic action',
  'server role',
  'passwd program',
  'passwd chat',
  'map to guest',
  'security',
  'passdb backend',
  'interfaces',
  'netbios name',
  'server min protocol',
  'client min protocol',
  'min protocol',
  'printing',
  'printcap name',
  'include',
  'guest account',
  'case sensitive',
  'preserve case',
  'short preserve case',
]);

const boolValues = new Set(['yes', 'no', 'true', 'false', '1', '0', 'on', 'off']);

export function checkSmbConf(text: string): {
  errors: string[];
  warnings: string[];
  sections: string[];
} {
  const errors: string[] = [];
  const warnings: string[] = [];
  const sections: string[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      sections.push(head[1]!.trim());
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push(`Ignoring badly formed line in configuration file: ${line}`);
      continue;
    }
    const name = line.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' ');
    const value = line.slice(eq + 1).trim();
    if (booleans.has(name)) {
      if (!boolValues.has(value.toLowerCase()))
        errors.push(`ERROR: Badly formed boolean in configuration file: "${value}".`);
    } else if (octal.has(name)) {
      if (!/^0?[0-7]{3,4}$/.test(value))
        errors.push(`ERROR: Badly formed octal "${value}" for ${name}.`);
    } else if (!others.has(name)) warnings.push(`Unknown parameter encountered: "${name}"`);
  }
  return { errors, warnings, sections };
}
