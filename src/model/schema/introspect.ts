// Reads the key sets back out of the zod schemas, so "did you mean" offers
// exactly the keys the schema accepts at that place: the schemas stay the
// single source of truth for what a key may be called.
import type { z } from 'zod';

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips wrappers that do not change the shape (optional, default, transforms). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = def(s);
    if (d.innerType !== undefined) s = d.innerType;
    else if (d.type === 'pipe' && d.in !== undefined) s = d.in;
    else return s;
  }
}

function step(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  const s = unwrap(schema);
  const d = def(s);
  switch (d.type) {
    case 'object':
      return d.shape?.[String(segment)];
    case 'record':
      return d.valueType;
    case 'array':
      return d.element;
    case 'union':
      for (const option of d.options ?? []) {
        const next = step(option, segment);
        if (next !== undefined) return next;
      }
      return undefined;
    default:
      return undefined;
  }
}

function objectKeys(schema: z.ZodType): string[] {
  const s = unwrap(schema);
  const d = def(s);
  if (d.type === 'object') return Object.keys(d.shape ?? {});
  if (d.type === 'union') return (d.options ?? []).flatMap(objectKeys);
  return [];
}

/** The keys the object schema at `path` accepts ([] when the path leaves the schema). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const segment of path) {
    s = step(s, segment);
    if (s === undefined) return [];
  }
  return objectKeys(s);
}
