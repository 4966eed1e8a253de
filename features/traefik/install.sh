#!/usr/bin/env bash
# traefik: the Traefik binary (pinned release, checksum-verified) and its
# systemd unit. phoenix_hypervisor_lxc_102.sh writes /etc/traefik/traefik.yml
# and starts it; the dynamic configuration lives in /etc/traefik/dynamic/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

version="$(phx_param /version 3.4.0)"
arch="$(dpkg --print-architecture)"

phx_apt_install ca-certificates curl

have=""
if [[ -x /usr/local/bin/traefik ]]; then
  have="$(/usr/local/bin/traefik version 2>/dev/null | awk '/^Version:/ {print $2}' || true)"
fi
if [[ "$have" == "$version" ]]; then
  phx_log "traefik ${version} already installed"
else
  base="https://github.com/traefik/traefik/releases/download/v${version}"
  tarball="traefik_v${version}_linux_${arch}.tar.gz"
  cache="/var/cache/phx/traefik/${version}"
  phx_download "${base}/${tarball}" "${cache}/${tarball}"
  phx_download "${base}/traefik_v${version}_checksums.txt" "${cache}/checksums.txt"
  (cd "$cache" && grep " ${tarball}\$" checksums.txt | sha256sum -c -) >&2 ||
    phx_die "checksum mismatch for ${tarball}"
  tar -xzf "${cache}/${tarball}" -C "$cache" traefik
  install -m 0755 "${cache}/traefik" /usr/local/bin/traefik
  phx_log "installed traefik ${version} (was: ${have:-none})"
fi

if ! id traefik >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/traefik --shell /usr/sbin/nologin traefik
fi
install -d -o root -g traefik -m 0750 /etc/traefik /etc/traefik/dynamic
install -d -o traefik -g traefik -m 0750 /var/lib/traefik /var/log/traefik

phx_install_file /etc/systemd/system/traefik.service 0644 <<'UNIT'
[Unit]
Description=Traefik proxy (phx)
After=network-online.target
Wants=network-online.target
ConditionPathExists=/etc/traefik/traefik.yml

[Service]
User=traefik
Group=traefik
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=true
ExecStart=/usr/local/bin/traefik --configFile=/etc/traefik/traefik.yml
Restart=on-failure
RestartSec=5
LimitNOFILE=1048576

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable traefik.service >/dev/null
/usr/local/bin/traefik version >&2
phx_log "traefik done"
