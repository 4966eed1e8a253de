// The host's NVIDIA driver, DNS and CA trust as targets (issue 10), and the
// edges that tie guests to them:
// - `nvidia_driver` → host/nvidia-driver/nvidia, fingerprinted by its
//   install, version and runfile_url; every guest with a GPU assignment
//   waits for it (order edge to its base: the device nodes exist only once
//   the driver is loaded);
// - a feature that `consumes` a host target (features/nvidia: the userspace
//   part must match the host's driver) reads that target's config slice: a
//   new driver version rebuilds those feature layers, and nothing else;
// - `dns_server` plus every entry's name and address → host/dns/dnsmasq,
//   the file the host serves (the guests' nameserver is the host);
// - the Step-CA entry's app → host/ca-trust/step-ca (artifact edge): the
//   host trusts the root that app published, again whenever it is rebuilt.
import { relative } from 'node:path';
import type { Guest, Project } from '../src/model/model.ts';
import type { HypervisorFile } from '../src/model/schema/hypervisor.ts';
import { hashString } from '../src/core/hash.ts';
import { guestTargetId, hostTargetId, isHostKind, parseTargetId } from '../src/core/target-id.ts';
import type { TargetId } from '../src/core/target-id.ts';
import type {
  CaTrustTarget,
  DnsTarget,
  Edge,
  HostSetupTarget,
  NvidiaDriverTarget,
  Target,
} from './target.ts';
import { addressPointers, entriesSlice, entryAddresses } from './entry-addresses.ts';
import { domainOf, firstAddress, servesGateway } from './generated.ts';
import { renderDnsmasq } from './render-dnsmasq.ts';

export const driverId = hostTargetId('nvidia-driver', 'nvidia');
export const dnsId = hostTargetId('dns', 'dnsmasq');
export const caTrustId = hostTargetId('ca-trust', 'step-ca');

/** phx's whole file in dnsmasq's folder (Debian's dnsmasq reads /etc/dnsmasq.d/*.conf). */
export const dnsmasqPath = '/etc/dnsmasq.d/phoenix.conf';

/** The name the Step-CA root gets in the host's trust store (as the trusted_ca feature names it). */
export const rootCaFile = 'phoenix_root_ca.crt';

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

export function expandHostSetup(project: Project): HostSetupTarget[] {
  const host = project.host as HypervisorFile;
  const file = relative(process.cwd(), project.files.hypervisor) || project.files.hypervisor;
  const common = { entry: 'host' as const, files: [], pools: ['host'] };
  const out: HostSetupTarget[] = [];

  const nv = host.nvidia_driver;
  if (
    nv !== undefined &&
    nv['install'] !== false &&
    typeof nv['version'] === 'string' &&
    typeof nv['runfile_url'] === 'string'
  ) {
    const driver: NvidiaDriverTarget = {
      ...common,
      id: driverId,
      kind: 'nvidia-driver',
      source: { file, pointer: '/nvidia_driver' },
      config: {
        '/nvidia_driver/install': nv['install'] ?? null,
        '/nvidia_driver/version': nv['version'],
        '/nvidia_driver/runfile_url': nv['runfile_url'],
      },
      deps: [],
      driver: { version: nv['version'], runfileUrl: nv['runfile_url'] },
    };
    out.push(driver);
  }

  const dns = host.dns_server;
  if (dns !== undefined && dns['enabled'] === true) {
    const entries = entryAddresses(project).filter((e) => e.ip !== undefined);
    const listen = host.network?.interfaces?.address?.split('/')[0];
    const domain = domainOf(project);
    const gateway = firstAddress(entries, servesGateway);
    const content = renderDnsmasq({
      upstream: strings(dns['upstream_servers']),
      zones: strings(dns['authoritative_zones']),
      entries,
      ...(domain === undefined ? {} : { domain }),
      ...(listen === undefined ? {} : { listen }),
      ...(gateway?.ip === undefined ? {} : { gatewayIp: gateway.ip }),
    });
    const target: DnsTarget = {
      ...common,
      id: dnsId,
      kind: 'dns',
      source: { file, pointer: '/dns_server' },
      config: {
        '/dns_server': dns,
        '/domain_name': domain ?? null,
        '/network/interfaces/address': host.network?.interfaces?.address ?? null,
        ...entriesSlice(project, entries, [...addressPointers, '/traefik_service/name']),
        [`rendered:${dnsmasqPath}`]: hashString(content),
      },
      deps: [],
      dns: { path: dnsmasqPath, content },
    };
    out.push(target);
  }

  const ca = caProducer(project);
  if (ca !== undefined) {
    const producer = guestTargetId('lxc', ca.id, 'app');
    const target: CaTrustTarget = {
      ...common,
      id: caTrustId,
      kind: 'ca-trust',
      source: { file, pointer: host.step_ca === undefined ? '' : '/step_ca' },
      // What is trusted is the producer's output: its fingerprint is the input (artifact edge).
      config: {},
      deps: [{ from: producer, to: caTrustId, kind: 'artifact' }],
      producer,
      fileName: rootCaFile,
    };
    out.push(target);
  }
  return out;
}

/** The container that runs the Step-CA (the `step_ca` feature) and an app that publishes its root. */
function caProducer(project: Project): Guest | undefined {
  return [...project.guests.values()]
    .filter(
      (g) =>
        g.kind === 'lxc' &&
        g.applicationScript !== undefined &&
        g.features.some((f) => f.name === 'step_ca'),
    )
    .sort((a, b) => a.id - b.id)[0];
}

/**
 * Edges from the host's setup targets to the guests: a GPU guest's base
 * waits for the driver; a feature consuming a host target (which publishes
 * no files) waits for it and reads its config slice instead of an artifact.
 * A consumed host target the config does not declare (no `nvidia_driver`,
 * or a backend that does not manage the host) leaves the feature reading
 * nothing of the host.
 */
export function linkHostSetup(targets: readonly Target[]): Target[] {
  const hostTargets = new Map(
    targets.filter((t) => t.entry === 'host').map((t) => [t.id as string, t]),
  );
  const driver = hostTargets.get(driverId);
  return targets.map((t) => {
    let next = t;
    const fromHost = t.deps.filter((e) => e.kind === 'artifact' && consumedHost(e.from));
    if (fromHost.length > 0 && t.entry !== 'host') {
      let config = { ...t.config };
      const deps: Edge[] = t.deps.filter((e) => !fromHost.includes(e));
      for (const e of fromHost) {
        const producer = hostTargets.get(e.from);
        if (producer === undefined) continue;
        config = { ...config, ...producer.config };
        deps.push({ from: e.from, to: t.id, kind: 'order' });
      }
      next = { ...t, config, deps };
    }
    if (driver && t.layer === 0 && t.guest.gpus.length > 0)
      next = {
        ...next,
        deps: [...next.deps, { from: driver.id, to: t.id, kind: 'order' }],
      };
    return next;
  });
}

function consumedHost(id: TargetId): boolean {
  const p = parseTargetId(id);
  return p !== undefined && p.guest === undefined && isHostKind(p.kind);
}
