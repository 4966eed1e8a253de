// The built-in rules, one per target kind.
import type { Rule } from '../src/engine/rule.ts';
import type { TargetKind } from '../src/engine/target-id.ts';
import { rule as create } from './create.ts';
import { rule as clone } from './clone.ts';
import { rule as settings } from './settings.ts';
import { rule as feature } from './feature.ts';
import { rule as app } from './app.ts';
import { rule as check } from './check.ts';
import { rule as snapshot } from './snapshot.ts';
import { rule as firewall } from './firewall.ts';
import { guestOpsSource } from './guest-ops.ts';
import { stageSource } from './stage.ts';

export const rules: ReadonlyMap<TargetKind, Rule> = new Map(
  [create, clone, settings, feature, app, check, snapshot, firewall].map((r) => [r.kind, r]),
);

/** Kinds whose output is a layer snapshot `phx-<fp>` taken after they run. */
export const layerKinds: ReadonlySet<TargetKind> = new Set(['create', 'clone', 'feature', 'app']);

/** Modules shared by the rules: a change to one rebuilds what every rule built. */
export const sharedRuleSources: readonly string[] = [guestOpsSource, stageSource];
