// The bash Phoenix tree `phx import` reads: `/usr/local/phoenix_hypervisor`
// (or a checkout holding it under `usr/local/phoenix_hypervisor/`) with its
// configs in `etc/`, LXC features in `bin/lxc_setup/`, VM features in
// `bin/vm_features/` and application scripts in `bin/`. Only listed and read
// here, never executed.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { err, ok, type Result } from '../../core/result.ts';

/** The four config files, named as in the real project's `etc/`. */
export const CONFIG_FILES = [
  'phoenix_hypervisor_config.json',
  'phoenix_lxc_configs.json',
  'phoenix_vm_configs.json',
  'phoenix_stacks_config.json',
] as const;
export type ConfigFile = (typeof CONFIG_FILES)[number];

const LXC_FEATURE = /^phoenix_hypervisor_feature_install_(.+)\.sh$/;
const VM_FEATURE = /^feature_install_(.+)\.sh$/;
/** The real project's application scripts; any other `bin/` file a config names is one too. */
const APP_SCRIPT = /^phoenix_hypervisor_lxc_.+\.sh$/;

export interface TreeScript {
  readonly name: string;
  /** Path inside the tree, for the report. */
  readonly from: string;
  readonly path: string;
}

export interface BashTree {
  /** The phoenix_hypervisor folder. */
  readonly root: string;
  readonly configs: readonly { readonly file: ConfigFile; readonly path: string }[];
  readonly missingConfigs: readonly ConfigFile[];
  readonly lxcFeatures: readonly TreeScript[];
  readonly vmFeatures: readonly TreeScript[];
  /** Every regular file directly in `bin/`: app scripts are picked from these. */
  readonly binFiles: ReadonlySet<string>;
  /** Files of `bin/lxc_setup/` and `bin/vm_features/` that are not feature installers. */
  readonly strayFeatureFiles: readonly string[];
  /** Everything else in `etc/` (the bash JSON Schemas, nginx, traefik, apparmor, …). */
  readonly etcOther: readonly string[];
  /** Folders of `bin/` phx does not import (managers, hypervisor_setup, …). */
  readonly binFolders: readonly string[];
}

export type TreeProblem =
  | { readonly reason: 'missing'; readonly dir: string }
  | { readonly reason: 'not-phoenix'; readonly dir: string; readonly expected: readonly string[] };

export function isAppScriptName(name: string): boolean {
  return APP_SCRIPT.test(name);
}

export async function readBashTree(dir: string): Promise<Result<BashTree, TreeProblem>> {
  const given = resolve(dir);
  if (!(await isDir(given))) return err({ reason: 'missing', dir: given });
  const nested = join(given, 'usr', 'local', 'phoenix_hypervisor');
  const root = (await isDir(nested)) ? nested : given;
  const etc = await files(join(root, 'etc'));
  const configs = CONFIG_FILES.filter((f) => etc.has(f));
  // The LXC config is what every Phoenix tree has had since its first commit.
  if (!configs.includes('phoenix_lxc_configs.json') || !(await isDir(join(root, 'bin')))) {
    return err({
      reason: 'not-phoenix',
      dir: given,
      expected: [
        'etc/phoenix_lxc_configs.json (beside phoenix_hypervisor_config.json, phoenix_vm_configs.json, phoenix_stacks_config.json)',
        'bin/ with lxc_setup/phoenix_hypervisor_feature_install_<name>.sh',
      ],
    });
  }
  const lxc = await scripts(root, 'bin/lxc_setup', LXC_FEATURE);
  const vm = await scripts(root, 'bin/vm_features', VM_FEATURE);
  return ok({
    root,
    configs: configs.map((file) => ({ file, path: join(root, 'etc', file) })),
    missingConfigs: CONFIG_FILES.filter((f) => !etc.has(f)),
    lxcFeatures: lxc.scripts,
    vmFeatures: vm.scripts,
    binFiles: await files(join(root, 'bin')),
    strayFeatureFiles: [...lxc.stray, ...vm.stray],
    etcOther: [
      ...[...etc].filter((f) => !(CONFIG_FILES as readonly string[]).includes(f)).sort(),
      ...(await folders(join(root, 'etc'))).map((f) => `${f}/`),
    ].map((f) => `etc/${f}`),
    binFolders: (await folders(join(root, 'bin')))
      .filter((f) => f !== 'lxc_setup' && f !== 'vm_features')
      .map((f) => `bin/${f}/`),
  });
}

async function scripts(
  root: string,
  folder: string,
  pattern: RegExp,
): Promise<{ scripts: TreeScript[]; stray: string[] }> {
  const found: TreeScript[] = [];
  const stray: string[] = [];
  for (const file of [...(await files(join(root, folder)))].sort()) {
    const name = pattern.exec(file)?.[1];
    if (name === undefined) stray.push(`${folder}/${file}`);
    else found.push({ name, from: `${folder}/${file}`, path: join(root, folder, file) });
  }
  return { scripts: found, stray };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Regular files (not links: a link could lead out of the tree) directly in `dir`. */
async function files(dir: string): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  } catch {
    return new Set();
  }
}

async function folders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
