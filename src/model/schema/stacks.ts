// `phoenix_stacks_config.json` (phoenix-real.md §1.4): stack name → compose
// file and environments.
import { z } from 'zod';
import { firewallRule } from './common.ts';

export const stackEnvironment = z.strictObject({
  variables: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).default([]),
  files: z
    .array(
      z.strictObject({ source: z.string().min(1), destination_in_container: z.string().min(1) }),
    )
    .default([]),
  services: z
    .record(z.string(), z.looseObject({ traefik_labels: z.array(z.string()).optional() }))
    .default({}),
  firewall_rules: z.array(firewallRule).optional(),
});

export const stackDefinition = z.strictObject({
  description: z.string().optional(),
  compose_file_path: z.string().min(1).optional(),
  environments: z.record(z.string(), stackEnvironment).default({}),
});

export const stacksFile = z.strictObject({
  $schema: z.string().optional(),
  docker_stacks: z.record(z.string(), stackDefinition).default({}),
});

export type StacksFile = z.output<typeof stacksFile>;
