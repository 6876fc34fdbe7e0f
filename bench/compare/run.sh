#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# linli-kiosk against the same home screen in Chromium's kiosk mode, under Xvfb:
# time to the first frame of the home screen, memory of the whole process tree
# after 10 s, and click-to-frame latency, RUNS times each, alternating.
# Prints medians and ratios and rewrites bench/compare/RESULTS.md.
#   bench/compare/run.sh [RUNS]           (default 5)
# Environment: BUILD_DIR (default build), CLICKS per run (default 20),
# KIOSK (default $BUILD_DIR/ui/linli-kiosk), CHROMIUM (default chromium),
# KIOSK_GSK_RENDERER (default cairo: software, as Chromium's --disable-gpu; "" lets GTK choose).
# Installs nothing: says what is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-5}
build=${BUILD_DIR:-$root/build}
clicks=${CLICKS:-20}
kiosk=${KIOSK:-$build/ui/linli-kiosk}
chromium=${CHROMIUM:-chromium}
renderer=${KIOSK_GSK_RENDERER-cairo}
kiosk_env=()
[ -n "$renderer" ] && kiosk_env+=("GSK_RENDERER=$renderer")
tool=$build/bench/compare/bench-compare
# The language toggle, bottom left in both: the click that the latency figure times.
toggle=280,1846

case $runs in '' | *[!0-9]* | 0) echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac

# One session bus for both programs, outside the measured trees.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  exec dbus-run-session -- "$0" "$@"
fi

missing=()
command -v Xvfb >/dev/null || missing+=("Xvfb (apt-get install xvfb)")
command -v "$chromium" >/dev/null || missing+=("chromium (apt-get install chromium)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
[ -n "$(fc-list 'Noto Sans CJK SC' family 2>/dev/null)" ] || missing+=("Noto Sans CJK SC (apt-get install fonts-noto-cjk)")
if [ ! -f "$build/build.ninja" ]; then
  missing+=("a build in $build (meson setup $build)")
else
  # Measure the code as it is now.
  meson compile -C "$build" >/dev/null
  [ -x "$tool" ] || missing+=("$tool (apt-get install libx11-dev libxtst-dev, then meson setup --reconfigure $build)")
  [ -x "$kiosk" ] || missing+=("$kiosk (the kiosk's GTK app, ui/)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi

work=$(mktemp -d /tmp/linli-compare.XXXXXX)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A free display number, then Xvfb with its screen as a memory-mapped XWD file.
display=90
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do display=$((display + 1)); done
mkdir "$work/fb"
Xvfb ":$display" -screen 0 1080x1920x24 -fbdir "$work/fb" -nolisten tcp -br -noreset \
  >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -e "/tmp/.X11-unix/X$display" ] && [ -s "$work/fb/Xvfb_screen0" ] && break
  sleep 0.05
done
[ -s "$work/fb/Xvfb_screen0" ] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$display"
# The same for both: the centre's time zone, no accessibility bus to start.
export TZ=${TZ:-Asia/Shanghai} NO_AT_BRIDGE=1

# Chromium 156 takes --headless=no as "headless" (its zygote gets --ozone-platform=headless and
# nothing reaches the screen): ask for X11 instead. With no window manager, --kiosk cannot
# go full screen by itself: give it the screen's size and place.
chromium_x11=(--ozone-platform=x11 --window-position=0,0 --window-size=1080,1920)

mkdir "$work/out"
for i in $(seq "$runs"); do
  state=$(mktemp -d "$work/kiosk.XXXXXX")
  echo "run $i/$runs: linli-kiosk" >&2
  "$tool" start --fb "$work/fb/Xvfb_screen0" --clicks "$clicks" --click-at "$toggle" -- \
    env "${kiosk_env[@]}" LINLI_KIOSK_TRACE="$state/trace" "$kiosk" --demo --state-dir "$state" --size 1080x1920 \
    >"$work/out/kiosk-$i.txt" 2>"$work/out/kiosk-$i.err" || echo "  (no home screen: see below)" >&2
  if [ -s "$state/trace" ]; then
    "$tool" trace "$state/trace" >>"$work/out/kiosk-$i.txt"
  fi

  profile=$(mktemp -d "$work/chromium.XXXXXX")
  echo "run $i/$runs: chromium" >&2
  "$tool" start --fb "$work/fb/Xvfb_screen0" --clicks "$clicks" --click-at "$toggle" -- \
    "$chromium" --kiosk "${chromium_x11[@]}" --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "file://$here/home.html" \
    >"$work/out/chromium-$i.txt" 2>"$work/out/chromium-$i.err" || echo "  (no home screen: see below)" >&2
done

for f in "$work"/out/*.txt; do
  if grep -q '^first_frame_ms=-1' "$f"; then
    echo "== ${f%.txt}.err" >&2
    tail -20 "${f%.txt}.err" >&2
  fi
done

kiosk_version="linli-kiosk $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
gtk_version="GTK $(pkg-config --modversion gtk4 2>/dev/null || echo unknown) (GSK_RENDERER=${renderer:-default})"
chromium_version=$("$chromium" --version 2>/dev/null | head -1)
xvfb_version="Xvfb $(dpkg-query -W -f='${Version}' xvfb 2>/dev/null || echo unknown)"
python3 "$here/report.py" --out "$here/RESULTS.md" --runs "$runs" \
  --versions "$kiosk_version, $gtk_version; $chromium_version; $xvfb_version" \
  --command "bench/compare/run.sh $runs" "$work/out"
