// Settings drift on Proxmox: the same reconcile `settings` runs, so "no
// drift" means "applySettings would issue no command".
import type { SettingDrift } from '../backend.ts';
import type { LiveConf } from './conf-file.ts';
import { reconcile } from './reconcile.ts';
import type { DesiredSettings } from './settings.ts';

export function proxmoxDrift(desired: DesiredSettings, conf: LiveConf): SettingDrift[] {
  const plan = reconcile(desired, conf);
  const out: SettingDrift[] = [];
  for (const [key, value] of plan.set)
    out.push({ key, live: conf.options.get(key) ?? null, declared: value });
  for (const key of plan.delete)
    out.push({ key, live: conf.options.get(key) ?? null, declared: null });
  for (const r of plan.resizes)
    out.push({ key: `${r.disk} size`, live: 'smaller', declared: `${r.sizeGb}G` });
  if (plan.rawLines !== undefined) {
    const want = new Set(plan.rawLines);
    const have = new Set(conf.rawLines);
    const before = out.length;
    for (const l of conf.rawLines)
      if (!want.has(l)) out.push({ key: 'lxc', live: l, declared: null });
    for (const l of plan.rawLines)
      if (!have.has(l)) out.push({ key: 'lxc', live: null, declared: l });
    if (out.length === before) {
      out.push({ key: 'lxc', live: 'lines out of order', declared: plan.rawLines.join('; ') });
    }
  }
  return out;
}
