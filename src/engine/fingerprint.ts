// A fingerprint is documented data, not a bag of hashes: each field below
// says why it is an input. Its canonical JSON is kept beside the hash so
// `phx explain` can name exactly what changed.
import { roleRelative, type FileRoot } from './file-roots.ts';
import { canonicalJson } from './canonical.ts';
import { hashString, type Fingerprint } from '../core/hash.ts';
import { redact, type SecretDigest } from './secrets.ts';
import type { TargetKind } from '../core/target-id.ts';
import { ENGINE_FORMAT } from './fingerprint-format.ts';

export interface FingerprintData {
  /** The engine's format (fingerprint-format.ts): a phx that builds differently rebuilds everything once. */
  readonly engineFormat: number;
  /** The rule that builds the target and its source digest: editing a rule rebuilds what it built. */
  readonly rule: { readonly kind: TargetKind; readonly digest: string };
  /** The declared config slice (file pointer → value), secrets redacted to a digest. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Input files → xxhash64 of their bytes, keyed relative to the root of their
   * role (`features/vllm/install.sh`), never the working directory: the same
   * inputs at another path, or a features folder kept elsewhere, give the
   * same fingerprint.
   */
  readonly files: Readonly<Record<string, string>>;
  /** Targets consumed through invalidating edges (layer, clone, artifact) → their fingerprints. */
  readonly upstream: Readonly<Record<string, string>>;
  /** Backend kind: an output built on the sim is not an output on Proxmox. */
  readonly backend: string;
}

export interface ComputedFingerprint {
  readonly fingerprint: Fingerprint;
  readonly data: FingerprintData;
  /** Canonical JSON of `data`: what is hashed and what the cache keeps. */
  readonly json: string;
}

export function computeFingerprint(input: {
  kind: TargetKind;
  ruleDigest: string;
  config: Readonly<Record<string, unknown>>;
  files: ReadonlyMap<string, string>;
  upstream: ReadonlyMap<string, string>;
  backend: string;
  roots: readonly FileRoot[];
  /** Keyed digests of resolved secret values (secrets.ts). */
  secrets: SecretDigest;
}): ComputedFingerprint {
  const files: Record<string, string> = {};
  for (const [path, digest] of input.files) files[roleRelative(input.roots, path)] = digest;
  const data: FingerprintData = {
    engineFormat: ENGINE_FORMAT,
    rule: { kind: input.kind, digest: input.ruleDigest },
    config: redact(input.config, input.secrets) as Record<string, unknown>,
    files,
    upstream: Object.fromEntries(input.upstream),
    backend: input.backend,
  };
  const json = canonicalJson(data);
  return { fingerprint: hashString(json) as Fingerprint, data, json };
}
