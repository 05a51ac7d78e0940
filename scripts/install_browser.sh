#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (npm run test:browser), if it is not there yet.
# Needs root and Debian's package archive; Playwright's own browser downloads are not used.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_browser.sh: installing chromium needs root (apt-get install chromium)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
