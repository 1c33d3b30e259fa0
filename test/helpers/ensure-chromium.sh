#!/usr/bin/env bash
# Makes sure Chromium exists before the tests run (`npm test` calls this from `pretest`): the browser tests
# drive it headless through playwright-core, which downloads no browser of its own (test/helpers/browser.ts).
# On a fresh Debian machine it installs the package with apt-get (as root, or through passwordless sudo).
set -euo pipefail

CHROMIUM="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
echo "Chromium not found at $CHROMIUM; installing it with apt-get (Debian package chromium)"
# shellcheck source=test/helpers/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install chromium "Chromium is missing; install it (apt-get install chromium) or set CHROMIUM_BIN"
