#!/usr/bin/env bash
# phoenix_hypervisor_lxc_101.sh: the nginx gateway. Installs the gateway site
# (nginx/gateway.conf: everything to Traefik), keeps its TLS certificate from
# the Phoenix Step-CA (nginx/phx-gateway-cert plus a twice-daily timer), and
# makes sure nginx listens on 80 and 443.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

mapfile -t names < <(phx_json_lines "$(phx_param /server_names '[]')")
phx_apt_install nginx openssl iproute2

changed=0
phx_install_file /etc/nginx/sites-available/gateway 0644 <nginx/gateway.conf
[[ $PHX_CHANGED -eq 0 ]] || changed=1
if [[ "$(readlink /etc/nginx/sites-enabled/gateway 2>/dev/null || true)" != /etc/nginx/sites-available/gateway ]]; then
  ln -sfn /etc/nginx/sites-available/gateway /etc/nginx/sites-enabled/gateway
  changed=1
fi
if [[ -e /etc/nginx/sites-enabled/default ]]; then
  rm -f /etc/nginx/sites-enabled/default
  changed=1
fi

phx_install_file /usr/local/sbin/phx-gateway-cert 0755 <nginx/phx-gateway-cert
args=""
for n in "${names[@]}"; do args+=" $(printf '%q' "$n")"; done
phx_install_file /etc/systemd/system/phx-gateway-cert.service 0644 <<UNIT
[Unit]
Description=Renew the nginx gateway certificate from the Phoenix Step-CA (phx)
After=network-online.target nginx.service
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/phx-gateway-cert${args}
UNIT
phx_install_file /etc/systemd/system/phx-gateway-cert.timer 0644 <<'UNIT'
[Unit]
Description=Renew the nginx gateway certificate twice a day (phx)

[Timer]
OnBootSec=5min
OnUnitActiveSec=12h
RandomizedDelaySec=30min
Persistent=true

[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload

# A certificate must exist before nginx can load the site: fallback first,
# then the CA-issued one (phx-gateway-cert does both and reloads nginx).
/usr/local/sbin/phx-gateway-cert "${names[@]}"
nginx -t >&2
phx_systemd_apply nginx.service 0
if [[ $changed -eq 1 ]]; then systemctl reload nginx.service; fi
systemctl enable --now phx-gateway-cert.timer >/dev/null

for p in 80 443; do
  tries=0
  until ss -Htln "sport = :${p}" | grep -q LISTEN; do
    tries=$((tries + 1))
    [[ $tries -le 15 ]] || phx_die "nginx is not listening on port ${p}"
    sleep 1
  done
done
phx_log "nginx gateway is listening on 80 and 443"
