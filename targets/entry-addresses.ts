// What the files generated from every entry read of each one: its name, its
// address (`network_config.ip` without the prefix length; none for dhcp) and
// its `traefik_service`. One list, in entry order, shared by the DNS records,
// the Traefik routes and the nginx gateway; and the config slice naming
// exactly those values, so the file's target is rebuilt when one changes and
// explain can say which entry's key it was.
import type { Guest, Project } from '../src/model/model.ts';
import { configSlice, valueAt } from './pointers.ts';

export interface EntryService {
  readonly name: string;
  readonly port: number;
}

export interface EntryAddress {
  readonly guest: Guest;
  /** Its `name`, lower-cased (DNS is case-insensitive; dnsmasq keeps what it is given). */
  readonly name: string;
  /** IPv4 address without `/24`; undefined for dhcp or no address. */
  readonly ip?: string;
  readonly service?: EntryService;
}

/** The entry pointers each generated file reads. */
export const addressPointers = ['/name', '/network_config/ip'] as const;
export const servicePointers = ['/network_config/ip', '/traefik_service'] as const;

const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

function addressOf(guest: Guest): string | undefined {
  const ip = valueAt(guest.config, '/network_config/ip');
  if (typeof ip !== 'string') return undefined;
  const bare = ip.split('/')[0] ?? '';
  return ipv4.test(bare) ? bare : undefined;
}

function serviceOf(guest: Guest): EntryService | undefined {
  const s = guest.config['traefik_service'] as { name?: unknown; port?: unknown } | undefined;
  if (s === undefined || typeof s.name !== 'string') return undefined;
  const port = Number(s.port);
  return Number.isInteger(port) && port > 0 ? { name: s.name, port } : undefined;
}

/** Every entry, containers then VMs, each by id. */
export function entryAddresses(project: Project): EntryAddress[] {
  return [...project.guests.values()]
    .sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'lxc' ? -1 : 1))
    .map((guest) => {
      const ip = addressOf(guest);
      const service = serviceOf(guest);
      return {
        guest,
        name: guest.name.toLowerCase(),
        ...(ip === undefined ? {} : { ip }),
        ...(service === undefined ? {} : { service }),
      };
    });
}

/** The slice of every entry at `pointers`: file pointer → value (null when absent). */
export function entriesSlice(
  project: Project,
  entries: readonly EntryAddress[],
  pointers: readonly string[],
): Record<string, unknown> {
  const slice: Record<string, unknown> = {};
  for (const e of entries) Object.assign(slice, configSlice(e.guest, project.lxcRoot, pointers));
  return slice;
}
