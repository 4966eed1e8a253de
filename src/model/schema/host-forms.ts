// The forms the real hypervisor config has had over its history, each read
// into one shape here so host targets see one spelling (and a change of form
// alone changes no fingerprint): nameservers as a list or one
// space-separated string, dataset properties as "k=v,k=v", a list of
// "k=v", or an object.
import { z } from 'zod';
import { zfsManagedProperty, zfsPropertyProblem } from '../pve/zfs-properties.ts';

/** What `zfs set` accepts as a property name: native (`recordsize`) or user (`com.example:tag`). */
const propertyName = /^[a-z][a-z0-9_.:-]*$/;

/** `["10.0.0.153", "8.8.8.8"]` or `"10.0.0.153 8.8.8.8"` → the list. */
export const nameserverList = z
  .union([z.array(z.string()), z.string()], {
    error: 'expected a list of addresses or one space-separated string of them',
  })
  .transform((v) => (typeof v === 'string' ? v.split(/\s+/).filter((s) => s !== '') : v));

type IssueSink = { issues: { push(issue: z.core.$ZodRawIssue): void } };

function property(
  name: string,
  value: string,
  path: (string | number)[],
  ctx: IssueSink,
  input: unknown,
): [string, string] | undefined {
  if (!propertyName.test(name)) {
    ctx.issues.push({
      code: 'custom',
      message: `"${name}" is not a ZFS property name (lower-case letters, digits, "_.:-")`,
      input,
      path,
    });
    return undefined;
  }
  const problem =
    name === zfsManagedProperty
      ? `invalid property '${name}': phx keeps its own list of the properties it set there`
      : zfsPropertyProblem(name);
  if (problem !== undefined) {
    ctx.issues.push({ code: 'custom', message: problem, input, path });
    return undefined;
  }
  if (value === '' || /[\n\r\0]/.test(value)) {
    ctx.issues.push({
      code: 'custom',
      message: `property "${name}" needs a one-line, non-empty value`,
      input,
      path,
    });
    return undefined;
  }
  return [name, value];
}

function pair(
  text: string,
  path: (string | number)[],
  ctx: IssueSink,
): [string, string] | undefined {
  const at = text.indexOf('=');
  if (at <= 0) {
    ctx.issues.push({
      code: 'custom',
      message: `"${text}" is not a property: expected "name=value"`,
      input: text,
      path,
    });
    return undefined;
  }
  return property(text.slice(0, at).trim(), text.slice(at + 1).trim(), path, ctx, text);
}

/**
 * `"recordsize=16K,compression=lz4"`, `["recordsize=16K", "compression=lz4"]`
 * or `{"recordsize": "16K", "compression": "lz4"}` → name → value, in the
 * order written (the order `zfs set` applies them).
 */
export const zfsProperties = z
  .union(
    [
      z.string(),
      z.array(z.string()),
      z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    ],
    {
      error:
        'expected "name=value,name=value", a list of "name=value", or an object of name → value',
    },
  )
  .transform((v, ctx): Record<string, string> => {
    const out: [string, string][] = [];
    if (typeof v === 'string') {
      for (const part of v.split(',')) {
        if (part.trim() === '') continue;
        const p = pair(part, [], ctx);
        if (p) out.push(p);
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const p = pair(item, [i], ctx);
        if (p) out.push(p);
      });
    } else {
      for (const [name, value] of Object.entries(v)) {
        const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
        const p = property(name, text, [name], ctx, value);
        if (p) out.push(p);
      }
    }
    return Object.fromEntries(out);
  });
