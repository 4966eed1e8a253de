#!/usr/bin/env bash
# phoenix_hypervisor_lxc_103.sh: runs the Step-CA (initialised by the step_ca
# feature), checks its health, and publishes what other guests consume into
# /var/lib/phx/artifacts/ (phx collects that folder as lxc/103/app's output):
#   root_ca.crt          the root certificate
#   root_ca.fingerprint  its SHA-256 fingerprint (hex, as `step` prints it)
#   ca_url               https://<this entry's IP>:<port>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

export STEPPATH=/etc/step-ca
ca_json="${STEPPATH}/config/ca.json"
root="${STEPPATH}/certs/root_ca.crt"
out=/var/lib/phx/artifacts
[[ -f "$ca_json" && -f "$root" ]] || phx_die "no CA in ${STEPPATH}: add the step_ca feature to this entry"
step_bin="$(command -v step || command -v step-cli)" || phx_die "the step CLI is not installed"

port="$(python3 - "$ca_json" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    address = json.load(f).get("address", ":443")
print(address.rsplit(":", 1)[1])
PY
)"
ip="$(phx_entry_ip)"
[[ -n "$ip" ]] || phx_die "the Step-CA entry needs a static network_config.ip"

phx_systemd_apply step-ca.service 0
tries=0
until "$step_bin" ca health --ca-url "https://127.0.0.1:${port}" --root "$root" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [[ $tries -gt 30 ]]; then
    journalctl -u step-ca.service --no-pager -n 50 >&2 || true
    phx_die "step-ca is not healthy on port ${port}"
  fi
  sleep 2
done
phx_log "step-ca is healthy on port ${port}"

install -d -m 0755 "$out"
phx_install_file "${out}/root_ca.crt" 0644 <"$root"
phx_install_file "${out}/root_ca.fingerprint" 0644 <<<"$("$step_bin" certificate fingerprint "$root")"
phx_install_file "${out}/ca_url" 0644 <<<"https://${ip}:${port}"
phx_log "published root_ca.crt, root_ca.fingerprint and ca_url in ${out}"
