// A health-check command line split into argv words, the way a user reads
// it: whitespace separates, single and double quotes group. No expansion of
// any kind happens, and shell syntax (; | & $ ` < > and friends) is refused,
// so a config value never becomes shell text inside the guest.
export type Words = { ok: true; value: string[] } | { ok: false; error: string };

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
