#!/bin/sh
# Installs the Hearth bundle from this folder for the current user (or, run as root, for
# everyone): the app in ~/.local/opt/hearth (/opt/hearth), the `peerapp` command in
# ~/.local/bin (/usr/local/bin), and Hearth in the applications menu.
#   ./install.sh [--user | --system]              install or update
#   ./install.sh [--user | --system] --uninstall  remove (profiles are kept)
# --user is the default, --system when run as root. PREFIX=DIR installs the app in
# DIR/hearth instead.
set -eu

here=$(dirname "$(readlink -f "$0")")
scope=user
[ "$(id -u)" -eq 0 ] && scope=system
action=install
for argument in "$@"; do
  case "$argument" in
    --user) scope=user ;;
    --system) scope=system ;;
    --uninstall) action=uninstall ;;
    *) echo "install.sh: unknown option $argument (--user, --system, --uninstall)" >&2; exit 2 ;;
  esac
done
if [ "$scope" = system ]; then
  prefix=${PREFIX:-/opt}
  bin=/usr/local/bin
  data=/usr/local/share
else
  prefix=${PREFIX:-${HOME}/.local/opt}
  bin=${HOME}/.local/bin
  data=${XDG_DATA_HOME:-${HOME}/.local/share}
fi
target=$prefix/hearth
app_id=org.peerapp.Hearth

if [ "$action" = uninstall ]; then
  rm -rf "$target"
  rm -f "$bin/peerapp" "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml"
  rm -f "$data"/icons/hicolor/*/apps/"$app_id".png "$data/icons/hicolor/scalable/apps/$app_id.svg"
  echo "Hearth is uninstalled (your profile in ~/.local/share/hearth is kept)."
  exit 0
fi

if [ ! -x "$here/peerapp/peerapp" ]; then
  echo "install.sh: run it from the unpacked Hearth folder (peerapp/peerapp is missing)" >&2
  exit 1
fi
echo "Installing Hearth into $target"
mkdir -p "$prefix" "$bin"
rm -rf "$target.new"
cp -a "$here/peerapp" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"
ln -sf "$target/peerapp" "$bin/peerapp"
# the desktop entry, icons and metadata: the app writes them itself, naming its own path
XDG_DATA_HOME=$data "$target/peerapp" --install-desktop-entry
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "Add $bin to your PATH to start Hearth as \`peerapp\` from a terminal." ;;
esac
