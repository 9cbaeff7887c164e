#!/usr/bin/env bash
# Build the packaged Box Office (a PyInstaller one-directory app, dist/boxoffice/boxoffice), then check
# the bundle as a cashier's machine would run it: --version, --help, --selftest (embedded sandbox,
# member sign-in through the real web view, a card purchase), the window started on a station folder
# (--screenshot: events listed), and that running it wrote nothing inside the bundle (settings,
# journal and logs go to BOXOFFICE_HOME). Any failure exits non-zero. Prints the build time, the bundle size and the
# self-test time.
#
#   packaging/build.sh              build and check
#   packaging/build.sh --tarball    also pack dist/boxoffice-VERSION-linux-ARCH.tar.gz
#
# Needs the project installed with its packaging extra (see the README):
#   python3 -m venv .venv && .venv/bin/pip install -q -e ".[package]"
set -euo pipefail
cd "$(dirname "$0")/.."

TARBALL=0
for arg in "$@"; do
  case "$arg" in
    --tarball) TARBALL=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: PyInstaller is missing; install the packaging extra: $PY -m pip install -e \".[package]\"" >&2
  exit 2
fi
VERSION="$("$PY" -c 'import app; print(app.__version__)')"
BUNDLE=dist/boxoffice

echo "== building Box Office $VERSION with PyInstaller $("$PY" -m PyInstaller --version)"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller pyinstaller.spec
build_seconds=$(( $(date +%s) - start ))

# QtWebEngine makes an empty resources/locales folder beside its .pak files the first time a web
# view starts (from a source checkout too); shipped with the bundle, a run writes nothing inside it.
mkdir -p "$BUNDLE/_internal/PySide6/Qt/resources/locales"

# The desktop entry and the icon, laid out as in a prefix (share/…), for packaging/install-desktop.sh.
mkdir -p "$BUNDLE/share/applications"
cp packaging/boxoffice.desktop "$BUNDLE/share/applications/"
for png in resources/icons/boxoffice-*.png; do
  size="${png##*-}"; size="${size%.png}"
  mkdir -p "$BUNDLE/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$BUNDLE/share/icons/hicolor/${size}x${size}/apps/boxoffice.png"
done
mkdir -p "$BUNDLE/share/icons/hicolor/scalable/apps"
cp resources/icons/boxoffice.svg "$BUNDLE/share/icons/hicolor/scalable/apps/boxoffice.svg"
cp packaging/install-desktop.sh "$BUNDLE/"

echo "== checking the bundle"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if [ "$(id -u)" = "0" ]; then  # Chromium refuses to run its sandbox as root
  export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox --disable-gpu}"
fi
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export BOXOFFICE_HOME="$home/station"
marker="$home/marker"
touch "$marker"
sleep 1  # file times have a one-second grain on some file systems

shown="$("$BUNDLE/boxoffice" --version)"
case "$shown" in
  *"$VERSION"*) echo "--version: $shown" ;;
  *) echo "build.sh: --version printed '$shown', expected $VERSION" >&2; exit 1 ;;
esac
"$BUNDLE/boxoffice" --help >/dev/null
echo "--help: ok"

start=$(date +%s)
if ! out="$("$BUNDLE/boxoffice" --selftest 2>&1)"; then
  echo "$out" >&2
  echo "build.sh: the bundle's self-test failed" >&2
  exit 1
fi
selftest_seconds=$(( $(date +%s) - start ))
echo "$out" | tail -n 3
case "$out" in
  *"selftest ok"*) ;;
  *) echo "build.sh: the self-test did not say 'selftest ok'" >&2; exit 1 ;;
esac

# The window as a cashier starts it (embedded sandbox, events listed), on the station folder.
if ! "$BUNDLE/boxoffice" --screenshot "$home/window.png" >/dev/null 2>"$home/screenshot.err"; then
  cat "$home/screenshot.err" >&2
  echo "build.sh: the bundle's window did not start and list the events" >&2
  exit 1
fi
echo "window: started, events listed"

written="$(find "$BUNDLE" -newer "$marker" | head -n 20)"
if [ -n "$written" ]; then
  echo "build.sh: running the app wrote inside the bundle:" >&2
  echo "$written" >&2
  exit 1
fi
if [ ! -s "$BOXOFFICE_HOME/data/journal.sqlite3" ] || [ ! -s "$BOXOFFICE_HOME/logs/boxoffice.log" ]; then
  echo "build.sh: the window left no journal or log in BOXOFFICE_HOME ($BOXOFFICE_HOME)" >&2
  exit 1
fi
echo "writes only to BOXOFFICE_HOME: ok"

if [ "$TARBALL" = 1 ]; then
  tarball="dist/boxoffice-$VERSION-linux-$(uname -m).tar.gz"
  tar -czf "$tarball" -C dist boxoffice
  echo "tarball: $tarball ($(du -h "$tarball" | cut -f1))"
fi

echo "== built $BUNDLE in ${build_seconds}s; bundle $(du -sh "$BUNDLE" | cut -f1); self-test ${selftest_seconds}s"
