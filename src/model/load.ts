// loadProject: the four config files and the features folder → a validated,
// normalised Project, or every diagnostic that stands in the way. Runs at
// the start of every command, so it reads everything in parallel and loads
// nothing it does not need (ajv only when params are given).
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { runChecks } from './checks/index.ts';
import type { StackInfo } from './checks/context.ts';
import type { Diagnostic } from './diagnostic.ts';
import { scanFeatures } from './features.ts';
import { compareDeclared, lxcGuests, markTemplates, vmGuests } from './guests.ts';
import type { GuestSet, PlacedGuest } from './guests.ts';
import type { Guest, Project, Stack } from './model.ts';
import type { GuestId } from '../core/ids.ts';
import { join as pointerJoin } from './pointer.ts';
import { Reporter } from './report.ts';
import { applySchema } from './schema/apply.ts';
import { configFiles } from './schema/files.ts';
import { hypervisorFile } from './schema/hypervisor.ts';
import { lxcFile } from './schema/lxc.ts';
import { stackDefinition, stacksFile } from './schema/stacks.ts';
import type { StacksFile } from './schema/stacks.ts';
import { vmFile } from './schema/vm.ts';
import { readSource } from './source.ts';
import type { SourceFile } from './source.ts';
import leven from 'leven';

export interface LoadOptions {
  readonly configDir: string;
  readonly featuresDir: string;
  /** Warnings become errors. */
  readonly strict?: boolean;
  /** Diagnostics show paths relative to this (default process.cwd()). */
  readonly cwd?: string;
}

export interface LoadResult {
  /** undefined iff any diagnostic is an error. */
  readonly project: Project | undefined;
  /** Sorted by file, then line and column. */
  readonly diagnostics: Diagnostic[];
  /** Display path → text of every file read, for rendering source lines. */
  readonly sources: ReadonlyMap<string, string>;
}

// Entries are parsed one by one (guests.ts), so the file-level pass only
// looks at the containers.
const lxcRootSchema = lxcFile.extend({
  lxc_configs: z.record(z.string(), z.unknown()).default({}),
});
const vmRootSchema = vmFile.extend({ vms: z.array(z.unknown()).default([]) });

type Obj = Record<string, unknown>;
type StackDefinition = z.output<typeof stackDefinition>;

export async function loadProject(opts: LoadOptions): Promise<LoadResult> {
  const cwd = opts.cwd ?? process.cwd();
  const configDir = resolve(cwd, opts.configDir);
  const featuresDir = resolve(cwd, opts.featuresDir);
  const display = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel === '' ? '.' : isAbsolute(rel) ? abs : rel;
  };
  const reporter = new Reporter(opts.strict === true);
  const paths = {
    hypervisor: join(configDir, configFiles.hypervisor.file),
    lxc: join(configDir, configFiles.lxc.file),
    vm: join(configDir, configFiles.vm.file),
    stacks: join(configDir, configFiles.stacks.file),
  };
  const [hostSrc, lxcSrc, vmSrc, stacksSrc, catalog] = await Promise.all([
    readSource(paths.hypervisor, display(paths.hypervisor)),
    readSource(paths.lxc, display(paths.lxc)),
    readSource(paths.vm, display(paths.vm)),
    readSource(paths.stacks, display(paths.stacks)),
    scanFeatures(featuresDir, display, reporter),
  ]);
  if (
    [hostSrc, lxcSrc, vmSrc, stacksSrc].every((f) => f === undefined) &&
    !(await isDirectory(configDir))
  ) {
    // Every file is optional, but a missing folder is almost always a wrong
    // --config-dir or cwd, not an empty project.
    reporter.atPath(display(configDir), {
      severity: 'error',
      code: 'no-config-dir',
      pointer: '',
      message: `config directory ${display(configDir)} does not exist`,
    });
  }
  const sources = new Map<string, string>();
  for (const f of [hostSrc, lxcSrc, vmSrc, stacksSrc, ...catalog.manifestFiles.values()]) {
    if (f !== undefined) sources.set(f.display, f.text);
  }

  const host = parseFile(hostSrc, hypervisorFile, reporter) ?? {};
  const stacksParsed = parseFile(stacksSrc, stacksFile, reporter);
  const set: GuestSet = { placed: [], broken: new Map() };
  let lxcRoot: Obj = {};
  if (lxcSrc !== undefined) {
    const root = parseFile(lxcSrc, lxcRootSchema, reporter);
    if (root !== undefined) {
      const { lxc_configs: parsedEntries, ...fallbacks } = root;
      delete fallbacks.$schema;
      lxcRoot = fallbacks;
      warnMisspelledContainer(lxcSrc, fallbacks, reporter);
      // From the document, not zod's copy: an entry keyed "__proto__" is then
      // refused as a CTID like any other bad key, instead of vanishing.
      const entries = ownMember(lxcSrc.value, 'lxc_configs') ?? parsedEntries;
      lxcGuests(entries, fallbacks, lxcSrc, reporter, set);
    }
  }
  let vmDefaults: Obj = {};
  if (vmSrc !== undefined) {
    const root = parseFile(vmSrc, vmRootSchema, reporter);
    if (root !== undefined) {
      vmDefaults = root.vm_defaults;
      vmGuests(root.vms, vmDefaults, vmSrc, reporter, set);
    }
  }

  const placed = markTemplates(set.placed);
  const byId = new Map<number, PlacedGuest[]>();
  for (const p of placed) byId.set(p.guest.id, [...(byId.get(p.guest.id) ?? []), p]);
  for (const group of byId.values()) if (group.length > 1) group.sort(compareDeclared);
  const stackDefs = stacksSrc === undefined ? [] : stackEntries(stacksSrc, stacksParsed, reporter);
  const stackInfo = new Map<string, StackInfo>(
    stackDefs.map(([name, s]) => [name, { environments: Object.keys(s.environments) }]),
  );
  await runChecks({
    placed,
    byId,
    broken: set.broken,
    catalog,
    stacks: stackInfo,
    featuresDisplay: display(featuresDir),
    featuresDir,
    reporter,
  });

  const diagnostics = reporter.sorted();
  if (reporter.hasErrors) return { project: undefined, diagnostics, sources };

  const guests = new Map<GuestId, Guest>();
  for (const p of placed) guests.set(p.guest.id, p.guest);
  const stacks = new Map<string, Stack>();
  if (stacksSrc !== undefined) {
    for (const [name, config] of stackDefs) {
      stacks.set(name, {
        name,
        config,
        source: { file: stacksSrc.display, pointer: pointerJoin('/docker_stacks', name) },
      });
    }
  }
  const project: Project = {
    configDir,
    featuresDir,
    files: paths,
    host,
    lxcRoot,
    vmDefaults,
    guests,
    stacks,
    features: catalog.features,
    apps: catalog.appManifests,
  };
  return { project, diagnostics, sources };
}

function parseFile<S extends z.ZodType>(
  file: SourceFile | undefined,
  schema: S,
  reporter: Reporter,
): z.output<S> | undefined {
  if (file === undefined) return undefined;
  if (file.syntaxErrors.length > 0) {
    reporter.syntax(file);
    return undefined;
  }
  return applySchema(schema, file.value, file, reporter);
}

/**
 * An object member of a parsed document, read as an own property only (a
 * key like "constructor" must not find Object.prototype's).
 */
function ownMember(doc: unknown, key: string): Obj | undefined {
  if (doc === null || typeof doc !== 'object' || !Object.hasOwn(doc, key)) return undefined;
  const v = (doc as Obj)[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/**
 * Every stack of the stacks file, in file order. zod builds a record by
 * assignment, which drops a member named "__proto__" (it sets the
 * prototype instead), so names come from the document and a stack zod left
 * out is parsed on its own: such a name is plain data like any other.
 */
function stackEntries(
  file: SourceFile,
  parsed: StacksFile | undefined,
  reporter: Reporter,
): [string, StackDefinition][] {
  if (parsed === undefined) return [];
  const raw = ownMember(file.value, 'docker_stacks') ?? {};
  const out: [string, StackDefinition][] = [];
  for (const name of Object.keys(raw)) {
    const def = Object.hasOwn(parsed.docker_stacks, name)
      ? parsed.docker_stacks[name]
      : applySchema(stackDefinition, raw[name], file, reporter, ['docker_stacks', name]);
    if (def !== undefined) out.push([name, def]);
  }
  return out;
}

/**
 * Every other root key of the LXC file is a legal fallback, so a misspelt
 * `lxc_configs` would silently mean "no containers": say so.
 */
function warnMisspelledContainer(file: SourceFile, fallbacks: Obj, reporter: Reporter): void {
  for (const key of Object.keys(fallbacks)) {
    if (leven(key.toLowerCase(), 'lxc_configs') <= 2) {
      reporter.at(file, {
        severity: 'warning',
        code: 'unknown-key',
        pointer: pointerJoin('', key),
        message: `unknown key "${key}" (did you mean "lxc_configs"?)`,
        atKey: true,
      });
    }
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
