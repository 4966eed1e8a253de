// What `pct start` needs of the node, checked as lxc-start and
// pve-container check it: every range of the CT's id map granted to root in
// /etc/subuid or /etc/subgid (newuidmap/newgidmap refuse the rest), every
// bind-mount source present on the host, the AppArmor profile it names
// loaded. A CT that fails one does not start, with the tools' words.
import type { CtState } from './ct-state.ts';
import type { HostPaths } from './host-paths.ts';

interface MapLine {
  readonly type: 'u' | 'g';
  readonly ct: number;
  readonly host: number;
  readonly count: number;
}

/** The config as the start applies it: pending values over the current ones. */
function effectiveKeys(ct: CtState): Record<string, string> {
  const keys = { ...ct.config.keys };
  if (ct.pending) {
    for (const k of ct.pending.delete) Reflect.deleteProperty(keys, k);
    Object.assign(keys, ct.pending.keys);
  }
  return keys;
}

/** `lxc.idmap` lines, or pve-container's default map for an unprivileged CT that declares none. */
function idMap(ct: CtState, unprivileged: boolean): MapLine[] {
  const lines = ct.config.raw
    .filter(([k]) => k === 'lxc.idmap' || k === 'lxc.id_map')
    .flatMap(([, v]): MapLine[] => {
      const [type, c, h, n] = v.trim().split(/\s+/);
      return (type === 'u' || type === 'g') && [c, h, n].every((x) => /^\d+$/.test(x ?? ''))
        ? [{ type, ct: Number(c), host: Number(h), count: Number(n) }]
        : [];
    });
  if (!unprivileged) return lines;
  const hasU = lines.some((l) => l.type === 'u');
  const hasG = lines.some((l) => l.type === 'g');
  return [
    ...lines,
    ...(hasU ? [] : [{ type: 'u' as const, ct: 0, host: 100000, count: 65536 }]),
    ...(hasG ? [] : [{ type: 'g' as const, ct: 0, host: 100000, count: 65536 }]),
  ];
}

/** Bind-mount sources of `mpN` keys (a volume is `storage:name`; a bind is an absolute path). */
function bindSources(keys: Readonly<Record<string, string>>): string[] {
  return Object.entries(keys)
    .filter(([k]) => /^mp\d+$/.test(k))
    .map(([, v]) => (v.split(',')[0] ?? '').replace(/^volume=/, ''))
    .filter((src) => src.startsWith('/'));
}

/** Why the CT cannot start, in lxc-start's and pct's words; undefined: it can. */
export function startProblem(ct: CtState, paths: HostPaths): string | undefined {
  const keys = effectiveKeys(ct);
  const failed = `startup for container '${ct.vmid}' failed`;
  const unprivileged = keys.unprivileged === '1';
  for (const m of idMap(ct, unprivileged)) {
    if (paths.granted(m.type, m.host, m.count)) continue;
    const tool = m.type === 'u' ? 'newuidmap' : 'newgidmap';
    const what = m.type === 'u' ? 'uid' : 'gid';
    return (
      `lxc-start: ${ct.vmid}: conf.c: lxc_map_ids: ${tool} failed to write mapping ` +
      `"${tool}: ${what} range [${m.ct}-${m.ct + m.count}) -> [${m.host}-${m.host + m.count}) not allowed"\n` +
      failed
    );
  }
  for (const src of bindSources(keys)) {
    if (paths.folder(src) === undefined)
      return `mount_autodev: bind mount source '${src}' does not exist: No such file or directory\n${failed}`;
  }
  const profile = ct.config.raw
    .filter(([k]) => k === 'lxc.apparmor.profile')
    .at(-1)?.[1]
    ?.trim();
  if (
    profile !== undefined &&
    profile !== 'unconfined' &&
    profile !== 'generated' &&
    !paths.profileLoaded(profile)
  )
    return (
      `lxc-start: ${ct.vmid}: lsm/apparmor.c: apparmor_process_label_set_at: ` +
      `No such file or directory - Failed to change AppArmor profile to ${profile}\n${failed}`
    );
  return undefined;
}
