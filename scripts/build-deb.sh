#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages linli-kiosk and linli-hub from this tree:
#   scripts/build-deb.sh [OUTDIR]        (default OUTDIR: build-deb/, ignored by git)
# dpkg-buildpackage writes its results next to the source directory, so the
# build runs in a copy of the tree in a temporary directory (the tracked files
# and new, not ignored ones, as they are in the work tree now) and only the
# .deb, .buildinfo and .changes files are moved to OUTDIR.
# JOBS (default 2) sets the parallel jobs; DEB_BUILD_OPTIONS=nocheck skips the
# core tests; extra dpkg-buildpackage options go in DPKG_BUILDPACKAGE_ARGS.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}
jobs=${JOBS:-2}

for tool in dpkg-buildpackage dh; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found (Debian packages dpkg-dev, debhelper)" >&2; exit 77; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/linli-kiosk"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # (A tracked file deleted in the work tree is left out.)
  (cd "$src" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -xf - -C "$work/linli-kiosk"
else
  # A tree without git (an unpacked tarball): everything but build directories.
  tar -C "$src" --exclude='./build*' --exclude='./_build*' --exclude='./tests/browser/node_modules' \
    -cf - . | tar -xf - -C "$work/linli-kiosk"
fi

# -b: binary packages only; -us -uc: unsigned. Build dependencies are checked
# (dpkg-checkbuilddeps) before anything is compiled.
# shellcheck disable=SC2086
(cd "$work/linli-kiosk" && dpkg-buildpackage -us -uc -b -j"$jobs" ${DPKG_BUILDPACKAGE_ARGS:-})

mkdir -p "$out"
for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes; do
  [ -e "$f" ] && mv "$f" "$out/"
done
ls -1 "$out"
