// Raw `lxc.*` lines in /etc/pve/lxc/<id>.conf: which keys pve-container
// keeps (LXC/Config.pm's $valid_lxc_conf_keys and is_valid_lxc_conf_key),
// and the one spelling phx writes them in. A key it does not know is dropped
// with a warning when the CT starts ("unable to parse config"), so the line a
// config asked for would silently never apply: validation refuses it instead.
import { err, ok, type Result } from '../../core/result.ts';

/** Keys pve-container accepts as they are. */
const VALID_KEYS: ReadonlySet<string> = new Set([
  'lxc.apparmor.profile',
  'lxc.apparmor.allow_incomplete',
  'lxc.apparmor.allow_nesting',
  'lxc.apparmor.raw',
  'lxc.selinux.context',
  'lxc.include',
  'lxc.arch',
  'lxc.uts.name',
  'lxc.signal.halt',
  'lxc.signal.reboot',
  'lxc.signal.stop',
  'lxc.init.cmd',
  'lxc.init.cwd',
  'lxc.init.uid',
  'lxc.init.gid',
  'lxc.init.groups',
  'lxc.pty.max',
  'lxc.console.logfile',
  'lxc.console.path',
  'lxc.tty.max',
  'lxc.devtty.dir',
  'lxc.hook.autodev',
  'lxc.autodev',
  'lxc.kmsg',
  'lxc.mount.fstab',
  'lxc.mount.entry',
  'lxc.mount.auto',
  'lxc.rootfs.mount',
  'lxc.cap.drop',
  'lxc.cap.keep',
  'lxc.seccomp.profile',
  'lxc.seccomp.notify.proxy',
  'lxc.seccomp.notify.cookie',
  'lxc.idmap',
  'lxc.hook.pre-start',
  'lxc.hook.pre-mount',
  'lxc.hook.mount',
  'lxc.hook.start',
  'lxc.hook.stop',
  'lxc.hook.post-stop',
  'lxc.hook.clone',
  'lxc.hook.destroy',
  'lxc.hook.version',
  'lxc.log.level',
  'lxc.log.file',
  'lxc.start.auto',
  'lxc.start.delay',
  'lxc.start.order',
  'lxc.group',
  'lxc.environment',
  'lxc.environment.runtime',
  'lxc.environment.hooks',
  'lxc.sysctl.fs.mqueue',
  'lxc.sysctl.kernel.msgmax',
  'lxc.sysctl.kernel.msgmnb',
  'lxc.sysctl.kernel.msgmni',
  'lxc.sysctl.kernel.sem',
  'lxc.sysctl.kernel.shmall',
  'lxc.sysctl.kernel.shmmax',
  'lxc.sysctl.kernel.shmmni',
  'lxc.sysctl.kernel.shm_rmid_forced',
]);

/** Whole families pve-container passes through (cgroup values, prlimits, custom NICs). */
const VALID_PREFIXES = ['lxc.cgroup2.', 'lxc.prlimit.', 'lxc.net.'];

/** Keys pve-container refuses with a reason of its own. */
const REFUSED: Readonly<Record<string, string>> = {
  'lxc.rootfs.path': 'lxc.rootfs.path is generated from rootfs',
  'lxc.rootfs.options':
    'lxc.rootfs.options is not supported: use mount point options in the rootfs key',
};

/**
 * Keys LXC 3.0 renamed. pve-container still reads them with a warning;
 * phx asks for the current name, since LXC itself no longer knows the old.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'lxc.aa_profile': 'lxc.apparmor.profile',
  'lxc.aa_allow_incomplete': 'lxc.apparmor.allow_incomplete',
  'lxc.console': 'lxc.console.path',
  'lxc.haltsignal': 'lxc.signal.halt',
  'lxc.rebootsignal': 'lxc.signal.reboot',
  'lxc.stopsignal': 'lxc.signal.stop',
  'lxc.id_map': 'lxc.idmap',
  'lxc.init_cmd': 'lxc.init.cmd',
  'lxc.loglevel': 'lxc.log.level',
  'lxc.logfile': 'lxc.log.file',
  'lxc.mount': 'lxc.mount.fstab',
  'lxc.pts': 'lxc.pty.max',
  'lxc.se_context': 'lxc.selinux.context',
  'lxc.seccomp': 'lxc.seccomp.profile',
  'lxc.tty': 'lxc.tty.max',
  'lxc.utsname': 'lxc.uts.name',
};

/** The problem with a raw key, or undefined if pve-container keeps it. */
export function lxcKeyProblem(key: string): string | undefined {
  if (VALID_KEYS.has(key) || VALID_PREFIXES.some((p) => key.startsWith(p))) return undefined;
  const refused = REFUSED[key];
  if (refused !== undefined) return refused;
  const renamed = RENAMED[key];
  if (renamed !== undefined) return `${key} was renamed to ${renamed} (LXC 3.0)`;
  if (key.startsWith('lxc.limit.'))
    return `lxc.limit.* was renamed to lxc.prlimit.* (${key.replace('lxc.limit.', 'lxc.prlimit.')})`;
  if (key.startsWith('lxc.cgroup.'))
    return `${key} is cgroup v1, which Proxmox VE no longer mounts: use ${key.replace('lxc.cgroup.', 'lxc.cgroup2.')}`;
  return `${key} is not a key pve-container keeps in a CT's config`;
}

/** `lxc.key=value` or `lxc.key: value`, as lxc_options items are written. */
const rawLine = /^(lxc\.[a-z0-9_.-]+)\s*(?::|=)\s*(.*?)\s*$/;

export type RawLine = { readonly key: string; readonly value: string };

/** The item split into key and value, or a sentence saying why it is not a raw line. */
export function parseRawLine(item: unknown): Result<RawLine, string> {
  if (typeof item !== 'string' || /[\r\n\0]/.test(item)) {
    return err(`${JSON.stringify(item)} is not one "lxc.key=value" line`);
  }
  const m = rawLine.exec(item.trim());
  if (m === null)
    return err(
      `${JSON.stringify(item)} is not "lxc.key=value" or "lxc.key: value" (keys are lower case)`,
    );
  const line = { key: m[1] ?? '', value: m[2] ?? '' };
  const problem = lxcKeyProblem(line.key);
  return problem === undefined ? ok(line) : err(problem);
}

/** `lxc.key=value` / `lxc.key:value` → `lxc.key: value`, the form PVE writes back. */
export function normalizeRawLine(item: string): string | undefined {
  const m = /[\r\n]/.test(item) ? null : rawLine.exec(item.trim());
  return m === null ? undefined : `${m[1] ?? ''}: ${m[2] ?? ''}`;
}

/**
 * An AppArmor profile name as `lxc.apparmor.profile` takes it: `unconfined`,
 * `generated`, or a profile loaded on the host (`lxc-container-default-cgns`,
 * `lxc-phoenix-v2`). No spaces: the value ends the conf line.
 */
export function apparmorProfileProblem(profile: string): string | undefined {
  return /^[A-Za-z0-9_.:/-]+$/.test(profile)
    ? undefined
    : `${JSON.stringify(profile)} is not an AppArmor profile name: letters, digits and _.:/- (like unconfined or lxc-container-default-cgns)`;
}
