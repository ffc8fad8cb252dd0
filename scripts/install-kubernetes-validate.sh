#!/usr/bin/env bash
# kubernetes-validate (PyPI) in a venv under .work/venv, for the ship tests'
# strict validation of examples/kubernetes. It carries the API schemas of every
# Kubernetes version it knows, so it validates offline. Idempotent: does nothing
# when the pinned version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.work/venv"
version=1.37.0
if [ -x "$venv/bin/kubernetes-validate" ] &&
  "$venv/bin/python" -m pip show kubernetes-validate 2>/dev/null | grep -qx "Version: $version"; then
  exit 0
fi
python=$(command -v python3 || true)
if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "python3 with venv is missing (install python3-venv, or run as root)"; exit 1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 python3-venv
  python=$(command -v python3)
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "kubernetes-validate==$version"
