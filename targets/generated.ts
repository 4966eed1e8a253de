// Files rendered from every entry and pushed into the guest that serves
// them (issue 10): Traefik's dynamic routes into each container with the
// `traefik` feature, the nginx gateway's servers into each container running
// the gateway app. A target per file per serving guest, after that guest's
// last layer (a `layer` edge, as a check has: a rebuilt guest gets the file
// again) and beside the chain, so a new service re-renders one file and
// re-applies it in one guest, rebuilding no layer.
//
// Its config slice holds what it reads of each contributing entry (for
// explain) and the rendered text's digest under `rendered:<path>`: the
// fingerprint changes exactly when the file would, whatever the renderer's
// code (targets/render-*.ts is expansion code, no rule's source).
import type { Guest, Project } from '../src/model/model.ts';
import type { HypervisorFile } from '../src/model/schema/hypervisor.ts';
import { hashString } from '../src/core/hash.ts';
import { guestTargetId } from '../src/core/target-id.ts';
import type { Edge, GeneratedTarget, Target } from './target.ts';
import type { GeneratedFile } from './host-setup-target.ts';
import {
  entriesSlice,
  entryAddresses,
  servicePointers,
  type EntryAddress,
} from './entry-addresses.ts';
import { configSlice } from './pointers.ts';
import { renderTraefikRoutes } from './render-traefik.ts';
import { renderNginxGateway } from './render-nginx.ts';

/** The app that installs the nginx gateway site (features/apps/nginx/gateway.conf). */
export const gatewayApp = 'phoenix_hypervisor_lxc_101.sh';

export const traefikRoutesPath = '/etc/traefik/dynamic/phx-routes.yml';
export const gatewayPath = '/etc/nginx/conf.d/phx-services.conf';

/** Containers that serve Traefik: the `traefik` feature installs it. */
export const servesTraefik = (g: Guest): boolean =>
  g.kind === 'lxc' && g.features.some((f) => f.name === 'traefik');

/** Containers that serve the nginx gateway: they run its app. */
export const servesGateway = (g: Guest): boolean =>
  g.kind === 'lxc' && g.applicationScript === gatewayApp;

export function domainOf(project: Project): string | undefined {
  return (project.host as HypervisorFile).domain_name;
}

/** The address of the first entry `serves`, for files that point at another service. */
export function firstAddress(
  entries: readonly EntryAddress[],
  serves: (g: Guest) => boolean,
): EntryAddress | undefined {
  return entries.find((e) => serves(e.guest) && e.ip !== undefined);
}

export function expandGenerated(project: Project, targets: readonly Target[]): GeneratedTarget[] {
  const entries = entryAddresses(project);
  const contributing = entries.filter((e) => e.service !== undefined && e.ip !== undefined);
  const domain = domainOf(project);
  const domainSlice = { '/domain_name': domain ?? null };
  const out: GeneratedTarget[] = [];

  const add = (
    guest: Guest,
    name: string,
    file: GeneratedFile,
    slice: Record<string, unknown>,
  ): void => {
    const id = guestTargetId(guest.kind, guest.id, 'generated', name);
    const mine = targets.filter((t) => t.entry === String(guest.id));
    const last = mine.reduce<Target | undefined>(
      (best, t) => (t.layer !== undefined && (best?.layer ?? -1) < t.layer ? t : best),
      undefined,
    );
    const settings = mine.find((t) => t.kind === 'settings');
    if (last === undefined) return;
    const deps: Edge[] = [{ from: last.id, to: id, kind: 'layer' }];
    if (settings) deps.push({ from: settings.id, to: id, kind: 'apply' });
    out.push({
      id,
      entry: String(guest.id),
      kind: 'generated',
      guest,
      config: { ...slice, [`rendered:${file.path}`]: hashString(file.content) },
      files: [],
      deps,
      pools: [`guest:${guest.id}`],
      file,
    });
  };

  for (const e of entries.filter((x) => servesTraefik(x.guest))) {
    add(
      e.guest,
      'traefik-routes',
      // The file provider watches its folder (`watch: true` in traefik.yml): no reload.
      { path: traefikRoutesPath, content: renderTraefikRoutes({ entries, ...dom(domain) }) },
      { ...domainSlice, ...entriesSlice(project, contributing, servicePointers) },
    );
  }

  const traefik = firstAddress(entries, servesTraefik);
  if (traefik?.ip !== undefined) {
    for (const e of entries.filter((x) => servesGateway(x.guest))) {
      add(
        e.guest,
        'nginx-gateway',
        {
          path: gatewayPath,
          content: renderNginxGateway({ entries, traefikIp: traefik.ip, ...dom(domain) }),
          check: ['nginx', '-t'],
          reload: ['systemctl', 'reload', 'nginx.service'],
        },
        {
          ...domainSlice,
          ...entriesSlice(project, contributing, ['/traefik_service/name']),
          ...configSlice(traefik.guest, project.lxcRoot, ['/network_config/ip']),
        },
      );
    }
  }
  return out;
}

function dom(domain: string | undefined): { domain?: string } {
  return domain === undefined ? {} : { domain };
}
