// `ca-trust`: the host trusts the root certificate the Step-CA entry's app
// published (`root_ca.crt`, checked against `root_ca.fingerprint` when that
// is published too). Re-run whenever the producer is rebuilt: its
// fingerprint is this target's input through the artifact edge.
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

const hex = (s: string): string => s.replace(/[^0-9a-f]/gi, '').toLowerCase();

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The published root, parsed and checked; undefined when the producer published none. */
export async function publishedRoot(dir: string, producer: string): Promise<string | undefined> {
  const pem = await readOptional(join(dir, 'root_ca.crt'));
  if (pem === undefined) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new OpError({
      type: 'rejected',
      reason: `${producer} published a root_ca.crt that is not a PEM certificate`,
    });
  }
  if (!cert.ca)
    throw new OpError({
      type: 'rejected',
      reason: `${producer} published a root_ca.crt that is not a CA certificate`,
    });
  const want = await readOptional(join(dir, 'root_ca.fingerprint'));
  if (want !== undefined && hex(want) !== hex(cert.fingerprint256))
    throw new OpError({
      type: 'rejected',
      reason: `${producer}'s root_ca.crt has fingerprint ${hex(cert.fingerprint256)}, not the published ${hex(want)}`,
    });
  return pem;
}

export const rule: Rule<'ca-trust'> = {
  kind: 'ca-trust',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const { producer, fileName } = ctx.target;
    const dir = ctx.artifacts.get(producer);
    const pem = dir === undefined ? undefined : await publishedRoot(dir, producer);
    // A producer that published no root (its app did not write one) leaves
    // the host's store as it is: the record then says "trusts what that
    // build published", which was nothing, until the producer is rebuilt.
    if (pem === undefined) {
      ctx.op.log(`${producer} published no root_ca.crt: the host's trust store is left as it is`);
      return '';
    }
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.trustCa({ fileName, pem }, ctx.op);
    ctx.op.log(`the host trusts ${producer}'s root as ${fileName}`);
    return '';
  },
};
