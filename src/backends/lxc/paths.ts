// Where one container lives on a plain LXC host: `<lxcpath>/<id>/` holds the
// config LXC reads, the rootfs (dir backing store), LXC's own `snaps/`, and
// the files phx keeps beside them. One module so no path is spelled twice.
import { join } from 'node:path';
import type { GuestId } from '../../core/ids.ts';

export class LxcPaths {
  constructor(readonly lxcPath: string) {}

  /** Containers are named by their CTID, as on Proxmox. */
  name(id: GuestId): string {
    return String(id);
  }
  dir(id: GuestId): string {
    return join(this.lxcPath, this.name(id));
  }
  config(id: GuestId): string {
    return join(this.dir(id), 'config');
  }
  rootfs(id: GuestId): string {
    return join(this.dir(id), 'rootfs');
  }
  /** LXC's snapshot folder (`snapN/` with `config`, `rootfs/`, `comment`, `ts`). */
  snaps(id: GuestId): string {
    return join(this.dir(id), 'snaps');
  }
  /** The declared firewall, recorded because LXC has no firewall to enforce it. */
  firewall(id: GuestId): string {
    return join(this.dir(id), 'phx-firewall.json');
  }
  /** The config as it was when phx last started the container: LXC reads its config only at start. */
  startedConfig(id: GuestId): string {
    return join(this.dir(id), 'phx-started.config');
  }
  /** lxc-start's own log: the only place LXC says why a container did not start. */
  startLog(id: GuestId): string {
    return join(this.dir(id), 'phx-start.log');
  }
}
