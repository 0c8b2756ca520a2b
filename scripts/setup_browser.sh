#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded).
source "$(dirname "$0")/lib.sh"
if [ -x /usr/bin/chromium ]; then exit 0; fi
command -v apt-get >/dev/null || die "apt-get not found: install Chromium so that /usr/bin/chromium exists."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
say "Installing Chromium from Debian's packages (browser tests)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
