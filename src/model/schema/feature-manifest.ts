// `features/NAME/feature.json` (DESIGN §1): every key optional, defaults here.
import { z } from 'zod';

const kind = z.enum(['lxc', 'vm']);

export const featureManifestFile = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** A JSON Schema (draft-07 or 2020-12) of the params; compiled only when an entry gives params. */
  params: z.record(z.string(), z.unknown()).optional(),
  reads: z
    .array(
      z.string().regex(/^(\/([^~]|~[01])*)+$/, {
        error: 'expected a JSON pointer like "/network_config/ip"',
      }),
    )
    .default([]),
  requires: z.array(z.string().min(1)).default([]),
  consumes: z
    .array(
      z.string().regex(/^(lxc|vm)\/[0-9]+\/[a-z]+(\/.+)?$|^stack\/.+$|^host\/.+$/, {
        error: 'expected a target id like "lxc/103/app"',
      }),
    )
    .default([]),
  gpu: z.boolean().default(false),
  targets: z
    .union([kind, z.array(kind).min(1)], { error: 'expected "lxc", "vm" or ["lxc", "vm"]' })
    .default(['lxc', 'vm'])
    .transform((v) => (typeof v === 'string' ? [v] : [...new Set(v)])),
});

export type FeatureManifestFile = z.output<typeof featureManifestFile>;

/** `features/apps/<script>.json`: an application script's manifest, every key optional. */
export const appManifestFile = featureManifestFile.pick({
  $schema: true,
  description: true,
  reads: true,
  consumes: true,
  gpu: true,
});
