#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Soak: badge taps and tickets through a running linli-kiosk --demo under Xvfb,
# by its demo input path on the session bus (org.linli.Kiosk.Demo); memory of
# its process tree and the size of its state folder sampled every
# SAMPLE_EVERY inputs, growth printed, bench/soak/RESULTS.md rewritten.
#   bench/soak/run.sh [TAPS [TICKETS]]      (default 100000 and 10000)
# SAMPLE_EVERY (1000), WARM (1000 inputs), FRAME_EVERY (10: every tenth tap
# also waits for the frame that shows its answer), LOOK_EVERY (20: every
# twentieth ticket waits for a frame of each screen between its taps; the
# others tap through to the service), STATE_DIR (a new folder under /tmp),
# RESULTS (bench/soak/RESULTS.md; empty: none), KIOSK_ENV ("VAR=value ...",
# e.g. G_SLICE=always-malloc). Installs nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
taps=${1:-100000}
tickets=${2:-10000}
build=${BUILD_DIR:-$root/build}
kiosk=${KIOSK:-$build/ui/linli-kiosk}
tool=$build/bench/compare/bench-compare
renderer=${KIOSK_GSK_RENDERER-cairo}
results=${RESULTS-$here/RESULTS.md}

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  exec dbus-run-session -- "$0" "$@"
fi

missing=()
command -v Xvfb >/dev/null || missing+=("Xvfb (apt-get install xvfb)")
command -v python3 >/dev/null || missing+=("python3")
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || missing+=("a D-Bus session bus (apt-get install dbus)")
[ -x "$tool" ] || missing+=("$tool (apt-get install libx11-dev libxtst-dev; meson compile -C $build)")
[ -x "$kiosk" ] || missing+=("$kiosk (meson compile -C $build)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi

work=$(mktemp -d /tmp/linli-soak.XXXXXX)
state=${STATE_DIR:-$work/state}
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

display=90
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do display=$((display + 1)); done
mkdir -p "$work/fb" "$state"
Xvfb ":$display" -screen 0 1080x1920x24 -fbdir "$work/fb" -nolisten tcp -br -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -e "/tmp/.X11-unix/X$display" ] && [ -s "$work/fb/Xvfb_screen0" ] && break
  sleep 0.05
done
[ -s "$work/fb/Xvfb_screen0" ] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$display" TZ=${TZ:-Asia/Shanghai}

# The default content open round the clock, and 20,000 members (the badges tapped).
python3 "$here/soak-content.py" "$root/assets/content/default" "$work/soak" 20000

kiosk_env=()
[ -n "$renderer" ] && kiosk_env+=("GSK_RENDERER=$renderer")
read -r -a extra_env <<<"${KIOSK_ENV:-}"
kiosk_env+=("${extra_env[@]}")
version=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
echo "soak: $taps taps, $tickets tickets; linli-kiosk $version; state in $state" >&2
"$tool" soak --fb "$work/fb/Xvfb_screen0" --taps "$taps" --tickets "$tickets" \
  --sample-every "${SAMPLE_EVERY:-1000}" --warm "${WARM:-1000}" --frame-every "${FRAME_EVERY:-10}" \
  --look-every "${LOOK_EVERY:-20}" \
  --state-dir "$state" -- \
  env "${kiosk_env[@]}" "$kiosk" --demo --config "$work/soak/kiosk.conf" --content "$work/soak/content" \
  --state-dir "$state" --size 1080x1920 | tee "$work/soak.txt"

if [ -n "$results" ]; then
  gtk_version="GTK $(pkg-config --modversion gtk4 2>/dev/null || echo unknown) (GSK_RENDERER=${renderer:-default})"
  python3 "$here/report.py" --out "$results" --command "bench/soak/run.sh $taps $tickets" \
    --versions "linli-kiosk $version, $gtk_version" --env "${KIOSK_ENV:-}" \
    --frame-every "${FRAME_EVERY:-10}" --look-every "${LOOK_EVERY:-20}" "$work/soak.txt"
  echo "wrote $results" >&2
fi
