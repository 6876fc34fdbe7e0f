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
shot guide-en --lang en --size 1080x1920 --screen guide
shot fitness-zh --lang zh --size 1080x1920 --screen fitness
