#!/usr/bin/env bash
# Debian packages Hearth needs beside Python: the shared libraries Qt loads (offscreen and
# X11), GMP + a C compiler for py-libp2p's fastecdsa wheel build, and tor (tor and
# tor-gencert: circles over onion services, and the private Tor network the tests run),
# iproute2 (`ip netns`: the partition test's network namespaces), dbus (`dbus-daemon`: the
# notification tests start a private session bus), desktop-file-utils and appstream (the
# packaging tests validate the desktop entry and the AppStream metainfo; `make dist`'s
# PyInstaller uses binutils from build-essential).
# Installs only what is missing; on a non-Debian system it says what to install and
# carries on.
set -euo pipefail

packages=(
  build-essential python3-dev libgmp-dev
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0
  tor
  iproute2
  dbus
  desktop-file-utils appstream
)
if [ "${WITH_XVFB:-0}" = "1" ]; then
  packages+=(xvfb xauth)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; make sure Qt 6's X11 libraries, GMP and tor are installed" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "system-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
