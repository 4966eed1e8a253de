// Building blocks shared by the four file schemas: the forms the real Phoenix
// files use for numbers, GPU lists, features and stacks, each normalised here
// once so no later stage sees two spellings of one value.
import { z } from 'zod';

const intMessage = 'expected an integer (a number or a string of digits)';

/** An integer written as a number or as a string of digits (`"clone_from_ctid": "900"`). */
export function intLike(min = 0) {
  return z
    .union([z.int(), z.string().regex(/^[0-9]+$/, { error: intMessage })], { error: intMessage })
    .transform((v) => Number(v))
    .check((ctx) => {
      if (ctx.value < min) {
        ctx.issues.push({ code: 'custom', message: `must be at least ${min}`, input: ctx.value });
      }
    });
}

/** A CTID or VMID as the files write it; range and existence are cross-reference checks. */
export const guestIdLike = intLike();

const gpuPattern = /^\s*(none|[0-9]+(\s*,\s*[0-9]+)*)\s*$/;

/** `"none"`, `"0"`, `"0,1"`, `"0, 1"` (or a bare number) → GPU indices. */
export const gpuList = z
  .union([z.int().nonnegative(), z.string()], {
    error: 'expected "none" or GPU indices like "0,1"',
  })
  .transform((v, ctx): number[] => {
    if (typeof v === 'number') return [v];
    if (!gpuPattern.test(v)) {
      ctx.issues.push({
        code: 'custom',
        message: `malformed gpu_assignment "${v}": expected "none" or GPU indices like "0,1"`,
        input: v,
        params: { phx: 'bad-gpu' },
      });
      return [];
    }
    if (v.trim() === 'none') return [];
    return v.split(',').map((s) => Number(s.trim()));
  });

/** A feature as an entry lists it: a name, or `{name, params}` (phx's extension). */
export const featureItem = z
  .union(
    [
      z.string().min(1),
      z.strictObject({
        name: z.string().min(1),
        params: z.record(z.string(), z.unknown()).optional(),
      }),
    ],
    {
      error: 'expected a feature name or { "name": …, "params": {…} }',
    },
  )
  .transform((v) =>
    typeof v === 'string' ? { name: v, params: {} } : { name: v.name, params: v.params ?? {} },
  );

/** A docker stack as a VM lists it: a name (environment `production`) or `{name, environment}`. */
export const stackItem = z
  .union(
    [
      z.string().min(1),
      z.strictObject({ name: z.string().min(1), environment: z.string().min(1).optional() }),
    ],
    {
      error: 'expected a stack name or { "name": …, "environment": … }',
    },
  )
  .transform((v) =>
    typeof v === 'string'
      ? { name: v, environment: 'production' }
      : { name: v.name, environment: v.environment ?? 'production' },
  );

/** A port or port list: Phoenix writes `"80,443"`; a bare number is accepted too. */
const portLike = z.union([z.string(), z.int()]).transform((v) => String(v));

export const firewallRule = z.strictObject({
  type: z.enum(['in', 'out']),
  action: z.string().min(1),
  source: z.string().optional(),
  dest: z.string().optional(),
  proto: z.string().optional(),
  port: portLike.optional(),
  dport: portLike.optional(),
  sport: portLike.optional(),
  macro: z.string().optional(),
  iface: z.string().optional(),
  log: z.string().optional(),
  enable: z.union([z.boolean(), z.int()]).optional(),
  comment: z.string().optional(),
});

/** A guest's firewall: every field reaches its .fw file (firewall.ts). */
export { guestFirewall as firewall } from './firewall.ts';

export const traefikService = z.strictObject({
  name: z.string().min(1),
  port: intLike(1),
});

/** `tests`: suite → scripts (801); executed by the `check` target. */
export const testSuites = z.record(
  z.string(),
  z.array(z.strictObject({ name: z.string(), type: z.string(), path: z.string() })),
);

export const healthCheck = z.strictObject({
  command: z.string().min(1),
  retries: intLike().optional(),
  interval: intLike().optional(),
});

export const dependencies = z.array(guestIdLike);
