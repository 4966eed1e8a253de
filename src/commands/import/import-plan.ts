// From a bash Phoenix tree to the list of files of a phx workspace and the
// report beside it (DESIGN §1 layout): configs/ with the four config files
// byte for byte, features/<name>/install.sh with a generated feature.json,
// features/apps/ with the application scripts. Pure reading; writing is
// write-workspace.ts.
import { readFile } from 'node:fs/promises';
import type { BashTree, TreeScript } from './bash-tree.ts';
import { isAppScriptName } from './bash-tree.ts';
import type { ReviewItem } from './review.ts';
import { scanScript } from './script-scan.ts';

export interface PlannedFile {
  /** Path in the workspace, `/`-separated. */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly executable: boolean;
  /** Written only when absent, never counted as a conflict (the build file, phx's helper library). */
  readonly ifAbsent?: boolean;
}

export interface ImportedFeature {
  readonly name: string;
  readonly from: string;
  readonly targets: readonly ('lxc' | 'vm')[];
  readonly reads: readonly string[];
}

export interface ImportedApp {
  readonly script: string;
  readonly from: string;
  readonly reads: readonly string[];
}

export interface ImportPlan {
  readonly files: readonly PlannedFile[];
  readonly configs: readonly string[];
  readonly features: readonly ImportedFeature[];
  readonly apps: readonly ImportedApp[];
  readonly review: readonly ReviewItem[];
  /** Parts of the tree left behind, and why. */
  readonly notImported: readonly { readonly path: string; readonly why: string }[];
}

/** Folder names under features/ that mean something else to phx. */
const RESERVED = new Set(['apps', 'lib', 'checks', 'tests']);
const FEATURE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const BUILD_FILE = `// The build file of this workspace, written by \`phx import\`: where the
// configs and features live. See phx's README for backend, pools and -j.
export default {
  configDir: 'configs',
  featuresDir: 'features',
  backend: 'auto',
};
`;

export async function planImport(
  tree: BashTree,
  phxLib: Uint8Array | undefined,
): Promise<ImportPlan> {
  const files: PlannedFile[] = [];
  const review: ReviewItem[] = [];
  const notImported: { path: string; why: string }[] = [];
  const parsed = new Map<string, unknown>();
  for (const c of tree.configs) {
    const bytes = await readFile(c.path);
    files.push({ path: `configs/${c.file}`, bytes, executable: false });
    try {
      parsed.set(c.file, JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown);
    } catch {
      review.push({ reason: 'config-not-json', config: c.file });
    }
  }
  for (const config of tree.missingConfigs) review.push({ reason: 'missing-config', config });
  const uses = configUses(
    parsed.get('phoenix_lxc_configs.json'),
    parsed.get('phoenix_vm_configs.json'),
  );

  const features: ImportedFeature[] = [];
  const byName = new Map<string, { lxc?: TreeScript; vm?: TreeScript }>();
  for (const s of tree.lxcFeatures) byName.set(s.name, { ...byName.get(s.name), lxc: s });
  for (const s of tree.vmFeatures) byName.set(s.name, { ...byName.get(s.name), vm: s });
  for (const [name, { lxc, vm }] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const main = lxc ?? vm;
    if (main === undefined) continue;
    if (!FEATURE_NAME.test(name) || RESERVED.has(name)) {
      review.push({ reason: 'bad-feature-name', name, from: main.from });
      continue;
    }
    const dir = `features/${name}`;
    const text = await readFile(main.path);
    const scan = scanScript(text.toString('utf8'));
    files.push({ path: `${dir}/install.sh`, bytes: text, executable: true });
    for (const f of scan.findings) review.push({ ...f, file: `${dir}/install.sh` });
    const targets: ('lxc' | 'vm')[] =
      lxc !== undefined && vm !== undefined ? ['lxc', 'vm'] : lxc !== undefined ? ['lxc'] : ['vm'];
    if (lxc !== undefined && vm !== undefined) {
      // One install.sh serves both kinds in phx; the VM script is kept for the merge.
      files.push({
        path: `${dir}/install.vm.sh`,
        bytes: await readFile(vm.path),
        executable: false,
      });
      review.push({
        reason: 'lxc-and-vm-scripts',
        name,
        file: `${dir}/install.sh`,
        kept: `${dir}/install.vm.sh`,
      });
    }
    const from = [lxc?.from, vm?.from].filter((f) => f !== undefined).join(' and ');
    const manifest = {
      description: describe(text.toString('utf8')) ?? `imported from bash Phoenix ${from}`,
      reads: scan.reads,
      requires: [],
      consumes: [],
      gpu: false,
      targets,
    };
    files.push({ path: `${dir}/feature.json`, bytes: json(manifest), executable: false });
    features.push({ name, from, targets, reads: scan.reads });
  }

  const apps: ImportedApp[] = [];
  const appNames = [...tree.binFiles].filter((f) => isAppScriptName(f) || uses.apps.has(f)).sort();
  for (const script of appNames) {
    const text = await readFile(`${tree.root}/bin/${script}`);
    const scan = scanScript(text.toString('utf8'));
    const path = `features/apps/${script}`;
    files.push({ path, bytes: text, executable: true });
    for (const f of scan.findings) review.push({ ...f, file: path });
    const description = describe(text.toString('utf8'));
    if (scan.reads.length > 0 || description !== undefined) {
      const manifest = { ...(description === undefined ? {} : { description }), reads: scan.reads };
      files.push({ path: `${path}.json`, bytes: json(manifest), executable: false });
    }
    apps.push({ script, from: `bin/${script}`, reads: scan.reads });
  }

  const imported = new Map(features.map((f) => [f.name, f]));
  for (const [name, guests] of uses.features) {
    const f = imported.get(name);
    if (f === undefined) {
      review.push({ reason: 'missing-feature', name, guests });
      continue;
    }
    const without = guests.filter((g) => !f.targets.includes(g.startsWith('VM') ? 'vm' : 'lxc'));
    if (without.length > 0)
      review.push({ reason: 'feature-kind-missing', name, guests: without, from: f.from });
  }
  for (const [script, guests] of uses.apps) {
    if (!tree.binFiles.has(script)) review.push({ reason: 'missing-app-script', script, guests });
  }

  for (const path of tree.etcOther) notImported.push({ path, why: whyNot(path) });
  for (const path of tree.strayFeatureFiles)
    notImported.push({
      path,
      why: 'not a feature installer (phoenix_hypervisor_feature_install_<name>.sh or feature_install_<name>.sh)',
    });
  for (const path of tree.binFolders) notImported.push({ path, why: whyNot(path) });
  const otherBin = [...tree.binFiles].filter((f) => !appNames.includes(f)).sort();
  if (otherBin.length > 0)
    notImported.push({
      path: `bin/ (${otherBin.join(', ')})`,
      why: 'helpers and managers of the bash orchestrator, which phx replaces',
    });

  files.push({
    path: 'phoenix.build.ts',
    bytes: new TextEncoder().encode(BUILD_FILE),
    executable: false,
    ifAbsent: true,
  });
  if (phxLib !== undefined)
    files.push({ path: 'features/lib/phx.sh', bytes: phxLib, executable: false, ifAbsent: true });

  return {
    files,
    configs: tree.configs.map((c) => `configs/${c.file}`),
    features,
    apps,
    review,
    notImported,
  };
}

interface ConfigUses {
  /** Feature name → the guests using it (`CT 901`, `VM 1001`), in config order. */
  readonly features: ReadonlyMap<string, string[]>;
  readonly apps: ReadonlyMap<string, string[]>;
}

/** Which features and application scripts the configs name, read loosely: validate judges the shape. */
function configUses(lxc: unknown, vm: unknown): ConfigUses {
  const features = new Map<string, string[]>();
  const apps = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, guest: string) => {
    map.set(key, [...(map.get(key) ?? []), guest]);
  };
  const entries = record(record(lxc)?.lxc_configs);
  for (const [id, entry] of Object.entries(entries ?? {})) {
    const e = record(entry);
    for (const f of strings(e?.features)) add(features, f, `CT ${id}`);
    const app = e?.application_script;
    if (typeof app === 'string' && app !== '') add(apps, app, `CT ${id}`);
  }
  const vms = record(vm)?.vms;
  for (const entry of Array.isArray(vms) ? (vms as unknown[]) : []) {
    const e = record(entry);
    const id = typeof e?.vmid === 'number' || typeof e?.vmid === 'string' ? String(e.vmid) : '?';
    for (const f of strings(e?.features)) add(features, f, `VM ${id}`);
  }
  return { features, apps };
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The `# Description:` line of a bash Phoenix script header, joined with its continuation lines. */
function describe(text: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#\s*Description:/.test(l));
  if (start < 0) return undefined;
  const parts = [lines[start]!.replace(/^#\s*Description:\s*/, '')];
  for (const l of lines.slice(start + 1)) {
    const m = /^#\s{2,}(\S.*)$/.exec(l);
    if (m === null) break;
    parts.push(m[1]!);
  }
  const d = parts.join(' ').replace(/\s+/g, ' ').trim();
  return d === '' ? undefined : d;
}

function whyNot(path: string): string {
  if (path.endsWith('.schema.json'))
    return 'the bash JSON Schema: phx schema writes its own into configs/schemas/';
  if (path.startsWith('etc/'))
    return 'host-side files of the bash tree: copy what a feature pushes into its feature folder';
  if (path.startsWith('bin/managers')) return 'the bash orchestrator: phx plans and builds instead';
  if (path.startsWith('bin/hypervisor_setup'))
    return 'host setup scripts: phx builds guests, not the host';
  if (path.startsWith('bin/health_checks'))
    return 'host-side checks: copy the ones a config names into features/checks/ and adapt them to run inside the guest';
  if (path.startsWith('bin/tests'))
    return 'bash test suites: phx test runs scripts from features/tests/';
  return 'not part of the feature and application-script layout phx imports';
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
}
