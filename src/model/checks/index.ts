// Every cross-reference check, run in full so the user sees all problems at
// once (the reporter sorts them by file and position afterwards).
import { checkApps } from './apps.ts';
import { checkClones } from './clones.ts';
import { checkCommands } from './commands.ts';
import { checkContainment } from './containment.ts';
import type { CheckContext } from './context.ts';
import { checkDependencies } from './dependencies.ts';
import { checkFeatures } from './features.ts';
import { checkIds } from './ids.ts';
import { checkNames } from './names.ts';
import { checkNetwork } from './network.ts';
import { checkParams } from './params.ts';
import { checkPveValues } from './pve-values.ts';
import { checkSecretRefs } from './secret-refs.ts';
import { checkStacks } from './stacks.ts';
import { checkVmBases } from './vm-base.ts';

export async function runChecks(ctx: CheckContext): Promise<void> {
  checkIds(ctx);
  checkNames(ctx);
  checkNetwork(ctx);
  checkPveValues(ctx);
  checkCommands(ctx);
  checkClones(ctx);
  checkVmBases(ctx);
  checkDependencies(ctx);
  checkFeatures(ctx);
  checkApps(ctx);
  checkStacks(ctx);
  checkSecretRefs(ctx);
  checkContainment(ctx);
  await checkParams(ctx);
}
