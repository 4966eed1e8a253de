// `pct_options`: items of pct's `features` property string (`nesting=1`,
// `keyctl=1`, `mount=nfs;cifs`), as pve-container's $features_desc declares
// them. phx joins the items with "," into one `--features` value, so each
// item must be exactly one `key=value` with no "," of its own.
import { err, ok, type Result } from '../../core/result.ts';

type FeatureValue = 'boolean' | 'fstypes';

/** pve-container's feature keys and the type of each. */
export const PCT_FEATURES: Readonly<Record<string, FeatureValue>> = {
  nesting: 'boolean',
  keyctl: 'boolean',
  fuse: 'boolean',
  mknod: 'boolean',
  force_rw_sys: 'boolean',
  mount: 'fstypes',
};

/** pve-common's parse_boolean words. */
const BOOLEAN_WORDS = ['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'];

export interface PctFeature {
  readonly key: string;
  readonly value: string;
}

/** One `pct_options` item parsed, or a sentence saying what is wrong with it. */
export function parsePctFeature(item: unknown): Result<PctFeature, string> {
  const shown = JSON.stringify(item);
  const m = typeof item === 'string' ? /^([a-z_]+)=(.*)$/.exec(item) : null;
  if (m === null) return err(`${shown} is not a "feature=value" pair (like nesting=1)`);
  const [key, value] = [m[1] ?? '', m[2] ?? ''];
  if (value.includes(',')) return err(`${shown} holds ",": give one feature per list item`);
  const type = Object.hasOwn(PCT_FEATURES, key) ? PCT_FEATURES[key] : undefined;
  if (type === undefined)
    return err(
      `${shown}: "${key}" is not a container feature (${Object.keys(PCT_FEATURES).join(', ')})`,
    );
  if (type === 'boolean' && !BOOLEAN_WORDS.includes(value.toLowerCase()))
    return err(`${shown}: ${key} takes 1 or 0`);
  // pve-container allows spaces too; phx does not, so the item stays one word.
  if (type === 'fstypes' && !/^[a-zA-Z0-9_;]+$/.test(value))
    return err(`${shown}: mount takes file system types separated by ";" (like nfs;cifs)`);
  return ok({ key, value });
}

/** Every item parsed; a key given twice is a problem (pct refuses a duplicate key). */
export function parsePctFeatures(items: readonly unknown[]): {
  features: PctFeature[];
  problems: { index: number; problem: string }[];
} {
  const features: PctFeature[] = [];
  const problems: { index: number; problem: string }[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    const r = parsePctFeature(item);
    if (!r.ok) {
      problems.push({ index, problem: r.error });
      return;
    }
    const before = seen.get(r.value.key);
    if (before === undefined) {
      seen.set(r.value.key, r.value.value);
      features.push(r.value);
    } else if (before !== r.value.value) {
      problems.push({
        index,
        problem: `${JSON.stringify(item)}: ${r.value.key} is already set to ${before}`,
      });
    }
  });
  return { features, problems };
}
