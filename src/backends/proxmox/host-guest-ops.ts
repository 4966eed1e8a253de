// The proxmox backend's host operations for containers (HostGuestOps):
// subuid/subgid lines and profiles are host-file writes (recorded among the
// target's commands as `write-file`, content not logged), folders and
// profile loads are argv commands; all through the backend's runner (local,
// SSH, or the sim).
import type { OpContext } from '../backend.ts';
import type { RunResult } from '../runner.ts';
import type {
  FolderSpec,
  FolderState,
  HostGuestOps,
  ProfileSpec,
  SubidSpec,
} from '../host-guest-ops.ts';
import { recordWrite } from '../host-write.ts';
import {
  apparmorDir,
  chownArgs,
  grantedRanges,
  loadProfileArgs,
  loadedProfiles,
  loadedProfilesPath,
  mkdirArgs,
  profilePath,
  rangeCovered,
  statOwnerArgs,
  withSubidLine,
} from './host-guest-args.ts';

export interface HostGuestDeps {
  run(argv: string[], ctx: OpContext, tolerate?: (r: RunResult) => boolean): Promise<RunResult>;
  readFile(path: string, ctx: OpContext): Promise<string | undefined>;
  /** A host-file write; a refusal becomes a 'command-failed' naming the file. */
  writeFile(path: string, content: string, ctx: OpContext): Promise<void>;
}

/** stat exits 1 for a missing path; anything else is a failure. */
const missing = (r: RunResult): boolean => r.exitCode === 1;

export function proxmoxHostGuestOps(deps: HostGuestDeps): HostGuestOps {
  return {
    async subidCovered(spec: SubidSpec, ctx: OpContext): Promise<boolean> {
      const text = (await deps.readFile(spec.file, ctx)) ?? '';
      return rangeCovered(grantedRanges(text, spec.user), spec.start, spec.count);
    },

    async addSubid(spec: SubidSpec, ctx: OpContext): Promise<void> {
      // Read again right before the write: lines another tool added since stay.
      const text = (await deps.readFile(spec.file, ctx)) ?? '';
      if (rangeCovered(grantedRanges(text, spec.user), spec.start, spec.count)) return;
      recordWrite(ctx, spec.file);
      await deps.writeFile(spec.file, withSubidLine(text, spec), ctx);
    },

    async folderState(path: string, ctx: OpContext): Promise<FolderState | undefined> {
      const r = await deps.run(statOwnerArgs(path), ctx, missing);
      if (r.exitCode !== 0) return undefined;
      const [uid, gid] = r.stdout.trim().split(':').map(Number);
      return { uid: uid ?? -1, gid: gid ?? -1 };
    },

    async makeFolder(folder: FolderSpec, ctx: OpContext): Promise<void> {
      await deps.run(mkdirArgs(folder.path), ctx);
      await deps.run(chownArgs(folder), ctx);
    },

    async profileLoaded(name: string, ctx: OpContext): Promise<boolean> {
      const text = (await deps.readFile(loadedProfilesPath, ctx)) ?? '';
      return loadedProfiles(text).has(name);
    },

    async installProfile(profile: ProfileSpec, ctx: OpContext): Promise<void> {
      for (const inc of profile.includes) {
        const path = `${apparmorDir}/${inc.path}`;
        recordWrite(ctx, path);
        await deps.writeFile(path, inc.text, ctx);
      }
      recordWrite(ctx, profilePath(profile.name));
      await deps.writeFile(profilePath(profile.name), profile.text, ctx);
      await deps.run(loadProfileArgs(profile.name), ctx);
    },
  };
}
