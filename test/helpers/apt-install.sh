#!/usr/bin/env bash
# apt_install PACKAGE: installs a Debian package for the test set-up (as root, or through passwordless
# sudo); sourced by ensure-redis-server.sh and ensure-chromium.sh.
apt_install() {
  local package=$1 sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo -n)
    else
      echo "error: $package is missing and this user cannot install it; run: apt-get install $package" >&2
      exit 1
    fi
  fi
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package"
}
