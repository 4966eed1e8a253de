#!/usr/bin/env bash
# Health check of the Step-CA container (103): the CA answers on its health
# endpoint with the root certificate it published. Runs inside the guest.
set -euo pipefail

ca_url="${1:-https://127.0.0.1:9000}"
root="/etc/step-ca/certs/root_ca.crt"

if [[ ! -f "$root" ]]; then
    echo "check_step_ca: $root is missing" >&2
    exit 1
fi
if ! systemctl is-active --quiet step-ca; then
    echo "check_step_ca: step-ca.service is not active" >&2
    exit 1
fi
step ca health --ca-url "$ca_url" --root "$root"
