// The built-in rules, one per target kind. A rule's digest covers its module
// and every module of phx it imports (src/engine/rule-digests.ts), so shared
// steps (guest-ops.ts, stage.ts) need no list here.
import type { RuleRegistry } from './rule.ts';
import { rule as create } from './create.ts';
import { rule as clone } from './clone.ts';
import { rule as settings } from './settings.ts';
import { rule as feature } from './feature.ts';
import { rule as app } from './app.ts';
import { rule as check } from './check.ts';
import { rule as snapshot } from './snapshot.ts';
import { rule as firewall } from './firewall.ts';
import { rule as image } from './image.ts';
import { rule as zfsPool } from './zfs-pool.ts';
import { rule as zfsDataset } from './zfs-dataset.ts';
import { rule as storage } from './storage.ts';
import { rule as subid } from './subid.ts';
import { rule as bindFolder } from './bind-folder.ts';
import { rule as apparmorProfile } from './apparmor-profile.ts';
import { hostServiceRules } from './host-services.ts';
import { rule as nvidiaDriver } from './nvidia-driver.ts';
import { rule as dns } from './dns.ts';
import { rule as caTrust } from './ca-trust.ts';
import { rule as generated } from './generated.ts';

/** Typed over every kind: leaving one out, or filing a rule under another kind, does not compile. */
export const rules: RuleRegistry = {
  create,
  clone,
  settings,
  feature,
  app,
  check,
  snapshot,
  firewall,
  image,
  'zfs-pool': zfsPool,
  'zfs-dataset': zfsDataset,
  storage,
  subid,
  'bind-folder': bindFolder,
  'apparmor-profile': apparmorProfile,
  ...hostServiceRules,
  'nvidia-driver': nvidiaDriver,
  dns,
  'ca-trust': caTrust,
  generated,
};
