// The normalised Phoenix model every later stage reads. The zod schemas in
// src/model/schema/ are the single source of truth for what is accepted from
// the files; this module names the shapes the rest of phx consumes, so the
// engine never sees string numbers, "0, 1" GPU lists or two stack shapes.

import type { GuestId, GuestKind } from '../core/ids.ts';

/** Where a value came from, so any later stage can point into the user's file. */
export interface SourceRef {
  /** Path as shown to the user (relative to the cwd where possible). */
  readonly file: string;
  /** JSON pointer of the value inside that file, e.g. `/lxc_configs/950/memory_mb`. */
  readonly pointer: string;
}

/** A feature reference as written in an entry: a name, or `{name, params}` (phx's extension). */
export interface FeatureRef {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly source: SourceRef;
}

/** A guest firewall rule as schema/firewall.ts accepts it; each field has its .fw syntax. */
export interface FirewallRule {
  readonly type: 'in' | 'out';
  readonly action: string;
  readonly macro?: string;
  readonly source?: string;
  readonly dest?: string;
  readonly proto?: string;
  /** Phoenix's name for `dport`; the schema allows one of the two. */
  readonly port?: string;
  readonly dport?: string;
  readonly sport?: string;
  readonly iface?: string;
  readonly log?: string;
  /** false: written disabled (`|IN …`). */
  readonly enable?: boolean;
  readonly comment?: string;
}

/** The guest's `[OPTIONS]` the config sets; absent ones are left to pve-firewall. */
export interface FirewallOptions {
  readonly policy_in?: string;
  readonly policy_out?: string;
  readonly log_level_in?: string;
  readonly log_level_out?: string;
  readonly macfilter?: boolean;
  readonly ipfilter?: boolean;
  readonly dhcp?: boolean;
  readonly ndp?: boolean;
  readonly radv?: boolean;
}

export interface Firewall extends FirewallOptions {
  readonly enabled: boolean;
  readonly rules: readonly FirewallRule[];
}

export interface StackRef {
  readonly name: string;
  /** `production` when the entry gave a bare name. */
  readonly environment: string;
}

/**
 * One guest (container or VM), normalised. `config` is the entry exactly as
 * declared (after string-number coercion), with the LXC file's root keys
 * merged in as fallbacks: it is what features read through PHX_ENTRY and what
 * manifests' `reads` pointers address.
 */
export interface Guest {
  readonly kind: GuestKind;
  readonly id: GuestId;
  readonly name: string;
  /** Clone source (clone_from_ctid / clone_from_vmid), if any. */
  readonly cloneFrom?: GuestId;
  /** Base image: LXC `template` (ostemplate path) or VM `template_image`. */
  readonly template?: string;
  readonly isTemplate: boolean;
  readonly templateSnapshotName?: string;
  readonly enableLifecycleSnapshots: boolean;
  readonly storagePool?: string;
  readonly storageSizeGb?: number;
  readonly unprivileged: boolean;
  readonly memoryMb?: number;
  readonly cores?: number;
  readonly swapMb?: number;
  readonly startAtBoot: boolean;
  readonly bootOrder?: number;
  readonly bootDelay?: number;
  /** GPU indices, parsed from `"none"`, `"0"`, `"0,1"`, `"0, 1"`. */
  readonly gpus: readonly number[];
  readonly features: readonly FeatureRef[];
  readonly applicationScript?: string;
  /** Start-order dependencies only; never build edges. */
  readonly dependencies: readonly GuestId[];
  readonly firewall?: Firewall;
  readonly dockerStacks: readonly StackRef[];
  /** The declared entry, root fallbacks merged, values normalised. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Pointer of the entry itself, e.g. `/lxc_configs/950` or `/vms/1`. */
  readonly source: SourceRef;
}

/** `feature.json`, defaults applied (DESIGN §1). */
export interface FeatureManifest {
  readonly name: string;
  readonly description?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly reads: readonly string[];
  readonly requires: readonly string[];
  readonly consumes: readonly string[];
  readonly gpu: boolean;
  readonly targets: readonly GuestKind[];
  /** Absolute folder of the feature. */
  readonly dir: string;
}

/**
 * `features/apps/<script>.json`, defaults applied: what an application script
 * reads from its entry beyond `vllm_engine_config`, what it consumes, and
 * whether it holds the entry's GPUs (DESIGN §2 "any key the script's manifest reads").
 */
export interface AppManifest {
  readonly script: string;
  readonly description?: string;
  readonly reads: readonly string[];
  readonly consumes: readonly string[];
  readonly gpu: boolean;
}

export interface Stack {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly source: SourceRef;
}

/** Everything phx knows about one project after loading and validation. */
export interface Project {
  readonly configDir: string;
  readonly featuresDir: string;
  /** Absolute paths of the four files (whether or not they exist). */
  readonly files: {
    readonly hypervisor: string;
    readonly lxc: string;
    readonly vm: string;
    readonly stacks: string;
  };
  readonly host: Readonly<Record<string, unknown>>;
  /** Root keys of the LXC file other than `lxc_configs` and `$schema`. */
  readonly lxcRoot: Readonly<Record<string, unknown>>;
  readonly vmDefaults: Readonly<Record<string, unknown>>;
  readonly guests: ReadonlyMap<GuestId, Guest>;
  readonly stacks: ReadonlyMap<string, Stack>;
  /** Every feature folder found under featuresDir (name → manifest). */
  readonly features: ReadonlyMap<string, FeatureManifest>;
  /** Manifests of application scripts that have one (script file name → manifest). */
  readonly apps: ReadonlyMap<string, AppManifest>;
}
