# shellcheck shell=bash
# phx.sh: the helpers every phx feature and application script sources as
# ./lib/phx.sh. features/lib/ is shared: phx pushes it into each feature's and
# app's run folder as lib/, and its files are inputs of every such target.
#
# The run contract (DESIGN.md §1): cwd is the copied folder, we run as root,
# and the environment holds PHX_ID, PHX_ENTRY, PHX_PARAMS, PHX_GPUS and
# PHX_ARTIFACTS. JSON is read with python3 (Ubuntu 24.04 ships it; jq does not).

PHX_APT_UPDATED=0
PHX_CHANGED=0
export DEBIAN_FRONTEND=noninteractive

phx_log() { printf '[phx %s] %s\n' "${PHX_ID:-?}" "$*" >&2; }
phx_die() { phx_log "error: $*"; exit 1; }

# phx_json FILE POINTER [DEFAULT]: the value at a JSON pointer (RFC 6901).
# Strings print raw, numbers and booleans as JSON (true/false), objects and
# arrays as compact JSON. A missing value or null prints DEFAULT when one is
# given, else fails.
phx_json() {
  local file="$1" pointer="$2"
  local has_default=0 default=""
  if [[ $# -ge 3 ]]; then has_default=1; default="$3"; fi
  python3 - "$file" "$pointer" "$has_default" "$default" <<'PY'
import json, sys
path, pointer, has_default, default = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
with open(path, encoding="utf-8") as f:
    value = json.load(f)
found = True
if pointer not in ("", "/"):
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            found = False
            break
if not found or value is None:
    if has_default:
        sys.stdout.write(default)
        sys.exit(0)
    sys.stderr.write(f"{path}: no value at {pointer}\n")
    sys.exit(3)
if isinstance(value, str):
    sys.stdout.write(value)
elif isinstance(value, (dict, list, bool, int, float)):
    sys.stdout.write(json.dumps(value, separators=(",", ":"), sort_keys=True))
PY
}

# Shorthands for the entry and the params.
phx_entry() { phx_json "${PHX_ENTRY:?PHX_ENTRY is not set}" "$@"; }
phx_param() {
  if [[ -z "${PHX_PARAMS:-}" || ! -s "${PHX_PARAMS}" ]]; then
    if [[ $# -ge 2 ]]; then printf '%s' "$2"; return 0; fi
    phx_die "no params file and no default for $1"
  fi
  phx_json "$PHX_PARAMS" "$@"
}

# phx_json_lines JSON_ARRAY_TEXT: one item per line (strings raw).
phx_json_lines() {
  python3 -c '
import json, sys
for item in json.loads(sys.argv[1] or "[]"):
    print(item if isinstance(item, str) else json.dumps(item))
' "$1"
}

phx_require_root() { [[ "$(id -u)" -eq 0 ]] || phx_die "must run as root"; }

phx_in_container() { systemd-detect-virt --container --quiet 2>/dev/null; }

# Wait for other apt/dpkg users (cloud-init, unattended-upgrades) to finish.
phx_wait_apt_lock() {
  local tries=0
  while fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock /var/lib/dpkg/lock >/dev/null 2>&1; do
    tries=$((tries + 1))
    [[ $tries -le 180 ]] || phx_die "apt is still locked after 15 minutes"
    sleep 5
  done
}

phx_apt_update() {
  phx_wait_apt_lock
  apt-get update -q
  PHX_APT_UPDATED=1
}

# phx_apt_install PKG...: installs the packages not installed yet.
phx_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  [[ $PHX_APT_UPDATED -eq 1 ]] || phx_apt_update
  phx_log "apt install ${missing[*]}"
  phx_wait_apt_lock
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# phx_install_file DEST MODE < CONTENT: writes DEST only when its content
# differs, atomically; sets PHX_CHANGED=1 when it wrote, 0 otherwise.
phx_install_file() {
  local dest="$1" mode="$2" tmp
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp "${dest}.phx.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f "$dest" ]] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    PHX_CHANGED=0
  else
    mv -f "$tmp" "$dest"
    PHX_CHANGED=1
  fi
}

# phx_download URL DEST: downloads to DEST (via a temporary file) unless present.
phx_download() {
  local url="$1" dest="$2"
  [[ -s "$dest" ]] && return 0
  mkdir -p "$(dirname "$dest")"
  phx_log "downloading $url"
  curl -fsSL --retry 5 --retry-delay 3 -o "${dest}.part" "$url"
  mv -f "${dest}.part" "$dest"
}

# phx_apt_repo NAME KEY_URL DEB_LINE_WITHOUT_SIGNED_BY: installs a keyring in
# /etc/apt/keyrings/NAME.asc and a one-line source list that references it.
# DEB_LINE is "URI SUITE COMPONENTS". Forces an apt update when either changed.
phx_apt_repo() {
  local name="$1" key_url="$2" line="$3" arch key
  phx_apt_install ca-certificates curl
  arch="$(dpkg --print-architecture)"
  key="/etc/apt/keyrings/${name}.asc"
  install -m 0755 -d /etc/apt/keyrings
  if [[ ! -s "$key" ]]; then
    curl -fsSL --retry 5 -o "${key}.part" "$key_url"
    chmod 0644 "${key}.part"
    mv -f "${key}.part" "$key"
    PHX_APT_UPDATED=0
  fi
  phx_install_file "/etc/apt/sources.list.d/${name}.list" 0644 <<LIST
deb [arch=${arch} signed-by=${key}] ${line}
LIST
  if [[ $PHX_CHANGED -eq 1 ]]; then PHX_APT_UPDATED=0; fi
}

# phx_systemd_apply UNIT CHANGED: reloads systemd, enables UNIT, restarts it
# when CHANGED is 1 (its unit or config changed), else only makes sure it runs.
phx_systemd_apply() {
  local unit="$1" changed="$2"
  systemctl daemon-reload
  systemctl enable "$unit" >/dev/null
  if [[ "$changed" -eq 1 ]]; then
    systemctl restart "$unit"
  else
    systemctl start "$unit"
  fi
}

# phx_wait_http URL [SECONDS] [CURL_ARGS...]: polls until URL answers 2xx.
phx_wait_http() {
  local url="$1" seconds="${2:-120}" waited=0
  shift 2 || shift $#
  until curl -fsS -o /dev/null "$@" "$url"; do
    waited=$((waited + 2))
    [[ $waited -le $seconds ]] || return 1
    sleep 2
  done
}

# phx_entry_ip: the entry's IPv4 address without its prefix length ("" for dhcp).
phx_entry_ip() {
  local ip
  ip="$(phx_entry /network_config/ip "")"
  [[ "$ip" == "dhcp" ]] && ip=""
  printf '%s' "${ip%%/*}"
}
