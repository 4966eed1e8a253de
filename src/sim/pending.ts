// Pending changes of a running CT, as pve-container keeps them: `pct set` on
// a running container applies what it can hot-plug and leaves the rest in a
// `[pve:pending]` section (values, and `delete: a,b`) that the next start
// applies (PVE::LXC::Config update_pct_config → vmconfig_hotplug_pending,
// vm_start → vmconfig_apply_pending). Raw `lxc.*` lines are read only when
// the container starts: the start writes them into /var/lib/lxc/<id>/config
// (update_lxc_config), which the sim keeps as `lxcConfig`.
import type { ConfigSection, CtState } from './ct-state.ts';

export interface PendingState {
  keys: Record<string, string>;
  delete: string[];
}

/** Options a running CT takes by just writing them (pve-container's $LXC_FASTPLUG_OPTIONS). */
const fastplug = new Set([
  'description',
  'onboot',
  'startup',
  'protection',
  'hostname',
  'hookscript',
  'cores',
  'tags',
  'lock',
]);

/** Whether a running CT applies `key` = value now (else it stays pending). */
export function hotplugsSet(key: string, current: Readonly<Record<string, string>>): boolean {
  if (fastplug.has(key)) return true;
  if (['cpulimit', 'cpuunits', 'memory', 'swap'].includes(key)) return true;
  if (/^net\d+$/.test(key)) return true;
  // A new mount point or device is hot-plugged; one over an existing key is not.
  if (/^(mp|dev)\d+$/.test(key)) return !(key in current);
  return false;
}

/** Whether a running CT drops `key` now on `--delete`. */
export function hotplugsDelete(key: string): boolean {
  return (
    fastplug.has(key) ||
    /^unused\d+$/.test(key) ||
    ['swap', 'cpulimit', 'cpuunits'].includes(key) ||
    /^net\d+$/.test(key)
  );
}

/** Drop pending values equal to the current ones and deletions of absent keys (cleanup_pending). */
export function cleanupPending(ct: CtState): void {
  const p = ct.pending;
  if (!p) return;
  for (const [k, v] of Object.entries(p.keys))
    if (ct.config.keys[k] === v) Reflect.deleteProperty(p.keys, k);
  p.delete = p.delete.filter((k) => k in ct.config.keys);
  if (Object.keys(p.keys).length === 0 && p.delete.length === 0) delete ct.pending;
}

/** `[pve:pending]` as a config section (keys sorted by the renderer, `delete` among them). */
export function pendingSection(p: PendingState): ConfigSection {
  const keys = { ...p.keys };
  if (p.delete.length > 0) keys.delete = p.delete.join(',');
  return { description: '', keys, raw: [] };
}

export function pendingFromSection(s: ConfigSection): PendingState {
  const keys = { ...s.keys };
  const del = (keys.delete ?? '').split(/[,;\s]+/).filter((k) => k !== '');
  delete keys.delete;
  return { keys, delete: del };
}

/**
 * Start the CT as vm_start does: apply what is pending (`removeKey` drops a
 * key the way `pct set --delete` does on a stopped CT, keeping a volume as
 * unusedN), then write the running config's raw lines.
 */
export function startCt(ct: CtState, removeKey: (ct: CtState, key: string) => void): void {
  const p = ct.pending;
  if (p) {
    for (const k of p.delete) removeKey(ct, k);
    Object.assign(ct.config.keys, p.keys);
    delete ct.pending;
  }
  ct.lxcConfig = ct.config.raw.map(([k, v]) => [k, v]);
  ct.status = 'running';
}

/** `/var/lib/lxc/<id>/config` as update_lxc_config writes it: here only its raw lines matter. */
export function renderLxcConfig(ct: CtState): string | undefined {
  if (ct.lxcConfig === undefined) return undefined;
  return ct.lxcConfig.map(([k, v]) => `${k} = ${v}\n`).join('');
}
