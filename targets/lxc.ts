// How one container entry expands into targets (DESIGN §2):
//   create|clone → feature… → app → snapshot/<template_snapshot_name>
// plus settings (apply edges), check and firewall beside the chain. A VM's
// chain is the same with its own keys (targets/vm.ts adds its image).
import { join } from 'node:path';
import type { Guest, Project } from '../src/model/model.ts';
import type {
  AppTarget,
  CloneTarget,
  CreateTarget,
  Edge,
  FeatureTarget,
  SettingsTarget,
  Target,
} from './target.ts';
import { guestTargetId, type TargetId, type TargetKind } from '../src/core/target-id.ts';
import { configSlice, keyPointers } from './pointers.ts';
import { checkKeys, firewallKeys, lxcKeys, snapshotKeys, type GuestKeys } from './keys.ts';
import { appFiles, featureInputs } from './files.ts';

export interface GuestTargets {
  readonly targets: Target[];
  /** The target clones of this guest read: its template snapshot, else its last layer. */
  readonly cloneOutput: TargetId;
}

/** Targets of one container. `sourceOutput` is the clone source's clone-output target. */
export function expandLxc(
  project: Project,
  guest: Guest,
  sourceOutput: TargetId | undefined,
): Promise<GuestTargets> {
  return expandChain(project, guest, sourceOutput, lxcKeys);
}

/** The layer chain and the targets beside it of a guest of either kind, read through `keys`. */
export async function expandChain(
  project: Project,
  guest: Guest,
  sourceOutput: TargetId | undefined,
  keys: GuestKeys,
): Promise<GuestTargets> {
  const id = (kind: TargetKind, name?: string) => guestTargetId(guest.kind, guest.id, kind, name);
  const entry = String(guest.id);
  const own = `guest:${guest.id}`;
  const slice = (keys: readonly string[], extra: readonly string[] = []) =>
    configSlice(guest, project.lxcRoot, [...keyPointers(keys), ...extra]);
  const targets: Target[] = [];

  // Layer 0: a fresh container from the template, or a full clone of the source.
  const base: CreateTarget | CloneTarget =
    guest.cloneFrom !== undefined && sourceOutput !== undefined
      ? {
          id: id('clone'),
          entry,
          kind: 'clone',
          guest,
          config: slice(keys.clone),
          files: [],
          deps: [{ from: sourceOutput, to: id('clone'), kind: 'clone' }],
          // Proxmox locks the source while cloning from it.
          pools: [own, `guest:${guest.cloneFrom}`],
          layer: 0,
          cloneSource: project.guests.get(guest.cloneFrom)!,
        }
      : {
          id: id('create'),
          entry,
          kind: 'create',
          guest,
          config: slice(keys.create),
          files: [],
          deps: [],
          pools: [own],
          layer: 0,
        };
  targets.push(base);

  const settings: SettingsTarget = {
    id: id('settings'),
    entry,
    kind: 'settings',
    guest,
    config: slice(keys.settings, keys.settingsPointers),
    files: [],
    deps: [{ from: base.id, to: id('settings'), kind: 'apply' }],
    pools: [own],
  };
  targets.push(settings);

  /** The chain's last layer so far. */
  let previous: CreateTarget | CloneTarget | FeatureTarget | AppTarget = base;
  const link = (next: TargetId): Edge[] => {
    const edges: Edge[] = [{ from: previous.id, to: next, kind: 'layer' }];
    // Settings must be in place before the first step that runs in the guest.
    if (previous === base) edges.push({ from: settings.id, to: next, kind: 'apply' });
    return edges;
  };

  for (const [index, ref] of guest.features.entries()) {
    const manifest = project.features.get(ref.name);
    if (!manifest) continue; // validation reports unknown features before any build
    const tid = id('feature', ref.name);
    const deps = link(tid);
    for (const consumed of manifest.consumes) {
      deps.push({ from: consumed as TargetId, to: tid, kind: 'artifact' });
    }
    const feature: FeatureTarget = {
      id: tid,
      entry,
      kind: 'feature',
      guest,
      config: {
        ...configSlice(guest, project.lxcRoot, [`/features/${index}`]),
        ...configSlice(guest, project.lxcRoot, manifest.reads),
      },
      files: await featureInputs(project.featuresDir, manifest.dir),
      deps,
      pools: manifest.gpu ? [own, ...guest.gpus.map((g) => `gpu:${g}`)] : [own],
      layer: index + 1,
      feature: { ref, manifest },
    };
    targets.push(feature);
    previous = feature;
  }

  if (guest.applicationScript !== undefined) {
    const tid = id('app');
    const appsDir = join(project.featuresDir, 'apps');
    const manifest = project.apps.get(guest.applicationScript);
    const deps = link(tid);
    for (const consumed of manifest?.consumes ?? []) {
      deps.push({ from: consumed as TargetId, to: tid, kind: 'artifact' });
    }
    const app: AppTarget = {
      id: tid,
      entry,
      kind: 'app',
      guest,
      config: { ...slice(keys.app), ...configSlice(guest, project.lxcRoot, manifest?.reads ?? []) },
      files: [
        ...(await appFiles(project.featuresDir, appsDir, guest.applicationScript)),
        ...(manifest ? [join(appsDir, `${guest.applicationScript}.json`)] : []),
      ],
      deps,
      pools: manifest?.gpu ? [own, ...guest.gpus.map((g) => `gpu:${g}`)] : [own],
      layer: guest.features.length + 1,
      pushDir: appsDir,
      script: guest.applicationScript,
    };
    targets.push(app);
    previous = app;
  }
  const lastLayer = previous;

  if (guest.config['health_check'] !== undefined) {
    targets.push({
      id: id('check'),
      entry,
      kind: 'check',
      guest,
      config: slice(checkKeys),
      files: [],
      deps: [
        { from: lastLayer.id, to: id('check'), kind: 'layer' },
        { from: settings.id, to: id('check'), kind: 'apply' },
      ],
      pools: [own],
    });
  }

  let cloneOutput: TargetId = lastLayer.id;
  if (guest.templateSnapshotName !== undefined) {
    const tid = id('snapshot', guest.templateSnapshotName);
    targets.push({
      id: tid,
      entry,
      kind: 'snapshot',
      guest,
      config: slice(snapshotKeys),
      files: [],
      deps: [{ from: lastLayer.id, to: tid, kind: 'layer' }],
      pools: [own],
      snapshotName: guest.templateSnapshotName,
    });
    cloneOutput = tid;
  }

  if (guest.firewall !== undefined) {
    targets.push({
      id: id('firewall'),
      entry,
      kind: 'firewall',
      guest,
      config: slice(firewallKeys),
      files: [],
      deps: [{ from: base.id, to: id('firewall'), kind: 'apply' }],
      pools: [own],
    });
  }
  return { targets, cloneOutput };
}
