#!/usr/bin/env bash
# Makes sure Debian's Chromium exists before the tests run (`npm test` calls this in `pretest`): the page
# tests drive it with playwright-core. A browser download (npx playwright install) cannot work here, so it
# installs the Debian package with apt-get (as root, or through passwordless sudo); set CHROMIUM_PATH to
# use another binary.
set -euo pipefail

if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
echo "chromium not found; installing it with apt-get (Debian package chromium)"
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install chromium
