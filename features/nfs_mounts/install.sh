#!/usr/bin/env bash
# nfs_mounts: the entry's `volumes` of type nfs, mounted in the VM. phx owns
# one block of /etc/fstab between its markers and rewrites it whole, so a
# volume removed from the entry leaves fstab (it stays mounted until the
# next boot: unmounting under a running service is the owner's call).
# Every line outside the block is kept as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

# The file the block lives in; another path only for the feature's own test.
fstab="${PHX_NFS_FSTAB:-/etc/fstab}"
begin='# phx nfs_mounts: begin (managed by phx, edits are overwritten)'
end='# phx nfs_mounts: end'

# One fstab line per nfs volume; a field with whitespace or a relative path is refused.
block="$(python3 - "$(phx_entry /volumes '[]')" <<'PY'
import json, re, sys
bad = re.compile(r"\s|^$")
for v in json.loads(sys.argv[1]):
    if v.get("type") != "nfs":
        continue
    server, path, mnt = str(v.get("server", "")), str(v.get("path", "")), str(v.get("mount_point", ""))
    for name, value in (("server", server), ("path", path), ("mount_point", mnt)):
        if bad.search(value):
            sys.exit(f"volume {v.get('name', '?')}: {name} {value!r} is empty or holds whitespace")
    if not path.startswith("/") or not mnt.startswith("/"):
        sys.exit(f"volume {v.get('name', '?')}: path and mount_point must be absolute")
    print(f"{server}:{path} {mnt} nfs defaults,_netdev,nofail 0 0")
PY
)"

if [[ -n "$block" ]]; then phx_apt_install nfs-common; fi

# fstab without phx's block, then the block again (when there is one).
kept="$(awk -v b="$begin" -v e="$end" '$0 == b {skip = 1; next} $0 == e {skip = 0; next} !skip' "$fstab")"
{
  printf '%s\n' "$kept"
  if [[ -n "$block" ]]; then printf '%s\n%s\n%s\n' "$begin" "$block" "$end"; fi
} | phx_install_file "$fstab" 0644

while read -r _ mnt _; do
  [[ -n "${mnt:-}" ]] || continue
  mkdir -p "$mnt"
  if ! mountpoint -q "$mnt"; then
    phx_log "mounting ${mnt}"
    mount "$mnt"
  fi
done <<<"$block"
phx_log "nfs_mounts done"
