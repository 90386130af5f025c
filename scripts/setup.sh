#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: apt packages, then pip packages.
# Usage: setup.sh APT_PACKAGE... -- PIP_PACKAGE...
set -euo pipefail
apt_packages=()
pip_packages=()
target=apt
for arg in "$@"; do
  if [ "$arg" = "--" ]; then target=pip; continue; fi
  if [ "$target" = apt ]; then apt_packages+=("$arg"); else pip_packages+=("$arg"); fi
done

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's redis-server package starts a system service where it can; the tests start their own.
fi

missing=()
for package in "${pip_packages[@]}"; do
  name="${package%%[*}"
  python3 -m pip show -q "$name" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: pip installing ${missing[*]}" >&2
  python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
fi
