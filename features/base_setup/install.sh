#!/usr/bin/env bash
# base_setup: the common tool set and locale of every Phoenix guest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR/.. source=lib/phx.sh
. ./lib/phx.sh
phx_require_root

locale="$(phx_param /locale en_US.UTF-8)"
timezone="$(phx_param /timezone "")"
mapfile -t extra < <(phx_json_lines "$(phx_param /packages '[]')")

# VMs: a cloud image's first boot runs cloud-init (users, network, apt
# sources) while the guest agent already answers; let it finish first, so
# nothing below races it.
if ! phx_in_container && command -v cloud-init >/dev/null 2>&1; then
  cloud-init status --wait >/dev/null 2>&1 ||
    phx_log "cloud-init finished with errors (cloud-init status --long says which); continuing"
fi

phx_apt_install ca-certificates curl wget gnupg vim htop jq git rsync locales tzdata \
  python3 iproute2 netcat-openbsd psmisc "${extra[@]}"

# Locale: generate it once, make it the default.
if ! locale -a 2>/dev/null | grep -qixF "${locale%%.*}.utf8"; then
  phx_log "generating locale ${locale}"
  locale-gen "${locale}"
fi
phx_install_file /etc/default/locale 0644 <<LOCALE
LANG=${locale}
LC_ALL=${locale}
LOCALE

# Timezone, when asked for.
if [[ -n "$timezone" ]]; then
  [[ -e "/usr/share/zoneinfo/${timezone}" ]] || phx_die "unknown timezone ${timezone}"
  if [[ "$(readlink -f /etc/localtime)" != "/usr/share/zoneinfo/${timezone}" ]]; then
    ln -sf "/usr/share/zoneinfo/${timezone}" /etc/localtime
    printf '%s\n' "$timezone" >/etc/timezone
  fi
fi

# VMs: the cloud image enables ufw rules nobody declared; Proxmox's firewall
# (the entry's `firewall`) is the one source of truth.
if ! phx_in_container && systemctl list-unit-files ufw.service >/dev/null 2>&1; then
  if systemctl is-enabled --quiet ufw 2>/dev/null; then
    phx_log "disabling ufw (the Proxmox firewall is declared in the entry)"
    ufw --force disable >/dev/null 2>&1 || true
    systemctl disable --now ufw >/dev/null 2>&1 || true
  fi
fi

phx_log "base_setup done"
