#!/usr/bin/env bash
# AppImage recipe: the PyInstaller bundle `make dist` builds (Python, Qt, the crisis data
# and its own tor), laid out as an AppDir and packed with appimagetool. Not run in CI:
# appimagetool is not a Debian package and is fetched from its release page, which this
# project's machines cannot reach. On a machine that can:
#   make dist
#   wget https://github.com/AppImage/appimagetool/releases/download/continuous/appimagetool-x86_64.AppImage
#   chmod +x appimagetool-x86_64.AppImage
#   APPIMAGETOOL=./appimagetool-x86_64.AppImage bash packaging/appimage/build-appimage.sh
# Reproducible like the tarball: SOURCE_DATE_EPOCH is passed on (appimagetool's squashfs
# honours it).
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=build/dist/bundle/peerapp
[ -x "$bundle/peerapp" ] || { echo "run \`make dist\` first ($bundle is missing)" >&2; exit 1; }
appdir=build/appimage/Hearth.AppDir
rm -rf "$appdir"
mkdir -p "$appdir/usr/share/applications" "$appdir/usr/share/metainfo"
cp -a "$bundle" "$appdir/usr/lib-hearth"
cp peerapp/resources/hearth.desktop "$appdir/org.peerapp.Hearth.desktop"
cp peerapp/resources/hearth.desktop "$appdir/usr/share/applications/org.peerapp.Hearth.desktop"
cp peerapp/resources/org.peerapp.Hearth.metainfo.xml "$appdir/usr/share/metainfo/"
cp peerapp/resources/icons/hicolor/256x256/apps/org.peerapp.Hearth.png "$appdir/org.peerapp.Hearth.png"
ln -s org.peerapp.Hearth.png "$appdir/.DirIcon"
cat > "$appdir/AppRun" <<'RUN'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
exec "$here/usr/lib-hearth/peerapp" "$@"
RUN
chmod +x "$appdir/AppRun"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
"${APPIMAGETOOL:-appimagetool}" "$appdir" "dist/Hearth-$(python3 -c 'import re;print(re.search(r"__version__ = \"(.*)\"", open("peerapp/__init__.py").read())[1])')-x86_64.AppImage"
