#!/usr/bin/env bash
# step_cli: the step CLI from Smallstep's apt repo, bootstrapped (offline) to
# trust the Phoenix CA published by lxc/103/app, for root's `step ca ...`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

src="${PHX_ARTIFACTS:?PHX_ARTIFACTS is not set}/lxc_103_app"
for f in root_ca.crt root_ca.fingerprint; do
  [[ -s "${src}/${f}" ]] || phx_die "no ${f} in ${src}: has lxc/103/app been built?"
done
ca_url="$(phx_entry /bootstrap_ca_url "")"
if [[ -z "$ca_url" && -s "${src}/ca_url" ]]; then ca_url="$(tr -d '\n' <"${src}/ca_url")"; fi
[[ -n "$ca_url" ]] || phx_die "no CA URL: set bootstrap_ca_url or publish ca_url from lxc/103/app"
fingerprint="$(tr -d ' :\n' <"${src}/root_ca.fingerprint" | tr '[:upper:]' '[:lower:]')"

phx_apt_repo smallstep https://packages.smallstep.com/keys/apt/repo-signing-key.gpg \
  "https://packages.smallstep.com/stable/debian debs main"
phx_apt_install step-cli
step_bin="$(command -v step || command -v step-cli)" || phx_die "the step CLI is not installed"
have="$("$step_bin" certificate fingerprint "${src}/root_ca.crt")"
[[ "$have" == "$fingerprint" ]] || phx_die "root_ca.crt fingerprint ${have} does not match the published ${fingerprint}"

# What `step ca bootstrap` writes, without needing the CA to be up right now.
steppath=/root/.step
phx_install_file "${steppath}/certs/root_ca.crt" 0644 <"${src}/root_ca.crt"
defaults="$(python3 -c '
import json, sys
print(json.dumps({"ca-url": sys.argv[1], "fingerprint": sys.argv[2], "root": sys.argv[3]}, indent=2))
' "$ca_url" "$fingerprint" "${steppath}/certs/root_ca.crt")"
phx_install_file "${steppath}/config/defaults.json" 0644 <<<"$defaults"
phx_log "step CLI bootstrapped for ${ca_url}"
