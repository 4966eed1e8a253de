#!/usr/bin/env bash
# Smoke test: the container answers with a hostname. Run by `phx test`
# inside the guest from a pushed copy of this folder; PHX_ID is the CTID.
set -euo pipefail
name=$(hostname)
if [[ -z "$name" ]]; then
    echo "no hostname in CT ${PHX_ID:-?}" >&2
    exit 1
fi
echo "CT ${PHX_ID:-?} is $name"
