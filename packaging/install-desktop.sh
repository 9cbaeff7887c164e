#!/usr/bin/env bash
# Put Box Office in the desktop's application menu for the current user: the desktop entry (pointing
# at this bundle's boxoffice) and its icons go to ~/.local/share (XDG_DATA_HOME). Run it from the
# unpacked bundle: ./install-desktop.sh   (./install-desktop.sh --remove takes them away again).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/boxoffice.desktop"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry"
  find "$data/icons/hicolor" -path '*/apps/boxoffice.*' -delete 2>/dev/null || true
  echo "Removed Box Office from the application menu."
  exit 0
fi
if [ ! -x "$here/boxoffice" ] || [ ! -d "$here/share" ]; then
  echo "install-desktop.sh: run it from the unpacked Box Office folder (boxoffice and share/ beside it)" >&2
  exit 1
fi
mkdir -p "$data/applications"
cp -r "$here/share/icons" "$data/"
sed "s|^Exec=.*|Exec=\"$here/boxoffice\"|" "$here/share/applications/boxoffice.desktop" > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Box Office is in the application menu ($entry)."
