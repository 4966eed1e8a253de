// `apparmor-profile`: a profile an entry names in `apparmor_profile`, read
// from `configs/apparmor/<name>` (with the project files it includes),
// written to /etc/apparmor.d/ and loaded with `apparmor_parser -r -W`.
// Reloading replaces the profile of running containers confined by it, so
// an edited profile re-applies this target only and rebuilds no guest.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { profileIncludes } from '../targets/host-guests.ts';

/** Whether the text declares a profile of that name (`profile <name> … {`, or a path-named one). */
function declares(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^\\s*(?:profile\\s+)?"?${escaped}"?\\s+(?:flags=\\([^)]*\\)\\s*)?\\{`,
    'm',
  ).test(text);
}

export const rule: Rule<'apparmor-profile'> = {
  kind: 'apparmor-profile',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const { profile } = ctx.target;
    const [file, ...included] = ctx.target.files;
    const shown = relative(process.cwd(), profile.file) || profile.file;
    if (file === undefined)
      throw new OpError({
        type: 'rejected',
        reason: `AppArmor profile '${profile.name}' is named by an entry but ${shown} does not exist; add the profile there, or use 'unconfined'`,
      });
    const text = await readFile(file, 'utf8');
    if (!declares(text, profile.name))
      throw new OpError({
        type: 'rejected',
        reason: `${shown} does not declare 'profile ${profile.name} {…}': lxc.apparmor.profile names the profile, not the file`,
      });
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const includes = profileIncludes(text).flatMap((rel) => {
      const path = included.find((p) => p.endsWith(`/apparmor/${rel}`));
      return path === undefined ? [] : [{ rel, path }];
    });
    await ops.installProfile(
      {
        name: profile.name,
        text,
        includes: await Promise.all(
          includes.map(async (i) => ({ path: i.rel, text: await readFile(i.path, 'utf8') })),
        ),
      },
      ctx.op,
    );
    return '';
  },
  async present(name, ctx) {
    return ctx.backend.hostOps?.()?.profileLoaded(name, ctx.op);
  },
};
