#!/bin/sh
# Smoke test: the container answers with a hostname. Run by `phx test`
# inside the guest from a pushed copy of this folder; PHX_ID is the CTID.
set -eu
name=$(hostname)
[ -n "$name" ] || { echo "no hostname in CT ${PHX_ID:-?}" >&2; exit 1; }
echo "CT ${PHX_ID:-?} is $name"
