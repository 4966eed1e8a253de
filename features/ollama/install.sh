#!/usr/bin/env bash
# ollama: the Ollama server (pinned version, official installer) as a systemd
# service; phoenix_hypervisor_lxc_955.sh sets where it listens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

version="$(phx_param /version 0.9.0)"
models_dir="$(phx_param /models_dir "")"

phx_apt_install ca-certificates curl zstd

have=""
if command -v ollama >/dev/null 2>&1; then
  have="$(ollama -v 2>&1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | tail -n1 || true)"
fi
if [[ "$have" == "$version" ]]; then
  phx_log "ollama ${version} already installed"
else
  installer=/var/cache/phx/ollama/install.sh
  rm -f "$installer"
  phx_download https://ollama.com/install.sh "$installer"
  phx_log "installing ollama ${version} (was: ${have:-none})"
  OLLAMA_VERSION="$version" sh "$installer"
fi

changed=0
if [[ -n "$models_dir" ]]; then
  install -d -o ollama -g ollama -m 0755 "$models_dir"
  phx_install_file /etc/systemd/system/ollama.service.d/10-phx-models.conf 0644 <<UNIT
[Service]
Environment="OLLAMA_MODELS=${models_dir}"
UNIT
else
  if [[ -e /etc/systemd/system/ollama.service.d/10-phx-models.conf ]]; then
    rm -f /etc/systemd/system/ollama.service.d/10-phx-models.conf
    PHX_CHANGED=1
  else
    PHX_CHANGED=0
  fi
fi
[[ $PHX_CHANGED -eq 0 ]] || changed=1
if [[ "$have" != "$version" ]]; then changed=1; fi

phx_systemd_apply ollama.service "$changed"
phx_wait_http http://127.0.0.1:11434/api/version 60 ||
  phx_wait_http "http://$(phx_entry_ip):11434/api/version" 30 ||
  phx_die "ollama does not answer on port 11434"
phx_log "ollama done"
