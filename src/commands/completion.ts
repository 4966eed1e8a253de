// `phx completion bash|zsh|fish` prints a completion script; the script asks
// the hidden `phx __complete -- WORDS… CURRENT` for candidates, one a line.
// Commands and flags come from the command tree itself (so a new verb or
// flag completes without touching this file); entry and target ids come
// from the project in the current folder at completion time: configs loaded
// and targets expanded, no cache opened, no host asked.
import { Argument, type Command, type Option } from 'commander';
import { ExitCode, type CommandContext } from './context.ts';

export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

/** Verbs whose ids may be target ids as well as CTIDs/VMIDs; the other verbs take guest ids only. */
const takesTargetIds = new Set(['plan', 'build', 'graph', 'explain', 'logs']);
/** Global flags that change where the ids come from. */
const pathFlags = {
  '--config-dir': 'configDir',
  '--features-dir': 'featuresDir',
  '--cache-dir': 'cacheDir',
} as const;

export function registerCompletion(
  program: Command,
  context: () => CommandContext,
  set: (p: Promise<number>) => Promise<void>,
): void {
  program
    .command('completion')
    .description('print a shell completion script (bash: source <(phx completion bash))')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(shells))
    .action(async (shell: Shell) => {
      await set(Promise.resolve(printScript(context(), shell)));
    });
  program
    .command('__complete [words...]', { hidden: true })
    .description('completion candidates for the words of a command line (used by the scripts)')
    .action(async (words: string[]) => {
      await set(complete(context(), program, words));
    });
}

function printScript(ctx: CommandContext, shell: Shell): number {
  ctx.io.out(scripts[shell]);
  return ExitCode.ok;
}

/** Print the candidates for the last word of `words` (the word being completed, maybe empty). */
export async function complete(
  ctx: CommandContext,
  program: Command,
  words: readonly string[],
): Promise<number> {
  for (const c of await candidates(ctx, program, words)) ctx.io.out(c + '\n');
  return ExitCode.ok;
}

export async function candidates(
  ctx: CommandContext,
  program: Command,
  words: readonly string[],
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let cmd = program;
  let operands = 0;
  const paths: { configDir?: string; featuresDir?: string; cacheDir?: string } = {};
  let valueOf: Option | undefined;
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    valueOf = undefined;
    if (w.startsWith('-') && w !== '-') {
      const [name, inline] = w.split('=', 2) as [string, string | undefined];
      const opt = findOption(cmd, name) ?? findOption(program, name);
      if (!opt || (!opt.required && !opt.optional) || inline !== undefined) continue;
      const value = before[i + 1];
      if (value === undefined) {
        valueOf = opt; // the current word is this flag's value
        continue;
      }
      if (opt.long !== undefined && opt.long in pathFlags)
        paths[pathFlags[opt.long as keyof typeof pathFlags]] = value;
      i++;
      continue;
    }
    const sub = operands === 0 ? subcommand(cmd, w) : undefined;
    if (sub) cmd = sub;
    else operands++;
  }
  const keep = (list: Iterable<string>) => [...list].filter((c) => c.startsWith(current));
  // A flag's value: its choices, or nothing (the shell then completes file names).
  if (valueOf) return keep(valueOf.argChoices ?? []);
  if (current.startsWith('-')) {
    const flags = [...visibleOptions(cmd), ...(cmd === program ? [] : visibleOptions(program))];
    return unique(keep(flags.flatMap((o) => (o.long !== undefined ? [o.long] : []))));
  }
  const out: string[] = [];
  if (operands === 0)
    out.push(
      ...cmd
        .createHelp()
        .visibleCommands(cmd)
        .map((c) => c.name()),
    );
  const args = cmd.registeredArguments;
  const arg = args[Math.min(operands, args.length - 1)];
  if (arg && (operands < args.length || arg.variadic)) {
    if (arg.argChoices) out.push(...arg.argChoices);
    else out.push(...(await projectIds(ctx, paths, takesTargetIds.has(cmd.name()))));
  }
  return unique(keep(out));
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

function subcommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

function visibleOptions(cmd: Command): readonly Option[] {
  return cmd.createHelp().visibleOptions(cmd);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** CTIDs/VMIDs of the configs, then (when wanted) target ids in build order; none if the configs do not load. */
async function projectIds(
  ctx: CommandContext,
  paths: { configDir?: string; featuresDir?: string; cacheDir?: string },
  targets: boolean,
): Promise<string[]> {
  // Loaded only here: printing a script or a flag needs no project.
  const { prepareProject } = await import('../engine/pipeline.ts');
  const { result } = await prepareProject({
    cwd: ctx.cwd,
    env: ctx.env,
    globals: { ...ctx.globals, ...paths },
    strict: false,
  });
  if (!result.ok) return [];
  const entries = [...result.value.project.guests.keys()].sort((a, b) => a - b).map(String);
  return targets ? [...entries, ...result.value.graph.order.map((t) => t.id)] : entries;
}

// The scripts pass the words after `phx` up to the cursor; an empty answer
// falls back to the shell's file names (flags such as --state take a file).
const scripts: Record<Shell, string> = {
  bash: `# bash completion for phx. Load it with: source <(phx completion bash)
_phx() {
  local IFS=$'\\n'
  COMPREPLY=($(command phx __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _phx phx
`,
  zsh: `#compdef phx
# zsh completion for phx. Load it with: source <(phx completion zsh)  (after compinit)
_phx() {
  local -a candidates
  candidates=(\${(f)"$(command phx __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  if (( \${#candidates} )); then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _phx phx
`,
  fish: `# fish completion for phx. Load it with: phx completion fish | source
function __phx_complete
    set -l args (commandline -opc)
    set -e args[1]
    set -l cur (commandline -ct)
    set -l out (command phx __complete -- $args "$cur" 2>/dev/null)
    if test (count $out) -gt 0
        printf '%s\\n' $out
    else
        __fish_complete_path "$cur"
    end
end
complete -c phx -f -a '(__phx_complete)'
`,
};
