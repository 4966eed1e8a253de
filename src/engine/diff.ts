// Which inputs differ between a recorded fingerprint and the current one,
// named as a user would look for them: `config:/lxc_configs/950/memory_mb`,
// `file:features/vllm/install.sh`, `rule:feature`, `backend`.
import type { FingerprintData } from './fingerprint.ts';
import type { Reason } from './reason.ts';
import { canonicalJson } from './canonical.ts';
import { display } from './secrets.ts';

type Changed = Extract<Reason, { kind: 'input-changed' }>;

export function diffFingerprints(oldJson: string, now: FingerprintData): Changed[] {
  // A record written by an older phx (or rebuilt from a snapshot) may lack fields.
  let old: Partial<FingerprintData>;
  try {
    old = JSON.parse(oldJson) as Partial<FingerprintData>;
  } catch {
    return [{ kind: 'input-changed', input: 'fingerprint' }];
  }
  const out: Changed[] = [];
  if (old.rule?.digest !== now.rule.digest)
    out.push({ kind: 'input-changed', input: `rule:${now.rule.kind}` });
  if (old.backend !== now.backend) {
    out.push({ kind: 'input-changed', input: 'backend', old: old.backend, new: now.backend });
  }
  for (const key of union(old.config ?? {}, now.config)) {
    const a = old.config?.[key];
    const b = now.config[key];
    if (canonicalJson(a) !== canonicalJson(b)) {
      out.push({
        kind: 'input-changed',
        input: `config:${key}`,
        old: display(a ?? null),
        new: display(b ?? null),
      });
    }
  }
  for (const key of union(old.files ?? {}, now.files)) {
    if (old.files?.[key] !== now.files[key]) {
      const what =
        old.files?.[key] === undefined
          ? ' (added)'
          : now.files[key] === undefined
            ? ' (removed)'
            : '';
      out.push({ kind: 'input-changed', input: `file:${key}${what}` });
    }
  }
  // Upstream fingerprints differ whenever an upstream target rebuilds; the
  // plan reports those as `upstream` reasons, walked back by explain.
  for (const key of union(old.upstream ?? {}, now.upstream)) {
    if (old.upstream?.[key] === undefined || now.upstream[key] === undefined) {
      out.push({ kind: 'input-changed', input: `upstream:${key}` });
    }
  }
  return out;
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
