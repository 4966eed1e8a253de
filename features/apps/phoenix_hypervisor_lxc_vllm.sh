#!/usr/bin/env bash
# phoenix_hypervisor_lxc_vllm.sh: serves the entry's model with vLLM.
# Renders vllm_model_server.service from vllm_engine_config (lib/vllm_unit.py),
# restarts the service when the unit changed, and waits for /health.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

[[ -x /opt/vllm/bin/vllm ]] || phx_die "/opt/vllm/bin/vllm is missing: add the vllm feature to this entry or its clone source"
port="$(phx_entry /vllm_engine_config/ServerConfig/port 8000)"
health_timeout="$(phx_param /health_timeout_seconds 1800)"

unit="$(python3 lib/vllm_unit.py "$PHX_ENTRY" "${PHX_GPUS:-}")"
install -d -m 0755 /var/lib/vllm/huggingface
phx_install_file /etc/systemd/system/vllm_model_server.service 0644 <<<"$unit"
changed=$PHX_CHANGED
if [[ $changed -eq 1 ]]; then phx_log "vllm_model_server.service changed"; fi
phx_systemd_apply vllm_model_server.service "$changed"

phx_log "waiting for vLLM on port ${port} (model download and load may take a while)"
if ! phx_wait_http "http://127.0.0.1:${port}/health" "$health_timeout"; then
  journalctl -u vllm_model_server.service --no-pager -n 80 >&2 || true
  phx_die "vLLM did not become healthy within ${health_timeout}s"
fi
curl -fsS "http://127.0.0.1:${port}/v1/models" >&2
echo >&2
phx_log "vLLM is serving on port ${port}"
