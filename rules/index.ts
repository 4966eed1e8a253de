// The built-in rules, one per target kind. A rule's digest covers its module
// and every module of phx it imports (src/engine/rule-digests.ts), so shared
// steps (guest-ops.ts, stage.ts) need no list here.
import type { Rule } from '../src/engine/rule.ts';
import type { TargetKind } from '../src/core/target-id.ts';
import { rule as create } from './create.ts';
import { rule as clone } from './clone.ts';
import { rule as settings } from './settings.ts';
import { rule as feature } from './feature.ts';
import { rule as app } from './app.ts';
import { rule as check } from './check.ts';
import { rule as snapshot } from './snapshot.ts';
import { rule as firewall } from './firewall.ts';

export const rules: ReadonlyMap<TargetKind, Rule> = new Map(
  [create, clone, settings, feature, app, check, snapshot, firewall].map((r) => [r.kind, r]),
);

/** Kinds whose output is a layer snapshot `phx-<fp>` taken after they run. */
export const layerKinds: ReadonlySet<TargetKind> = new Set(['create', 'clone', 'feature', 'app']);
