#!/usr/bin/env bash
# vllm: vLLM in a Python venv at /opt/vllm (the path phoenix_hypervisor_lxc_vllm.sh
# serves from). The wheels bring their CUDA runtime; the driver is nvidia's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

venv=/opt/vllm
version="$(phx_param /version 0.10.2)"
mapfile -t extra < <(phx_json_lines "$(phx_param /extra_packages '[]')")

# Triton compiles kernels at run time: it needs a C compiler and Python headers.
phx_apt_install python3 python3-venv python3-dev python3-pip build-essential git

if [[ ! -x "${venv}/bin/python" ]]; then
  phx_log "creating venv ${venv}"
  python3 -m venv "$venv"
fi

want="vllm==${version}"
if [[ ${#extra[@]} -gt 0 ]]; then want="${want} ${extra[*]}"; fi
stamp="${venv}/.phx-requirements"
have_version="$("${venv}/bin/python" -c 'import importlib.metadata as m; print(m.version("vllm"))' 2>/dev/null || true)"
if [[ "$have_version" == "$version" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  phx_log "vllm ${version} already installed in ${venv}"
else
  phx_log "installing ${want} into ${venv} (was: ${have_version:-none})"
  "${venv}/bin/pip" install --upgrade --quiet pip setuptools wheel
  "${venv}/bin/pip" install --quiet "vllm==${version}" "${extra[@]}"
  printf '%s' "$want" >"$stamp"
fi

"${venv}/bin/vllm" --version >&2 || phx_die "the vllm CLI does not run"

if [[ -n "${PHX_GPUS:-}" ]]; then
  CUDA_VISIBLE_DEVICES="$PHX_GPUS" "${venv}/bin/python" - <<'PY' >&2 || phx_die "torch cannot use GPU(s) ${PHX_GPUS}"
import torch
assert torch.cuda.is_available(), "torch.cuda.is_available() is False"
for i in range(torch.cuda.device_count()):
    print(f"cuda:{i} {torch.cuda.get_device_name(i)}")
PY
fi
phx_log "vllm done"
