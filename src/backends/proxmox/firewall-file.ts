// /etc/pve/firewall/<id>.fw, written whole from the entry's `firewall`. The
// real project deleted and re-created rules through pvesh on every run and
// committed duplicates (103 has one rule three times); here the file is the
// declared rule list, each rule once, and rewriting it is idempotent.
//
// Every field the schema accepts is written, in the order pve-firewall itself
// writes a rule (`[|]IN MACRO(ACTION) -i -source -dest -p -dport -sport -log
// # comment`): a field dropped here would widen the rule (a macro lost is
// "every port", a disabled rule lost is an active one).
import type { Firewall, FirewallRule } from '../../model/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  canonicalMacro,
  FIREWALL_ACTIONS,
  FIREWALL_LOG_LEVELS,
  portSpec,
  ruleProblems,
} from '../../model/pve/firewall.ts';
import { sanitizeComment } from '../../model/pve/formats.ts';

const ACTIONS: readonly string[] = FIREWALL_ACTIONS;
const LOG_LEVELS: readonly string[] = FIREWALL_LOG_LEVELS;

/**
 * The rule's line, or its first problem. The fields are checked by the same
 * functions `validate` uses (src/model/pve/firewall.ts); a rule built by hand
 * or from a future schema meets them here.
 */
export function ruleLine(r: FirewallRule): Result<string, string> {
  const problem = ruleProblems(r)[0];
  if (problem !== undefined) return err(`rule ${problem.field} ${problem.problem}`);
  const verb =
    r.macro === undefined
      ? r.action.toUpperCase()
      : `${canonicalMacro(r.macro) ?? r.macro}(${r.action.toUpperCase()})`;
  const parts = [`${r.enable === false ? '|' : ''}${r.type.toUpperCase()} ${verb}`];
  if (r.iface !== undefined) parts.push('-i', r.iface);
  if (r.source !== undefined) parts.push('-source', r.source);
  if (r.dest !== undefined) parts.push('-dest', r.dest);
  if (r.proto !== undefined) parts.push('-p', r.proto);
  const dport = r.dport ?? r.port;
  if (dport !== undefined) parts.push('-dport', portSpec(dport));
  if (r.sport !== undefined) parts.push('-sport', portSpec(r.sport));
  if (r.log !== undefined) parts.push('-log', r.log);
  const comment = r.comment === undefined ? '' : sanitizeComment(r.comment);
  return ok(comment === '' ? parts.join(' ') : `${parts.join(' ')} # ${comment}`);
}

/**
 * The `[OPTIONS]` lines: `enable`, then each option the config sets. An option
 * the config leaves out is not written, so pve-firewall's own default holds
 * (README "Firewall" says why phx does not spell the defaults out).
 */
function optionLines(fw: Firewall): Result<string[], string> {
  const lines = [`enable: ${fw.enabled ? '1' : '0'}`];
  for (const k of ['policy_in', 'policy_out'] as const) {
    const v = fw[k];
    if (v === undefined) continue;
    if (!ACTIONS.includes(v)) return err(`${k} "${v}" is not ACCEPT, DROP or REJECT`);
    lines.push(`${k}: ${v}`);
  }
  for (const k of ['log_level_in', 'log_level_out'] as const) {
    const v = fw[k];
    if (v === undefined) continue;
    if (!LOG_LEVELS.includes(v)) return err(`${k} "${v}" is not a log level`);
    lines.push(`${k}: ${v}`);
  }
  for (const k of ['macfilter', 'ipfilter', 'dhcp', 'ndp', 'radv'] as const) {
    const v = fw[k];
    if (v !== undefined) lines.push(`${k}: ${v ? '1' : '0'}`);
  }
  return ok(lines);
}

/**
 * The whole file. Absent firewall: `enable: 0` only. A disabled one keeps its
 * options and rules in the file under `enable: 0`, as Proxmox does when the
 * firewall is switched off, so switching it on later changes one line.
 */
export function firewallFile(fw: Firewall | undefined): Result<string, string> {
  if (fw === undefined) return ok('[OPTIONS]\nenable: 0\n');
  const options = optionLines(fw);
  if (!options.ok) return err(`firewall.${options.error}`);
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const [i, r] of fw.rules.entries()) {
    const line = ruleLine(r);
    if (!line.ok) return err(`firewall.rules[${i}]: ${line.error}`);
    // Duplicates are the same rule whatever their comment says.
    const key = line.value.replace(/ # .*$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(line.value);
  }
  const head = `[OPTIONS]\n${options.value.map((l) => `${l}\n`).join('')}`;
  if (lines.length === 0) return ok(head);
  return ok(`${head}\n[RULES]\n${lines.map((l) => `${l}\n`).join('')}`);
}
