#!/usr/bin/env bash
# phoenix_hypervisor_lxc_955.sh: exposes the Ollama service of this entry:
# listens on all addresses at the entry's service port (traefik_service.port,
# else the container side of ports[0], else 11434), on the entry's GPUs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

command -v ollama >/dev/null 2>&1 || phx_die "ollama is not installed: add the ollama feature to this entry or its clone source"
port="$(phx_entry /traefik_service/port "")"
if [[ -z "$port" ]]; then
  mapping="$(phx_entry /ports/0 "11434:11434")"
  port="${mapping##*:}"
fi
[[ "$port" =~ ^[0-9]+$ ]] || phx_die "bad Ollama port ${port}"

dropin="[Service]
Environment=\"OLLAMA_HOST=0.0.0.0:${port}\""
if [[ -n "${PHX_GPUS:-}" ]]; then
  dropin+="
Environment=\"CUDA_VISIBLE_DEVICES=${PHX_GPUS}\""
fi
phx_install_file /etc/systemd/system/ollama.service.d/20-phx-app.conf 0644 <<<"$dropin"
phx_systemd_apply ollama.service "$PHX_CHANGED"

phx_wait_http "http://127.0.0.1:${port}/api/version" 90 || {
  journalctl -u ollama.service --no-pager -n 50 >&2 || true
  phx_die "Ollama does not answer on port ${port}"
}
if [[ -n "${PHX_GPUS:-}" ]]; then
  # Ollama logs the compute devices it found at start.
  if journalctl -u ollama.service --no-pager -n 200 2>/dev/null | grep -qiE 'no compatible GPUs|entering low vram mode.*0 B'; then
    phx_log "warning: Ollama started without a usable GPU (PHX_GPUS=${PHX_GPUS})"
  fi
fi
phx_log "Ollama is serving on port ${port}"
