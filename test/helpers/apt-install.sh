#!/usr/bin/env bash
# Sourced by the ensure-*.sh scripts that `pretest` runs: apt_install PACKAGE HINT installs a Debian
# package with apt-get, as root or through passwordless sudo; without either it prints HINT and fails.
apt_install() {
  local package="$1" hint="$2"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: $hint" >&2
      return 1
    fi
    sudo=(sudo -n)
  fi
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package"
}
