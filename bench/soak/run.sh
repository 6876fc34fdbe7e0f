#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Soak: badge taps and tickets through a running linli-kiosk --demo under Xvfb,
# memory of its process tree sampled every SAMPLE_EVERY, growth printed.
#   bench/soak/run.sh [TAPS [TICKETS]]      (default 100000 and 10000)
# A tap is a badge number typed as digits and Return (demo mode's card reader).
# TICKET_CLICKS ("X,Y X,Y ...") are the clicks that take one ticket and come
# back home; with TICKETS > 0 they are required. Installs nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
taps=${1:-100000}
tickets=${2:-10000}
build=${BUILD_DIR:-$root/build}
kiosk=${KIOSK:-$build/ui/linli-kiosk}
tool=$build/bench/compare/bench-compare
renderer=${KIOSK_GSK_RENDERER-cairo}

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  exec dbus-run-session -- "$0" "$@"
fi

missing=()
command -v Xvfb >/dev/null || missing+=("Xvfb (apt-get install xvfb)")
[ -x "$tool" ] || missing+=("$tool (apt-get install libx11-dev libxtst-dev; meson compile -C $build)")
[ -x "$kiosk" ] || missing+=("$kiosk (meson compile -C $build)")
if [ "$tickets" -gt 0 ] && [ -z "${TICKET_CLICKS:-}" ]; then
  missing+=("TICKET_CLICKS: linli-kiosk has no ticket-taking screen yet (ui/kiosk-ticket-view.c lists the queues only); run with TICKETS=0, or give the clicks that take one ticket")
fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi

work=$(mktemp -d /tmp/linli-soak.XXXXXX)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

display=90
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do display=$((display + 1)); done
mkdir "$work/fb" "$work/state"
Xvfb ":$display" -screen 0 1080x1920x24 -fbdir "$work/fb" -nolisten tcp -br -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -e "/tmp/.X11-unix/X$display" ] && [ -s "$work/fb/Xvfb_screen0" ] && break
  sleep 0.05
done
[ -s "$work/fb/Xvfb_screen0" ] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$display" TZ=${TZ:-Asia/Shanghai}

kiosk_env=()
[ -n "$renderer" ] && kiosk_env+=("GSK_RENDERER=$renderer")
echo "soak: $taps taps, $tickets tickets; linli-kiosk $(git -C "$root" describe --always --dirty 2>/dev/null)" >&2
"$tool" soak --fb "$work/fb/Xvfb_screen0" --taps "$taps" --tickets "$tickets" \
  --ticket-clicks "${TICKET_CLICKS:-}" --sample-every "${SAMPLE_EVERY:-1000}" -- \
  env "${kiosk_env[@]}" "$kiosk" --demo --state-dir "$work/state" --size 1080x1920
