#!/usr/bin/env bash
# nvidia: NVIDIA user-space driver (runfile, no kernel module: the host's
# module serves the container) and the CUDA toolkit from NVIDIA's apt repo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

version="$(phx_entry /nvidia_driver_version)"
runfile_url="$(phx_entry /nvidia_runfile_url)"
repo_url="$(phx_entry /nvidia_repo_url "")"
toolkit="$(phx_param /cuda_toolkit_package cuda-toolkit-12-8)"

phx_apt_install ca-certificates curl kmod pkg-config libglvnd-dev

installed=""
if command -v nvidia-smi >/dev/null 2>&1; then
  # Without a GPU bound (PHX_GPUS empty) nvidia-smi cannot talk to the driver;
  # the version of the installed user-space libraries is what counts then.
  installed="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -n1 || true)"
  if [[ -z "$installed" ]] && [[ -e /usr/bin/nvidia-installer ]]; then
    installed="$(nvidia-installer --version 2>/dev/null | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -n1 || true)"
  fi
fi

if [[ "$installed" == "$version" ]]; then
  phx_log "NVIDIA user-space driver ${version} already installed"
else
  runfile="/var/cache/phx/nvidia/$(basename "$runfile_url")"
  phx_download "$runfile_url" "$runfile"
  chmod 0755 "$runfile"
  phx_log "installing NVIDIA user-space driver ${version} (was: ${installed:-none})"
  # Inside a container the kernel module is the host's: install libraries and
  # tools only, never touch modules, X or nouveau.
  "$runfile" --silent --no-questions --ui=none --no-kernel-module --no-x-check \
    --no-nouveau-check --no-nvidia-modprobe
fi

# CUDA toolkit from NVIDIA's repository (the LXC file's root nvidia_repo_url).
if [[ -n "$repo_url" ]]; then
  repo_url="${repo_url%/}/"
  if ! dpkg-query -W -f='${Status}' cuda-keyring 2>/dev/null | grep -q 'install ok installed'; then
    keyring_deb="/var/cache/phx/nvidia/cuda-keyring_1.1-1_all.deb"
    phx_download "${repo_url}cuda-keyring_1.1-1_all.deb" "$keyring_deb"
    dpkg -i "$keyring_deb"
    PHX_APT_UPDATED=0
  fi
  phx_apt_install "$toolkit"
  phx_install_file /etc/profile.d/cuda.sh 0644 <<'PROFILE'
export PATH="/usr/local/cuda/bin:${PATH}"
export LD_LIBRARY_PATH="/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"
PROFILE
fi

# Verify against the GPUs this entry holds.
if [[ -n "${PHX_GPUS:-}" ]]; then
  nvidia-smi -L >&2 || phx_die "nvidia-smi cannot see GPU(s) ${PHX_GPUS}: are the device entries in place?"
  running="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n1)"
  [[ "$running" == "$version" ]] ||
    phx_die "host kernel module is ${running}, but the config asks for ${version}: the user-space driver must match the host"
else
  phx_log "no GPU assigned (PHX_GPUS empty): skipping the nvidia-smi check"
fi
if [[ -n "$repo_url" ]]; then
  /usr/local/cuda/bin/nvcc --version >&2 || phx_die "nvcc missing after installing ${toolkit}"
fi
phx_log "nvidia done"
