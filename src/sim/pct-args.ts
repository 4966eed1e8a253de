// Parse a subcommand's words the way PVE's CLI handler does (Getopt::Long with
// permute): options anywhere as `--opt value`, `--opt=value` or `-opt value`,
// booleans may stand alone, `--` ends the options. Errors carry the text and
// usage line pct prints on stderr.
import { findOption, type SubcommandSpec } from './pct-spec.ts';
import { parseBoolean } from './pve-formats.ts';
import type { Result } from '../core/result.ts';

export interface ParsedArgs {
  readonly positionals: Readonly<Record<string, string>>;
  /** Option name → value as given (booleans normalised to "0"/"1"). */
  readonly options: ReadonlyMap<string, string>;
  /** `pct exec`'s command words. */
  readonly extra: readonly string[];
}

export type ArgsResult = Result<ParsedArgs, string>;

const usage = (spec: SubcommandSpec, first: string): string => `${first}\n${spec.synopsis}\n`;

export function parsePctArgs(spec: SubcommandSpec, words: readonly string[]): ArgsResult {
  const options = new Map<string, string>();
  const loose: string[] = [];
  let extra: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      extra = words.slice(i + 1);
      break;
    }
    if (!/^--?[A-Za-z]/.test(w)) {
      loose.push(w);
      continue;
    }
    const body = w.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const os = findOption(spec, name);
    if (!os)
      return {
        ok: false,
        error: usage(spec, `Unknown option: ${name}\n400 unable to parse option`),
      };
    let value: string | undefined = eq < 0 ? undefined : body.slice(eq + 1);
    if (value === undefined) {
      const next = words[i + 1];
      if (os.flag) {
        // `:s` in Getopt terms: the next word is the value unless it is an option.
        if (next !== undefined && !next.startsWith('-')) {
          value = next;
          i++;
        } else value = '1';
      } else {
        if (next === undefined)
          return {
            ok: false,
            error: usage(spec, `Option ${name} requires an argument\n400 unable to parse option`),
          };
        value = next;
        i++;
      }
    }
    options.set(name, value);
  }
  const positionals: Record<string, string> = {};
  const wanted = spec.positionals;
  if (spec.extraArgs) {
    extra = [...loose.slice(wanted.length), ...extra];
  } else if (loose.length > wanted.length || extra.length > 0) {
    return { ok: false, error: usage(spec, '400 too many arguments') };
  }
  const required = wanted.filter((p) => p.optional !== true).length;
  if (loose.length < required) return { ok: false, error: usage(spec, '400 not enough arguments') };
  const errors: string[] = [];
  wanted.forEach((p, i) => {
    const v = loose[i];
    if (v === undefined) return;
    // An optional arg param given in its place is that option (PVE maps it so).
    if (p.optional === true) {
      if (options.has(p.name)) errors.push(`${p.name}: duplicate parameter`);
      options.set(p.name, v);
    } else positionals[p.name] = v;
  });
  for (const p of wanted)
    if (p.optional !== true) errors.push(...p.check(positionals[p.name]!, p.name));
  for (const [name, value] of options) {
    const os = findOption(spec, name)!;
    errors.push(...os.check(value, name));
    if (os.flag && errors.length === 0) options.set(name, parseBoolean(value) ? '1' : '0');
  }
  if (errors.length > 0)
    return {
      ok: false,
      error: usage(spec, `400 Parameter verification failed.\n${errors.join('\n')}`),
    };
  return { ok: true, value: { positionals, options, extra } };
}
