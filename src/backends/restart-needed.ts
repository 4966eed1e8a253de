// What a running container is still waiting on a restart for, read off the
// node. Proxmox applies what it can hot-plug on `pct set` (memory, swap,
// cores, cpulimit, hostname, onboot, startup, a network device, a NEW mount
// point or device) and keeps the rest in the config's `[pve:pending]`
// section until the next start (pve-container: update_pct_config →
// vmconfig_hotplug_pending). Raw `lxc.*` lines, which phx writes for GPUs,
// AppArmor and id maps, Proxmox does not track at all: LXC reads them only
// when the container starts, when they are copied into
// /var/lib/lxc/<id>/config (update_lxc_config). So a raw line counts as
// pending when that running config lacks it, or still has one phx removed.
import { normalizeRawLine } from './proxmox/raw-lines.ts';

export const runningConfigPath = (id: number): string => `/var/lib/lxc/${id}/config`;

/**
 * Keys waiting for a restart: `[pve:pending]` values and deletions (as
 * `delete <key>`), then each raw `lxc.*` key whose lines differ from the
 * running config's. `running` is undefined when the CT has not run since
 * the node booted it (no running config): nothing can be pending then.
 */
export function restartPending(confText: string, running: string | undefined): string[] {
  const out: string[] = [];
  const lines = confText.split('\n');
  const header = /^\[[^\]]+\]\s*$/;
  const pendingAt = lines.findIndex((l) => /^\[pve:pending\]\s*$/i.test(l));
  if (pendingAt >= 0) {
    for (const line of lines.slice(pendingAt + 1)) {
      if (header.test(line)) break;
      const m = /^([a-z][a-z_]*\d*):\s*(.*?)\s*$/.exec(line);
      if (!m) continue;
      if (m[1] === 'delete')
        for (const k of m[2]!.split(/[,;\s]+/).filter((x) => x !== '')) out.push(`delete ${k}`);
      else out.push(m[1]!);
    }
  }
  if (running === undefined) return out;
  const mainEnd = lines.findIndex((l) => header.test(l));
  const declared = (mainEnd < 0 ? lines : lines.slice(0, mainEnd))
    .filter((l) => l.startsWith('lxc.'))
    .map(normalizeRawLine)
    .filter((l): l is string => l !== undefined);
  const live = running
    .split('\n')
    .map(normalizeRawLine)
    .filter((l): l is string => l !== undefined);
  const differ = new Set<string>();
  for (const l of declared) if (!live.includes(l)) differ.add(keyOf(l));
  for (const l of live) if (removable(l) && !declared.includes(l)) differ.add(keyOf(l));
  out.push(...[...differ].sort());
  return out;
}

const keyOf = (line: string): string => line.slice(0, line.indexOf(':'));

/**
 * A running-config line that can only have come from the config's raw lines:
 * a wildcard device rule (Proxmox's own `devN` rules name one minor) or a
 * bind of a host path outside /var/lib/lxc (where Proxmox stages its own).
 * Proxmox writes the other keys itself, so their absence says nothing.
 */
function removable(line: string): boolean {
  const value = line.slice(line.indexOf(':') + 1).trim();
  if (line.startsWith('lxc.cgroup2.devices.allow:')) return /:\*\s/.test(value + ' ');
  if (line.startsWith('lxc.mount.entry:')) return !value.startsWith('/var/lib/lxc/');
  return false;
}
