#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary root, lists every file, checks that the
# appliance's pieces are in place, then verifies the systemd units and prints
# the kiosk unit's security exposure (must be 2.5 or less).
set -euo pipefail
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --quiet --no-rebuild
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')

echo "# installed files:"
(cd "$dest" && find . -type f -o -type l | sort | sed 's/^\./# /')

missing=0
while read -r f; do
  [ -z "$f" ] && continue
  if [ ! -e "$dest$prefix/$f" ]; then echo "# MISSING: $prefix/$f"; missing=1; fi
done <<EOL
bin/linli-kiosk
bin/linli-hub
lib/systemd/system/linli-kiosk.service
lib/systemd/system/linli-kiosk-safe-mode.service
lib/systemd/system/linli-kiosk-recover.service
lib/systemd/system/linli-kiosk-recover.timer
lib/systemd/system/linli-hub.service
lib/sysusers.d/linli-kiosk.conf
lib/sysusers.d/linli-hub.conf
lib/tmpfiles.d/linli-kiosk.conf
lib/modules-load.d/linli-kiosk.conf
share/linli-kiosk/content/default/manifest.json
share/linli-kiosk/kiosk.conf.example
share/linli-hub/linli-hub.conf.example
share/locale/zh_CN/LC_MESSAGES/linli-kiosk.mo
share/man/man1/linli-kiosk.1
share/man/man1/linli-hub.1
share/man/man1/linli-content.1
EOL
[ $missing -eq 0 ] || exit 1

command -v systemd-analyze >/dev/null || { echo "# SKIP: no systemd-analyze"; exit 77; }
units=$(mktemp -d)
trap 'rm -rf "$dest" "$units"' EXIT
for u in "$dest$prefix"/lib/systemd/system/*.service "$dest$prefix"/lib/systemd/system/*.timer; do
  # Point ExecStart at the binaries just installed, so verify checks them.
  sed "s|$prefix/bin/|$dest$prefix/bin/|g" "$u" > "$units/$(basename "$u")"
done
echo "# systemd-analyze verify:"
# MANPATH: the Documentation= man pages are checked against the ones just installed.
out=$(cd "$units" && MANPATH="$dest$prefix/share/man" systemd-analyze verify ./*.service ./*.timer 2>&1 || true)
echo "$out" | sed 's/^/# /'
# Only our units' own complaints count (the host may lack units we order after).
if echo "$out" | grep -E '^linli-' | grep -v 'not found' | grep -q .; then exit 1; fi

echo "# systemd-analyze security linli-kiosk.service:"
sec=$(systemd-analyze security --offline=true "$units/linli-kiosk.service" 2>&1)
echo "$sec" | sed 's/^/# /'
level=$(echo "$sec" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "# exposure: $level"
awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 2.5) }'
