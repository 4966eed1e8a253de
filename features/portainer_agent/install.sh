#!/usr/bin/env bash
# portainer_agent: the Portainer Agent, a container that lets the Portainer
# server (the VM whose portainer_role is "primary") manage this guest's
# Docker. The image is pinned (params.version); a run with the container
# already on that image changes nothing, another version replaces it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

version="$(phx_param /version 2.21.4)"
port="$(phx_param /port 9001)"
role="$(phx_entry /portainer_role agent)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || phx_die "version ${version} is not x.y.z"
[[ "$port" =~ ^[0-9]+$ ]] || phx_die "port ${port} is not a number"
[[ "$role" == agent ]] ||
  phx_die "portainer_agent belongs on an entry whose portainer_role is agent (this one: ${role})"
command -v docker >/dev/null 2>&1 || phx_die "docker is not installed: list the docker feature first"

name=portainer_agent
image="portainer/agent:${version}"
wanted="${image} ${port}"
# What runs now: its image and published port, or nothing.
current="$(docker inspect --format '{{.Config.Image}} {{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostPort}}{{end}}{{end}}' "$name" 2>/dev/null || true)"

if [[ "$current" != "$wanted" ]]; then
  if [[ -n "$current" ]]; then
    phx_log "replacing ${name} (${current} -> ${wanted})"
    docker rm -f "$name" >/dev/null
  fi
  docker pull --quiet "$image" >&2
  docker run -d --name "$name" --restart=always \
    -p "${port}:9001" \
    -v /var/run/docker.sock:/var/run/docker.sock \
    -v /var/lib/docker/volumes:/var/lib/docker/volumes \
    -v /:/host \
    "$image" >/dev/null
elif [[ "$(docker inspect --format '{{.State.Running}}' "$name")" != true ]]; then
  docker start "$name" >/dev/null
fi

phx_log "portainer agent ${image} listening on ${port}"
