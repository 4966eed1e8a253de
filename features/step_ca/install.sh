#!/usr/bin/env bash
# step_ca: Smallstep step-ca and step CLI from Smallstep's apt repo, a CA
# initialised once with `step ca init` (passwords generated and kept in
# /etc/step-ca/secrets), an ACME provisioner, and the step-ca systemd unit.
# phoenix_hypervisor_lxc_103.sh starts it and publishes the root certificate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

ca_name="$(phx_param /ca_name "Phoenix Internal CA")"
address="$(phx_param /address ":9000")"
provisioner="$(phx_param /provisioner "admin@internal.thinkheads.ai")"
mapfile -t dns_names < <(phx_json_lines "$(phx_param /dns_names '["ca.internal.thinkheads.ai"]')")
ip="$(phx_entry_ip)"

export STEPPATH=/etc/step-ca
secrets="${STEPPATH}/secrets"

phx_apt_repo smallstep https://packages.smallstep.com/keys/apt/repo-signing-key.gpg \
  "https://packages.smallstep.com/stable/debian debs main"
phx_apt_install step-cli step-ca openssl
step_bin="$(command -v step || command -v step-cli)" || phx_die "the step CLI is not installed"

install -d -m 0700 "$STEPPATH" "$secrets"
for f in password.txt provisioner_password.txt; do
  if [[ ! -s "${secrets}/${f}" ]]; then
    (umask 077 && openssl rand -base64 36 | tr -d '\n' >"${secrets}/${f}")
  fi
done

if [[ -f "${STEPPATH}/config/ca.json" ]]; then
  phx_log "CA already initialised in ${STEPPATH}"
else
  args=(ca init --deployment-type standalone --name "$ca_name" --address "$address"
    --provisioner "$provisioner"
    --password-file "${secrets}/password.txt"
    --provisioner-password-file "${secrets}/provisioner_password.txt")
  for name in "${dns_names[@]}" localhost 127.0.0.1 ${ip:+"$ip"}; do args+=(--dns "$name"); done
  phx_log "initialising the CA \"${ca_name}\" (${dns_names[*]} ${ip})"
  "$step_bin" "${args[@]}"
fi

# ACME provisioner (Traefik and the nginx gateway use it), added offline.
if python3 - "${STEPPATH}/config/ca.json" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    ca = json.load(f)
provs = ca.get("authority", {}).get("provisioners", [])
sys.exit(0 if any(p.get("type") == "ACME" for p in provs) else 1)
PY
then
  phx_log "ACME provisioner present"
else
  phx_log "adding the ACME provisioner"
  "$step_bin" ca provisioner add acme --type ACME --ca-config "${STEPPATH}/config/ca.json"
fi

phx_install_file /etc/systemd/system/step-ca.service 0644 <<UNIT
[Unit]
Description=Smallstep certificate authority (phx)
After=network-online.target
Wants=network-online.target

[Service]
Environment=STEPPATH=${STEPPATH}
ExecStart=/usr/bin/step-ca ${STEPPATH}/config/ca.json --password-file ${secrets}/password.txt
ExecReload=/bin/kill -HUP \$MAINPID
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable step-ca.service >/dev/null
phx_log "step_ca done"
