#!/usr/bin/env bash
# phoenix_hypervisor_lxc_957.sh: llama.cpp's llama-server, built with CUDA at
# a pinned release tag, serving the GGUF models in /llamacpp_models on the
# entry's service port (traefik_service.port, else ports[0], else 8081).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

ref=b5000
src=/opt/llama.cpp
models=/llamacpp_models
port="$(phx_entry /traefik_service/port "")"
if [[ -z "$port" ]]; then
  mapping="$(phx_entry /ports/0 "8081:8081")"
  port="${mapping##*:}"
fi
[[ "$port" =~ ^[0-9]+$ ]] || phx_die "bad llama.cpp port ${port}"

phx_apt_install build-essential cmake git ca-certificates libcurl4-openssl-dev
[[ -x /usr/local/cuda/bin/nvcc ]] || phx_die "nvcc is missing: add the nvidia feature (CUDA toolkit) to this entry or its clone source"

if [[ ! -d "${src}/.git" ]]; then
  git clone --quiet https://github.com/ggml-org/llama.cpp.git "$src"
fi
if [[ "$(git -C "$src" describe --tags --exact-match 2>/dev/null || true)" != "$ref" ||
  ! -x "${src}/build/bin/llama-server" ]]; then
  phx_log "building llama.cpp ${ref} with CUDA"
  git -C "$src" fetch --quiet --tags origin
  git -C "$src" checkout --quiet --force "refs/tags/${ref}"
  PATH="/usr/local/cuda/bin:${PATH}" cmake -S "$src" -B "${src}/build" \
    -DGGML_CUDA=ON -DLLAMA_CURL=ON -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "${src}/build" --config Release --target llama-server -j "$(nproc)" >&2
fi
install -m 0755 "${src}/build/bin/llama-server" /usr/local/bin/llama-server
install -d -m 0755 "$models"

# The launcher serves the newest GGUF in the models folder; the unit only
# starts once one is there.
phx_install_file /usr/local/bin/phx-llama-server 0755 <<LAUNCH
#!/usr/bin/env bash
set -euo pipefail
model="\$(find ${models} -maxdepth 2 -name '*.gguf' -printf '%T@ %p\n' | sort -rn | head -n1 | cut -d' ' -f2-)"
[[ -n "\$model" ]] || { echo "no .gguf model in ${models}" >&2; exit 1; }
exec /usr/local/bin/llama-server --host 0.0.0.0 --port ${port} --model "\$model" --n-gpu-layers 999
LAUNCH
launcher_changed=$PHX_CHANGED

gpu_env=""
if [[ -n "${PHX_GPUS:-}" ]]; then gpu_env="Environment=\"CUDA_VISIBLE_DEVICES=${PHX_GPUS}\""; fi
phx_install_file /etc/systemd/system/llama_cpp_server.service 0644 <<UNIT
[Unit]
Description=llama.cpp server (phx)
After=network-online.target
Wants=network-online.target
ConditionDirectoryNotEmpty=${models}

[Service]
${gpu_env}
ExecStart=/usr/local/bin/phx-llama-server
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
changed=$PHX_CHANGED
[[ $launcher_changed -eq 0 ]] || changed=1

phx_systemd_apply llama_cpp_server.service "$changed"
if compgen -G "${models}/*.gguf" >/dev/null || compgen -G "${models}/*/*.gguf" >/dev/null; then
  phx_wait_http "http://127.0.0.1:${port}/health" 600 || {
    journalctl -u llama_cpp_server.service --no-pager -n 50 >&2 || true
    phx_die "llama-server did not become healthy on port ${port}"
  }
  phx_log "llama.cpp is serving on port ${port}"
else
  phx_log "no .gguf model in ${models} yet: llama_cpp_server.service is enabled; it starts at boot or on systemctl start once a model is there"
fi
