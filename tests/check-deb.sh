#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages with scripts/build-deb.sh into a temporary
# directory and checks them: every file of both packages against the lists
# below, the kiosk's conffile, the maintainer scripts (users and tmpfiles made,
# no unit enabled on installation), the run-time dependencies, and that
# nothing was written next to the source tree. Prints lintian's findings
# (errors and warnings fail the test). TAP; skipped without
# dpkg-buildpackage or debhelper.
set -euo pipefail
src=$1
command -v dpkg-buildpackage >/dev/null || { echo "1..0 # SKIP dpkg-buildpackage not installed (dpkg-dev)"; exit 0; }
command -v dh >/dev/null || { echo "1..0 # SKIP debhelper not installed"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
parent=$(dirname "$src")
touch "$work/start"

echo "1..8"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
failed=0

# The core suite runs on its own in the test command: not again here.
if DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" DPKG_BUILDPACKAGE_ARGS="-Pnocheck" \
  "$src/scripts/build-deb.sh" "$work/out" > "$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b from a copy of the tree"
else
  sed 's/^/# /' "$work/build.log" | tail -60
  not_ok "dpkg-buildpackage -us -uc -b from a copy of the tree"
  exit 1
fi

# dpkg-buildpackage writes to the parent of the tree it builds: that must not
# have been this tree.
stray=$(find "$parent" -maxdepth 1 -newer "$work/start" \
  \( -name 'linli-*.deb' -o -name 'linli-*.changes' -o -name 'linli-*.buildinfo' \) 2>/dev/null)
if [ -z "$stray" ]; then ok "nothing written next to the source tree"; else
  echo "$stray" | sed 's/^/# stray: /'; not_ok "nothing written next to the source tree"; fi

# Every file and link but the docs, which dh_compress may or may not gzip.
files() {
  dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | grep -v '^/usr/share/doc/' | sort
}
check_files() {
  local pkg=$1 expected=$2 deb
  deb=$(ls "$work/out/${pkg}"_*.deb)
  if diff -u <(echo "$expected" | sort) <(files "$deb") > "$work/diff"; then
    ok "$pkg: file list"
  else
    sed 's/^/# /' "$work/diff"
    not_ok "$pkg: file list"
  fi
  dpkg-deb -c "$deb" | awk '{ print "# " $1, $2, $6 }'
}
check_files linli-kiosk "/etc/linli-kiosk/kiosk.conf
/lib/systemd/system/linli-kiosk-safe-mode.service
/lib/systemd/system/linli-kiosk-recover.service
/lib/systemd/system/linli-kiosk-recover.timer
/lib/systemd/system/linli-kiosk.service
/lib/udev/rules.d/99-linli-kiosk.rules
/usr/bin/linli-kiosk
/usr/lib/modules-load.d/linli-kiosk.conf
/usr/lib/sysusers.d/linli-kiosk.conf
/usr/lib/tmpfiles.d/linli-kiosk.conf
/usr/share/linli-kiosk/content/default/manifest.json
/usr/share/linli-kiosk/demo-members.csv
/usr/share/linli-kiosk/kiosk.conf.example
/usr/share/locale/zh_CN/LC_MESSAGES/linli-kiosk.mo
/usr/share/man/man1/linli-kiosk.1.gz"
check_files linli-hub "/lib/systemd/system/linli-hub.service
/usr/bin/linli-content
/usr/bin/linli-hub
/usr/lib/sysusers.d/linli-hub.conf
/usr/share/linli-hub/linli-hub.conf.example
/usr/share/man/man1/linli-content.1.gz
/usr/share/man/man1/linli-hub.1.gz"

kiosk=$(ls "$work/out"/linli-kiosk_*.deb)
hub=$(ls "$work/out"/linli-hub_*.deb)
dpkg-deb -e "$kiosk" "$work/kiosk"
dpkg-deb -e "$hub" "$work/hub"

if [ "$(cat "$work/kiosk/conffiles")" = /etc/linli-kiosk/kiosk.conf ] && [ ! -e "$work/hub/conffiles" ]; then
  ok "conffiles: /etc/linli-kiosk/kiosk.conf only"
else
  not_ok "conffiles: /etc/linli-kiosk/kiosk.conf only"
fi

# Users and state directories are made on installation; no unit is enabled
# (the disable-aware snippet only re-enables what an admin had enabled), and
# the safe-mode unit is never started by the package.
scripts_ok=1
grep -q 'systemd-sysusers .*linli-kiosk.conf' "$work/kiosk/postinst" || scripts_ok=0
grep -q 'systemd-tmpfiles .*--create linli-kiosk.conf' "$work/kiosk/postinst" || scripts_ok=0
grep -q 'systemd-sysusers .*linli-hub.conf' "$work/hub/postinst" || scripts_ok=0
for p in kiosk hub; do
  grep -q 'deb-systemd-helper debian-installed' "$work/$p/postinst" || scripts_ok=0
  if grep -q 'was-enabled defaults to true' "$work/$p/postinst"; then scripts_ok=0; fi
done
if grep -q 'safe-mode\|recover' "$work/kiosk/postinst" "$work/kiosk/prerm"; then scripts_ok=0; fi
if [ $scripts_ok -eq 1 ]; then ok "maintainer scripts: users, tmpfiles, nothing enabled"; else
  sed 's/^/# /' "$work/kiosk/postinst"
  not_ok "maintainer scripts: users, tmpfiles, nothing enabled"
fi

depends=$(dpkg-deb -f "$kiosk" Depends)
echo "# linli-kiosk Depends: $depends"
echo "# linli-hub Depends: $(dpkg-deb -f "$hub" Depends)"
deps_ok=1
for d in cage xwayland fonts-noto-cjk ddcutil libgtk-4-1 'systemd |'; do
  case ", $depends" in *", $d"*) ;; *) echo "# missing dependency: $d"; deps_ok=0 ;; esac
done
if [ $deps_ok -eq 1 ]; then ok "linli-kiosk depends on what its units run"; else
  not_ok "linli-kiosk depends on what its units run"; fi

if command -v lintian >/dev/null; then
  lintian -I --pedantic "$work/out"/*.changes > "$work/lintian" 2>&1 || true
  sed 's/^/# lintian: /' "$work/lintian"
  if grep -Eq '^[EW]: ' "$work/lintian"; then not_ok "lintian: no errors or warnings"; else
    ok "lintian: no errors or warnings (info tags: docs/appliance.md)"; fi
else
  ok "lintian # SKIP lintian not installed"
fi
exit $failed
