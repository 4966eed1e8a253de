#!/usr/bin/env bash
# nginx: Ubuntu's nginx with the distribution's default site removed, so the
# sites an application script installs are the only ones served.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

keep_default="$(phx_param /keep_default_site false)"
phx_apt_install nginx ssl-cert openssl

changed=0
if [[ "$keep_default" != "true" && -L /etc/nginx/sites-enabled/default ]]; then
  rm -f /etc/nginx/sites-enabled/default
  changed=1
elif [[ "$keep_default" == "true" && ! -e /etc/nginx/sites-enabled/default ]]; then
  ln -s /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
  changed=1
fi

# Security headers and hidden version, shared by every site.
phx_install_file /etc/nginx/conf.d/phx-hardening.conf 0644 <<'CONF'
server_tokens off;
add_header X-Content-Type-Options nosniff always;
add_header X-Frame-Options SAMEORIGIN always;
CONF
[[ $PHX_CHANGED -eq 0 ]] || changed=1

nginx -t >&2
systemctl enable nginx.service >/dev/null
if [[ $changed -eq 1 ]] && systemctl is-active --quiet nginx.service; then
  systemctl reload nginx.service
else
  systemctl start nginx.service
fi
phx_log "nginx done"
