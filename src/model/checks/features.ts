// Feature references: the feature exists, supports this kind of guest, finds
// what it `requires` in the guest's layer chain (clone ancestors included),
// and what it `consumes` is something this project builds.
import { parseTargetId } from '../../core/target-id.ts';
import type { FeatureManifest, FeatureRef, Guest } from '../model.ts';
import type { PlacedGuest } from '../guests.ts';
import { didYouMean } from '../suggest.ts';
import { cloneAncestors } from './clones.ts';
import type { CheckContext } from './context.ts';
import { defined, find, guestLabel, label, reportAt } from './context.ts';

export function checkFeatures(ctx: CheckContext): void {
  const names = [...ctx.catalog.features.keys()];
  for (const p of ctx.placed) {
    const { guest } = p;
    const ancestors = cloneAncestors(ctx, guest);
    guest.features.forEach((ref, i) => {
      const manifest = ctx.catalog.features.get(ref.name);
      if (manifest === undefined) {
        const where = !ctx.catalog.exists
          ? ` (the features folder ${ctx.featuresDisplay} does not exist)`
          : ctx.catalog.helperDirs.has(ref.name)
            ? ` (${ctx.featuresDisplay}/${ref.name} has no install.sh)`
            : '';
        reportAt(
          ctx,
          p,
          ['features', i],
          'unknown-feature',
          `unknown feature "${ref.name}"${didYouMean(ref.name, names)}${where}`,
        );
        return;
      }
      if (!manifest.targets.includes(guest.kind)) {
        reportAt(
          ctx,
          p,
          ['features', i],
          'feature-target',
          `feature ${ref.name} does not support ${guest.kind === 'lxc' ? 'CTs' : 'VMs'} (its feature.json says targets: ${JSON.stringify(manifest.targets)})`,
        );
      }
      checkRequires(ctx, p, ancestors, manifest, i);
      checkConsumes(ctx, p, ref, manifest, i);
    });
  }
}

function checkRequires(
  ctx: CheckContext,
  p: PlacedGuest,
  ancestors: readonly PlacedGuest[],
  manifest: FeatureManifest,
  index: number,
): void {
  const before = new Set([
    ...ancestors.flatMap((a) => a.guest.features.map((f) => f.name)),
    ...p.guest.features.slice(0, index).map((f) => f.name),
  ]);
  for (const required of manifest.requires) {
    if (before.has(required)) continue;
    const chain =
      ancestors.length === 0
        ? ''
        : ` or its clone sources ${ancestors.map((a) => a.guest.id).join(', ')}`;
    reportAt(
      ctx,
      p,
      ['features', index],
      'feature-requires',
      `feature ${manifest.name} requires ${required}, which is not installed before it in ${guestLabel(p.guest)}${chain}`,
    );
  }
}

function checkConsumes(
  ctx: CheckContext,
  p: PlacedGuest,
  ref: FeatureRef,
  manifest: FeatureManifest,
  index: number,
): void {
  for (const target of manifest.consumes) {
    const problem = consumeProblem(ctx, target);
    if (problem !== undefined) {
      reportAt(
        ctx,
        p,
        ['features', index],
        'feature-consumes',
        `feature ${ref.name} consumes ${target}, but ${problem}`,
      );
    }
  }
}

export function consumeProblem(ctx: CheckContext, target: string): string | undefined {
  const t = parseTargetId(target);
  if (t === undefined) return 'that is not a target id';
  if (t.kind === 'stack')
    return ctx.stacks.has(t.name) ? undefined : `stack ${t.name} is not defined`;
  // A host target: the host's own, always there to consume.
  if (t.guestKind === undefined) return undefined;
  if (!defined(ctx, t.guest, t.guestKind)) return `${label(t.guestKind, t.guest)} is not defined`;
  const producer: Guest | undefined = find(ctx, t.guest, t.guestKind)?.guest;
  if (producer === undefined) return undefined;
  if (t.kind === 'app' && producer.applicationScript === undefined) {
    return `${guestLabel(producer)} has no application_script`;
  }
  if (t.kind === 'feature' && !producer.features.some((f) => f.name === t.name)) {
    return `${guestLabel(producer)} has no feature ${t.name}`;
  }
  return undefined;
}
