// Addresses: well formed (they end up in `net0`/`ipconfig0` strings Proxmox
// parses), and no two guests with one IP or one MAC.
import { compareDeclared } from '../guests.ts';
import type { PlacedGuest } from '../guests.ts';
import type { CheckContext } from './context.ts';
import { guestLabel, reportAt } from './context.ts';
import { isIpv4, isIpv4Cidr, isMac } from '../pve/formats.ts';

type Groups = Map<string, { p: PlacedGuest; value: string }[]>;

function add(groups: Groups, key: string, p: PlacedGuest, value: string): void {
  const g = groups.get(key);
  if (g === undefined) groups.set(key, [{ p, value }]);
  else g.push({ p, value });
}

export function checkNetwork(ctx: CheckContext): void {
  const ips: Groups = new Map();
  const macs: Groups = new Map();
  for (const p of ctx.placed) {
    const { guest } = p;
    const net = guest.config['network_config'] as Record<string, unknown> | undefined;
    const ip = net?.['ip'];
    if (typeof ip === 'string' && ip !== 'dhcp' && ip !== 'manual') {
      if (isIpv4Cidr(ip)) add(ips, ip.slice(0, ip.indexOf('/')), p, ip);
      else {
        reportAt(
          ctx,
          p,
          ['network_config', 'ip'],
          'bad-ip',
          `malformed IP "${ip}": expected an IPv4 address with a prefix length like 10.0.0.5/24, or dhcp`,
        );
      }
    }
    const gw = net?.['gw'];
    if (typeof gw === 'string' && !isIpv4(gw)) {
      reportAt(
        ctx,
        p,
        ['network_config', 'gw'],
        'bad-ip',
        `malformed gateway "${gw}": expected an IPv4 address like 10.0.0.1`,
      );
    }
    const mac = guest.config['mac_address'];
    if (typeof mac === 'string') {
      if (isMac(mac)) add(macs, mac.toLowerCase(), p, mac);
      else
        reportAt(
          ctx,
          p,
          ['mac_address'],
          'bad-mac',
          `malformed MAC address "${mac}": expected a unicast address like 52:54:00:12:34:56`,
        );
    }
  }
  duplicates(
    ctx,
    ips,
    ['network_config', 'ip'],
    'duplicate-ip',
    (address, first) => `IP ${address} is also used by ${first}`,
  );
  duplicates(
    ctx,
    macs,
    ['mac_address'],
    'duplicate-mac',
    (mac, first) => `MAC address ${mac} is also used by ${first}`,
  );
}

/** Each holder after the first (in file order) is reported, naming the first. */
function duplicates(
  ctx: CheckContext,
  groups: Groups,
  at: string[],
  code: string,
  message: (key: string, first: string) => string,
): void {
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    group.sort((a, b) => compareDeclared(a.p, b.p));
    const first = guestLabel(group[0]!.p.guest);
    for (const { p, value } of group.slice(1))
      reportAt(ctx, p, at, code, message(at[0] === 'mac_address' ? value : key, first));
  }
}
