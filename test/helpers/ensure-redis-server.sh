#!/usr/bin/env bash
# Makes sure the redis-server binary exists before the tests run (`npm test` calls this as `pretest`).
# The tests start private redis-server instances on free ports; they never use a running Redis.
# On a fresh Debian machine it installs the package with apt-get (as root, or through passwordless sudo);
# set REDIS_SERVER_BIN to use another binary.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 || [ -n "${REDIS_SERVER_BIN:-}" ]; then
  exit 0
fi
echo "redis-server not found on PATH; installing it with apt-get (Debian package redis-server)"
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install redis-server
