// A signature of everything a plan's fingerprints derive from, by stat
// (size, mtime, inode) as ninja and the file stat cache do: phx's own
// planning code, the config files, every file of the features folder, the
// build file, and the options that change targets. Equal signature ⇒ equal
// targets and fingerprints, so a no-op plan can skip validation and hashing.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, runningRoot } from './code-root.ts';
import { hashString } from '../core/hash.ts';
import type { Paths } from './paths.ts';

/**
 * Folders whose code shapes targets: all of src/, since a rule's digest
 * covers whatever it imports (src/engine/rule-digests.ts), backends included.
 * Both the running tree (dist/ when compiled) and the TypeScript sources
 * that rule digests hash when present beside it.
 */
const codeDirs = ['src', 'targets', 'rules'];
const codeRoots = [...new Set([runningRoot, packageRoot])];

function statLine(path: string, st: Stats | undefined): string {
  return st ? `${path} ${st.size} ${st.mtimeMs} ${st.ino}` : `${path} -`;
}

function tryStat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    out.push(`${dir} -`);
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(statLine(p, tryStat(p)));
  }
}

export function inputSignature(paths: Paths, options: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [JSON.stringify(options)];
  for (const root of codeRoots) for (const d of codeDirs) walk(join(root, d), lines);
  for (const f of [
    'phoenix_hypervisor_config',
    'phoenix_lxc_configs',
    'phoenix_vm_configs',
    'phoenix_stacks_config',
  ]) {
    const p = join(paths.configDir, `${f}.json`);
    lines.push(statLine(p, tryStat(p)));
  }
  walk(paths.featuresDir, lines);
  const buildFile = join(paths.root, 'phoenix.build.ts');
  lines.push(statLine(buildFile, tryStat(buildFile)));
  return hashString(lines.join('\n'));
}
