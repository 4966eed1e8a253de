// What a bash Phoenix script does that a phx feature cannot, found by reading
// its text (never by running it): helpers it sources from the bash tree,
// commands it runs on the host against the guest (phx runs install.sh inside
// the guest), config it reads with jq (the entry keys seed `reads`), and other
// files of the tree it names.

export interface ScriptScan {
  /** JSON pointers into the entry, from `jq_get_value "$CTID" '.a.b'`, in order of first use. */
  readonly reads: readonly string[];
  /** What needs a human look, one finding per kind. */
  readonly findings: readonly Finding[];
}

export type Finding =
  | { readonly reason: 'sources-bash-helpers'; readonly helpers: readonly string[] }
  | { readonly reason: 'host-side-commands'; readonly commands: readonly HostCommand[] }
  | { readonly reason: 'jq-not-converted'; readonly expressions: readonly string[] }
  | { readonly reason: 'reads-host-config'; readonly expressions: readonly string[] }
  | { readonly reason: 'reads-config-file'; readonly lines: readonly number[] }
  | { readonly reason: 'tree-files'; readonly paths: readonly string[] };

export interface HostCommand {
  /** `pct exec`, `pct push`, `qm guest exec`, … */
  readonly command: string;
  readonly count: number;
}

// `jq_get_value "$CTID" ".x"` (also `$ctid`, `${CTID}`, `$1`, `$VMID`): the entry's key, with
// the root of the file as fallback (phoenix-real.md §1.2), which phx's `reads` matches.
const JQ_GET = /\bjq_get_value\s+"?\$\{?(?:CTID|ctid|VMID|vmid|1)\}?"?\s+(?:"([^"]*)"|'([^']*)')/g;
const GLOBAL_GET = /\bget_global_config_value\s+(?:"([^"]*)"|'([^']*)')/g;
const SOURCE = /^\s*(?:source|\.)\s+(.+)$/gm;
const HOST_COMMAND =
  /(?:^|[\s;|&(!`$])(pct_exec|pct\s+(?:exec|push|pull|set|enter|start|stop|reboot|snapshot|config)|qm\s+(?:guest\s+exec|set|start|stop|reboot|terminal))\b/gm;
const CONFIG_FILE_VAR =
  /\$\{?(?:LXC_CONFIG_FILE|VM_CONFIG_FILE|HYPERVISOR_CONFIG_FILE|STACKS_CONFIG_FILE)\}?|phoenix_(?:lxc|vm|hypervisor|stacks)_configs?\.json/;
const TREE_PATH = /\$\{?(?:PHOENIX_BASE_DIR|PHOENIX_DIR|SCRIPT_DIR)\}?\/([A-Za-z0-9_./-]+)/g;

export function scanScript(text: string): ScriptScan {
  const code = withoutComments(text);
  const reads: string[] = [];
  const notConverted: string[] = [];
  for (const m of code.matchAll(JQ_GET)) {
    const expr = (m[1] ?? m[2] ?? '').trim();
    const pointer = jqPathToPointer(expr);
    if (pointer === undefined) notConverted.push(expr);
    else if (!reads.includes(pointer)) reads.push(pointer);
  }
  const findings: Finding[] = [];
  const helpers = unique(
    [...code.matchAll(SOURCE)]
      .map((m) => sourcedName(m[1] ?? ''))
      .filter((name) => name !== 'phx.sh'),
  );
  if (helpers.length > 0) findings.push({ reason: 'sources-bash-helpers', helpers });
  const counts = new Map<string, number>();
  for (const m of code.matchAll(HOST_COMMAND)) {
    const command = (m[1] ?? '').replace(/\s+/g, ' ');
    counts.set(command, (counts.get(command) ?? 0) + 1);
  }
  if (counts.size > 0) {
    findings.push({
      reason: 'host-side-commands',
      commands: [...counts].map(([command, count]) => ({ command, count })),
    });
  }
  if (notConverted.length > 0)
    findings.push({ reason: 'jq-not-converted', expressions: unique(notConverted) });
  const global = unique([...code.matchAll(GLOBAL_GET)].map((m) => (m[1] ?? m[2] ?? '').trim()));
  if (global.length > 0) findings.push({ reason: 'reads-host-config', expressions: global });
  const lines = code
    .split('\n')
    .flatMap((line, i) => (/\bjq\b/.test(line) && CONFIG_FILE_VAR.test(line) ? [i + 1] : []));
  if (lines.length > 0) findings.push({ reason: 'reads-config-file', lines });
  const paths = unique(
    [...code.matchAll(TREE_PATH)]
      .map((m) => m[1] ?? '')
      // `${SCRIPT_DIR}/../..` finds the tree's root, not a file.
      .filter((p) => /[A-Za-z]/.test(p) && !/phoenix_hypervisor_common_utils\.sh$/.test(p)),
  );
  if (paths.length > 0) findings.push({ reason: 'tree-files', paths });
  return { reads, findings };
}

/**
 * `.a.b`, `.ports[0]`, `.["x-y"]`, `.a // "default"` → `/a/b`, `/ports/0`, `/x-y`,
 * `/a`; anything else (pipes, filters, variables) is left to a human.
 */
export function jqPathToPointer(expr: string): string | undefined {
  const path = expr.split(/\s+\/\/\s+/)[0]?.trim() ?? '';
  if (!path.startsWith('.') || path === '.') return undefined;
  const tokens: string[] = [];
  const step = /\.([A-Za-z_][A-Za-z0-9_]*)|\.?\["([^"\\]+)"\]|\[(\d+)\]/y;
  let at = 0;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (m === null) return undefined;
    tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
    at = step.lastIndex;
  }
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The file a `source` line names: its last `*.sh` word, or the line when there is none. */
function sourcedName(rest: string): string {
  const names = [...rest.matchAll(/([A-Za-z0-9_.-]+\.(?:sh|bash))\b/g)].map((m) => m[1] ?? '');
  return names.at(-1) ?? rest.trim();
}

/** Whole-line comments out (a commented-out `pct exec` is not a finding); line numbers kept. */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? '' : line))
    .join('\n');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
