#!/usr/bin/env bash
# docker: Docker Engine and the compose plugin from Docker's apt repository;
# with GPUs, the NVIDIA Container Toolkit as a Docker runtime.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

dns_json="$(phx_param /dns '[]')"
user="$(phx_entry /user_config/username "")"

codename="$(. /etc/os-release && printf '%s' "${UBUNTU_CODENAME:-$VERSION_CODENAME}")"
phx_apt_repo docker https://download.docker.com/linux/ubuntu/gpg \
  "https://download.docker.com/linux/ubuntu ${codename} stable"
phx_apt_install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin

# Containers: overlayfs on ZFS-backed rootfs needs fuse-overlayfs.
if phx_in_container; then
  phx_apt_install fuse-overlayfs
fi

# daemon.json: phx owns the "dns" and "storage-driver" keys, every other key
# (the nvidia runtime that nvidia-ctk adds) is kept as it is.
daemon_changed=0
storage_driver=""
if phx_in_container; then storage_driver="fuse-overlayfs"; fi
new_daemon="$(python3 - "$dns_json" "$storage_driver" <<'PY'
import json, os, sys
dns, driver = json.loads(sys.argv[1]), sys.argv[2]
path = "/etc/docker/daemon.json"
data = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
if dns:
    data["dns"] = dns
else:
    data.pop("dns", None)
if driver:
    data["storage-driver"] = driver
else:
    data.pop("storage-driver", None)
print(json.dumps(data, indent=2, sort_keys=True))
PY
)"
phx_install_file /etc/docker/daemon.json 0644 <<<"$new_daemon"
daemon_changed=$PHX_CHANGED

# GPUs: NVIDIA Container Toolkit, registered as a Docker runtime.
if [[ -n "${PHX_GPUS:-}" ]] && command -v nvidia-smi >/dev/null 2>&1; then
  key=/etc/apt/keyrings/nvidia-container-toolkit.asc
  install -m 0755 -d /etc/apt/keyrings
  if [[ ! -s "$key" ]]; then
    curl -fsSL --retry 5 -o "$key" https://nvidia.github.io/libnvidia-container/gpgkey
    PHX_APT_UPDATED=0
  fi
  list="$(curl -fsSL --retry 5 https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list |
    sed "s#deb https://#deb [signed-by=${key}] https://#g")"
  phx_install_file /etc/apt/sources.list.d/nvidia-container-toolkit.list 0644 <<<"$list"
  if [[ $PHX_CHANGED -eq 1 ]]; then PHX_APT_UPDATED=0; fi
  phx_apt_install nvidia-container-toolkit
  before="$(sha256sum /etc/docker/daemon.json)"
  nvidia-ctk runtime configure --runtime=docker >&2
  if [[ "$(sha256sum /etc/docker/daemon.json)" != "$before" ]]; then daemon_changed=1; fi
  if phx_in_container; then
    # Unprivileged containers cannot manage device cgroups; the host does.
    nvidia-ctk config --set nvidia-container-cli.no-cgroups=true --in-place
  fi
fi

phx_systemd_apply docker.service "$daemon_changed"

if [[ -n "$user" ]] && id "$user" >/dev/null 2>&1; then
  if ! id -nG "$user" | tr ' ' '\n' | grep -qx docker; then
    phx_log "adding ${user} to the docker group"
    usermod -aG docker "$user"
  fi
fi

docker version >&2
docker compose version >&2
phx_log "docker done"
