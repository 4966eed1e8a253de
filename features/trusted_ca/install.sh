#!/usr/bin/env bash
# trusted_ca: trusts the Phoenix root CA that the Step-CA container (103)
# published, after checking it against the published fingerprint.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

src="${PHX_ARTIFACTS:?PHX_ARTIFACTS is not set}/lxc_103_app"
[[ -s "${src}/root_ca.crt" ]] || phx_die "no root_ca.crt in ${src}: has lxc/103/app been built?"

phx_apt_install ca-certificates openssl

if [[ -s "${src}/root_ca.fingerprint" ]]; then
  want="$(tr -d ' :\n' <"${src}/root_ca.fingerprint" | tr '[:upper:]' '[:lower:]')"
  have="$(openssl x509 -in "${src}/root_ca.crt" -noout -fingerprint -sha256 | sed 's/.*=//' | tr -d ':' | tr '[:upper:]' '[:lower:]')"
  [[ "$want" == "$have" ]] || phx_die "root_ca.crt fingerprint ${have} does not match the published ${want}"
fi

phx_install_file /usr/local/share/ca-certificates/phoenix_root_ca.crt 0644 <"${src}/root_ca.crt"
if [[ $PHX_CHANGED -eq 1 ]] || ! grep -qF "$(sed -n '2p' "${src}/root_ca.crt")" /etc/ssl/certs/ca-certificates.crt; then
  update-ca-certificates >&2
fi
openssl verify -CAfile /etc/ssl/certs/ca-certificates.crt "${src}/root_ca.crt" >&2
phx_log "trusted_ca done"
