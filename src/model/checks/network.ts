// Addresses: well formed (they end up in `net0`/`ipconfig0` strings Proxmox
// parses), and no two guests with one IP or one MAC.
import type { CheckContext } from './context.ts';
import { guestLabel, reportAt } from './context.ts';

const octet = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${octet}(\\.${octet}){3}$`);
const CIDR = new RegExp(`^${octet}(\\.${octet}){3}/(3[0-2]|[12]?[0-9])$`);
// Proxmox's mac-addr format: six hex pairs, unicast (even first octet).
const MAC = /^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/i;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function checkNetwork(ctx: CheckContext): void {
  const ips = new Map<string, string>();
  const macs = new Map<string, string>();
  for (const p of ctx.placed) {
    const { guest } = p;
    const net = guest.config['network_config'] as Record<string, unknown> | undefined;
    const ip = net?.['ip'];
    if (typeof ip === 'string' && ip !== 'dhcp' && ip !== 'manual') {
      if (!CIDR.test(ip)) {
        reportAt(ctx, p, ['network_config', 'ip'], 'bad-ip', `malformed IP "${ip}": expected an IPv4 address with a prefix length like 10.0.0.5/24, or dhcp`);
      } else {
        const address = ip.slice(0, ip.indexOf('/'));
        const owner = ips.get(address);
        if (owner === undefined) ips.set(address, guestLabel(guest));
        else reportAt(ctx, p, ['network_config', 'ip'], 'duplicate-ip', `IP ${address} is also used by ${owner}`);
      }
    }
    const gw = net?.['gw'];
    if (typeof gw === 'string' && !IPV4.test(gw)) {
      reportAt(ctx, p, ['network_config', 'gw'], 'bad-ip', `malformed gateway "${gw}": expected an IPv4 address like 10.0.0.1`);
    }
    const mac = guest.config['mac_address'];
    if (typeof mac === 'string') {
      if (!MAC.test(mac)) {
        reportAt(ctx, p, ['mac_address'], 'bad-mac', `malformed MAC address "${mac}": expected a unicast address like 52:54:00:12:34:56`);
      } else {
        const key = mac.toLowerCase();
        const owner = macs.get(key);
        if (owner === undefined) macs.set(key, guestLabel(guest));
        else reportAt(ctx, p, ['mac_address'], 'duplicate-mac', `MAC address ${mac} is also used by ${owner}`);
      }
    }
  }
}
