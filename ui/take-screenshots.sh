#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders the README's screenshots with the kiosk itself under Xvfb:
#   meson compile -C build screenshots
set -eu
kiosk=$1
src=$2
out="$src/docs/screenshots"
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$out"
shot() {
  name=$1; shift
  xvfb-run -a -s "-screen 0 1920x1920x24" env GSK_RENDERER=cairo \
    "$kiosk" --state-dir "$state" --content "$src/assets/content/default" --screenshot "$out/$name.png" "$@"
  echo "$out/$name.png"
}
shot home-zh --lang zh --size 1080x1920
shot home-en --lang en --size 1080x1920
shot home-landscape-zh --lang zh --size 1920x1080
shot home-large-text-zh --lang zh --size 1080x1920 --large-text
shot home-large-text-en --lang en --size 1080x1920 --large-text
shot guide-en --lang en --size 1080x1920 --screen guide
shot fitness-zh --lang zh --size 1080x1920 --screen fitness

# Take a number, on a Monday: the flow as a finger drives it, with a demo
# state each (its own key, slips into a folder) that the trap above removes.
queue() {
  name=$1; at=$2; shift 2
  shot "$name" --state-dir "$state/$name" --demo --clock-at "2026-11-23T$at" --size 1080x1920 --press kiosk.show::ticket "$@"
}
queue queue-services-zh 10:00:00 --lang zh --press ticket.category::residence
queue queue-services-large-text-en 10:00:00 --lang en --large-text --press ticket.category::residence
queue queue-ticket-zh 10:00:00 --lang zh --press ticket.category::residence --press ticket.service::residence-permit
queue queue-ticket-en 10:00:00 --lang en --press ticket.category::residence --press ticket.service::residence-permit
queue queue-ticket-large-text-zh 10:00:00 --lang zh --large-text --press ticket.category::residence \
  --press ticket.service::residence-permit
queue queue-refused-zh 12:10:00 --lang zh --press ticket.category::residence --press ticket.service::residence-permit
# The club door's answers and the staff panel need a card tapped and a PIN
# typed: the UI test drives the kiosk there and saves them.
fitness_test="$(dirname "$kiosk")/../tests/test-ui-fitness"
if [ -x "$fitness_test" ]; then
  xvfb-run -a -s "-screen 0 1920x1920x24" env KIOSK_SCREENSHOT_DIR="$out" KIOSK_SOURCE_ROOT="$src" \
    TZ=Asia/Shanghai LC_ALL=C.UTF-8 "$fitness_test" -p /kiosk/ui/fitness/screenshots >/dev/null
  echo "$out/fitness-granted-zh.png $out/fitness-denied-zh.png $out/staff-pin-zh.png $out/staff-panel-zh.png"
else
  echo "build tests/test-ui-fitness first for the fitness screenshots" >&2
fi
# "Now serving" with calls on the bar, in each language and text size, and the
# ticket page when the slip did not print: the layout tests drive the kiosk
# there (calls applied as the sync applies them, a printer that is not there).
tests="$(dirname "$kiosk")/../tests"
for test in test-ui-serving-bar test-ui-layout; do
  if [ -x "$tests/$test" ]; then
    xvfb-run -a -s "-screen 0 1920x1920x24" env KIOSK_SCREENSHOT_DIR="$out" KIOSK_SOURCE_ROOT="$src" \
      KIOSK_BUILD_ROOT="$(dirname "$kiosk")/.." TZ=Asia/Shanghai LC_ALL=C.UTF-8 GSK_RENDERER=cairo GTK_A11Y=test \
      "$tests/$test" >/dev/null
  else
    echo "build tests/$test first for its screenshots" >&2
  fi
done
echo "$out/home-now-serving-zh.png $out/home-now-serving-en.png $out/home-now-serving-large-text-zh.png" \
  "$out/home-now-serving-large-text-en.png $out/queue-print-failed-zh.png $out/queue-print-failed-large-text-en.png"
