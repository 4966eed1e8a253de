// The features folder (DESIGN §1): each `NAME/` with an executable
// `install.sh` and an optional `feature.json` is a feature; `apps/` holds the
// application scripts and is not one.
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppManifest, FeatureManifest } from './model.ts';
import type { Reporter } from './report.ts';
import { applySchema } from './schema/apply.ts';
import { appManifestFile, featureManifestFile } from './schema/feature-manifest.ts';
import { readSource } from './source.ts';
import type { SourceFile } from './source.ts';

export const APPS_DIR = 'apps';

export interface FeatureCatalog {
  readonly features: ReadonlyMap<string, FeatureManifest>;
  /** Parsed feature.json of each feature that has one, for diagnostics pointing into it. */
  readonly manifestFiles: ReadonlyMap<string, SourceFile>;
  /** File names under `apps/`. */
  readonly apps: ReadonlySet<string>;
  /** Manifests of the app scripts that have a `<script>.json` beside them. */
  readonly appManifests: ReadonlyMap<string, AppManifest>;
  /** Folders without install.sh: helpers (e.g. shared scripts), not features. */
  readonly helperDirs: ReadonlySet<string>;
  /** False when the folder itself is missing. */
  readonly exists: boolean;
}

export async function scanFeatures(
  featuresDir: string,
  display: (absolute: string) => string,
  reporter: Reporter,
): Promise<FeatureCatalog> {
  const features = new Map<string, FeatureManifest>();
  const manifestFiles = new Map<string, SourceFile>();
  let entries;
  try {
    entries = await readdir(featuresDir, { withFileTypes: true });
  } catch {
    return {
      features,
      manifestFiles,
      apps: new Set(),
      appManifests: new Map(),
      helperDirs: new Set(),
      exists: false,
    };
  }
  const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  const apps = dirs.includes(APPS_DIR)
    ? await listFiles(join(featuresDir, APPS_DIR))
    : new Set<string>();
  const helperDirs = new Set<string>();
  const loaded = await Promise.all(
    dirs
      .filter((d) => d !== APPS_DIR)
      .map((name) => loadFeature(join(featuresDir, name), name, display, reporter)),
  );
  loaded.forEach((f, i) => {
    if (f === undefined) helperDirs.add(dirs.filter((d) => d !== APPS_DIR)[i]!);
  });
  for (const f of loaded) {
    if (f === undefined) continue;
    features.set(f.manifest.name, f.manifest);
    if (f.file !== undefined) manifestFiles.set(f.manifest.name, f.file);
  }
  const appManifests = new Map<string, AppManifest>();
  for (const script of apps) {
    if (script.endsWith('.json') || !apps.has(`${script}.json`)) continue;
    const loadedApp = await loadAppManifest(join(featuresDir, APPS_DIR), script, display, reporter);
    appManifests.set(script, loadedApp.manifest);
    // Keyed apart from feature names, which cannot contain a slash.
    if (loadedApp.file !== undefined) manifestFiles.set(`${APPS_DIR}/${script}`, loadedApp.file);
  }
  return { features, manifestFiles, apps, appManifests, helperDirs, exists: true };
}

async function listFiles(dir: string): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Set(entries.filter((e) => !e.isDirectory()).map((e) => e.name));
  } catch {
    return new Set();
  }
}

async function loadFeature(
  dir: string,
  name: string,
  display: (absolute: string) => string,
  reporter: Reporter,
): Promise<{ manifest: FeatureManifest; file?: SourceFile } | undefined> {
  const install = join(dir, 'install.sh');
  // A folder without install.sh is not a feature but a helper folder (shared
  // scripts); a reference to it is told so by the unknown-feature check.
  if (!(await can(install, constants.F_OK))) return undefined;
  if (!(await can(install, constants.X_OK))) {
    reporter.atPath(display(install), {
      severity: 'error',
      code: 'feature-not-executable',
      pointer: '',
      message: `install.sh of feature ${name} is not executable (chmod +x)`,
    });
  }
  const file = await readSource(join(dir, 'feature.json'), display(join(dir, 'feature.json')));
  const defaults: FeatureManifest = {
    name,
    reads: [],
    requires: [],
    consumes: [],
    gpu: false,
    targets: ['lxc', 'vm'],
    dir,
  };
  if (file === undefined) return { manifest: defaults };
  if (file.syntaxErrors.length > 0) {
    reporter.syntax(file);
    return { manifest: defaults, file };
  }
  const parsed = applySchema(featureManifestFile, file.value, file, reporter);
  if (parsed === undefined) return { manifest: defaults, file };
  const manifest: FeatureManifest = {
    name,
    ...(parsed.description === undefined ? {} : { description: parsed.description }),
    ...(parsed.params === undefined ? {} : { params: parsed.params }),
    reads: parsed.reads,
    requires: parsed.requires,
    consumes: parsed.consumes,
    gpu: parsed.gpu,
    targets: parsed.targets,
    dir,
  };
  return { manifest, file };
}

async function loadAppManifest(
  appsDir: string,
  script: string,
  display: (absolute: string) => string,
  reporter: Reporter,
): Promise<{ manifest: AppManifest; file?: SourceFile }> {
  const path = join(appsDir, `${script}.json`);
  const file = await readSource(path, display(path));
  const defaults: AppManifest = { script, reads: [], consumes: [], gpu: false };
  if (file === undefined) return { manifest: defaults };
  if (file.syntaxErrors.length > 0) {
    reporter.syntax(file);
    return { manifest: defaults, file };
  }
  const parsed = applySchema(appManifestFile, file.value, file, reporter);
  if (parsed === undefined) return { manifest: defaults, file };
  return {
    manifest: {
      script,
      ...(parsed.description === undefined ? {} : { description: parsed.description }),
      reads: parsed.reads,
      consumes: parsed.consumes,
      gpu: parsed.gpu,
    },
    file,
  };
}

async function can(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}
