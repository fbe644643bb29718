#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: Chromium, Firefox ESR,
# WebKitGTK (its WebDriver and MiniBrowser, under Xvfb), and
# lighttpd and Apache as WebDAV remotes, and faketime for the wrong-clock spec. Does nothing when they are present.
set -euo pipefail

packages=(chromium firefox-esr webkit2gtk-driver xvfb lighttpd lighttpd-mod-webdav lighttpd-modules-lua apache2 apache2-utils faketime)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

# The tests start their own servers; keep the packages' system services from starting during install.
created_policy=false
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=true
fi
trap '[ "$created_policy" = true ] && rm -f /usr/sbin/policy-rc.d' EXIT

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
