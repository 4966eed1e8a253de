// A declared whole-number setting checked before any backend writes it
// (memory, cores, swap, boot order…): the error names the config key.
export function intSetting(
  v: number | undefined,
  what: string,
  min: number,
  errors: string[],
): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) {
    errors.push(`${what} must be an integer ≥ ${min}, got ${v}`);
    return undefined;
  }
  return v;
}
