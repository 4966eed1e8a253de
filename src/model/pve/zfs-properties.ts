// The dataset properties `zfs set` accepts (zfsprops(7), the settable
// native ones) and the user-property form (`module:name`): validation
// refuses a misspelt one before anything reaches a host, and the sim
// refuses it as zfs does.
import { didYouMean } from '../suggest.ts';

export const zfsNativeProperties: ReadonlySet<string> = new Set([
  'aclinherit',
  'aclmode',
  'acltype',
  'atime',
  'canmount',
  'checksum',
  'compression',
  'copies',
  'dedup',
  'devices',
  'dnodesize',
  'exec',
  'logbias',
  'mountpoint',
  'primarycache',
  'quota',
  'readonly',
  'recordsize',
  'redundant_metadata',
  'refquota',
  'refreservation',
  'relatime',
  'reservation',
  'secondarycache',
  'setuid',
  'sharenfs',
  'sharesmb',
  'snapdir',
  'special_small_blocks',
  'sync',
  'volsize',
  'xattr',
]);

/** Where phx lists the properties it set on a dataset: not the config's to declare. */
export const zfsManagedProperty = 'phx:managed';

const userProperty = /^[a-z0-9_.-]+:[a-z0-9_.:-]+$/;

/** Why zfs refuses to set `name` on a dataset, or undefined when it accepts it. */
export function zfsPropertyProblem(name: string): string | undefined {
  if (zfsNativeProperties.has(name) || userProperty.test(name)) return undefined;
  return `invalid property '${name}'${didYouMean(name, zfsNativeProperties)}`;
}
