// A command line from a config (`health_check.command`) split into argv
// words, the way a user reads it: whitespace separates, single and double
// quotes group. No expansion of any kind happens, and shell syntax (; | & $ `
// < > and friends) is refused, so a config value never becomes shell text
// inside the guest. Validation and the `check` target split with this one
// function, so what validates is what runs.
import type { Result } from '../core/result.ts';
export type Words = Result<string[], string>;

const shellSyntax = /[;&|$`<>(){}*?~!\\]/;

export function splitWords(line: string): Words {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (shellSyntax.test(ch)) {
      return {
        ok: false,
        error: `shell syntax '${ch}' is not allowed in a command; give a script instead`,
      };
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unterminated ${quote} quote` };
  if (inWord) words.push(cur);
  if (words.length === 0) return { ok: false, error: 'empty command' };
  return { ok: true, value: words };
}

/**
 * The problem with a command line, or undefined: it must split, and its
 * program word must survive `pct exec -- env …` (a word with `=` would be
 * read as a variable, one starting with `-` as an option of env).
 */
export function commandProblem(line: string): string | undefined {
  const words = splitWords(line);
  if (!words.ok) return words.error;
  const program = words.value[0] ?? '';
  if (program.includes('='))
    return `the program "${program}" contains "=": env would take it as a variable`;
  if (program.startsWith('-'))
    return `the program "${program}" starts with "-": env would take it as an option`;
  return undefined;
}
